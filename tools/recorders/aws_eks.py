"""EKS clusters: a tagged one with its access settings, an untagged one, one with a blank
Name (moto pages list_clusters: two a page).
"""

from __future__ import annotations

from recording import ACCOUNT, clients

RAW = ("aws.eks.clusters",)


def seed(endpoint: str) -> None:
    """Create the clusters the fixtures show."""
    client = clients(endpoint)

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    a, b = (
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for n, zone in ((1, "us-east-1a"), (2, "us-east-1b"))
    )
    sg = ec2.create_security_group(GroupName="k8s", Description="cluster", VpcId=vpc)["GroupId"]

    # EKS: a tagged cluster with its access settings, an untagged one, one with a blank Name.
    eks = client("eks")
    role = f"arn:aws:iam::{ACCOUNT}:role/eks-cluster"
    eks.create_cluster(
        name="shop-prod",
        version="1.29",
        roleArn=role,
        resourcesVpcConfig={
            "subnetIds": [a, b],
            "securityGroupIds": [sg],
            "endpointPublicAccess": False,
            "endpointPrivateAccess": True,
        },
        tags={"Name": "shop-kubernetes", "Environment": "production"},
    )
    eks.create_cluster(name="analytics", roleArn=role, resourcesVpcConfig={"subnetIds": [a]})
    eks.create_cluster(name="batch", roleArn=role, resourcesVpcConfig={"subnetIds": [b]}, tags={"Name": ""})
