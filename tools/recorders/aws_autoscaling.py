"""Auto Scaling groups, launch templates and launch configurations: a launch configuration
group behind both kinds of load balancer, a launch template group, an empty one; plain,
spot and monitored launch configurations; an untagged template and a tagged one with a
second, default version.

moto cuts describe_launch_templates at MaxResults without a NextToken, so launch templates
are recorded in one page big enough to hold them all (their pagination is tested with the
botocore paginator model in the unit tests).
"""

from __future__ import annotations

from recording import clients, tags

from recorders import aws_elb

LINUX_AMI = aws_elb.LINUX_AMI
PAGE_SIZES = {"aws.ec2.launch_templates": 10}  # moto drops the rest without a token


def seed(endpoint: str) -> None:
    """Create the groups, templates and configurations the fixtures show."""
    client = clients(endpoint)

    made = aws_elb.seed_load_balancers(endpoint)  # web-asg sits behind legacy-web and shop-tg
    (a, b), web, target_group_arn = made["subnets"], made["web"], made["shop-tg"]
    ec2 = client("ec2")

    # Auto Scaling: a launch configuration group behind both kinds of load balancer, a
    # launch template group, an empty one.
    autoscaling = client("autoscaling")
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="web-lc", ImageId=LINUX_AMI, InstanceType="t3.micro"
    )
    # Launch configurations: web-lc (plain), a spot one with a key, a profile, a security
    # group and user data (dropped), an on-demand one with monitoring.
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="batch-lc",
        ImageId=LINUX_AMI,
        InstanceType="c5.large",
        KeyName="ops-key",
        IamInstanceProfile="batch-profile",
        SpotPrice="0.05",
        SecurityGroups=[web],
        UserData="export DB_PASSWORD=not-for-the-inventory",
    )
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="legacy-lc",
        ImageId=LINUX_AMI,
        InstanceType="m5.large",
        InstanceMonitoring={"Enabled": True},
        AssociatePublicIpAddress=True,
    )
    template = ec2.create_launch_template(
        LaunchTemplateName="worker-lt", LaunchTemplateData={"ImageId": LINUX_AMI, "InstanceType": "t3.small"}
    )["LaunchTemplate"]
    # Launch templates: worker-lt (untagged), a tagged one with a second, default version.
    ec2.create_launch_template(
        LaunchTemplateName="web-lt",
        LaunchTemplateData={"ImageId": LINUX_AMI, "InstanceType": "t3.micro"},
        TagSpecifications=[
            {"ResourceType": "launch-template", "Tags": tags(Name="web-template", Environment="staging")}
        ],
    )
    ec2.create_launch_template_version(
        LaunchTemplateName="web-lt", LaunchTemplateData={"ImageId": LINUX_AMI, "InstanceType": "t3.small"}
    )
    ec2.modify_launch_template(LaunchTemplateName="web-lt", DefaultVersion="2")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web-asg",
        LaunchConfigurationName="web-lc",
        MinSize=1,
        MaxSize=4,
        DesiredCapacity=2,
        VPCZoneIdentifier=f"{a},{b}",
        LoadBalancerNames=["legacy-web"],
        TargetGroupARNs=[target_group_arn],
        HealthCheckType="ELB",
        HealthCheckGracePeriod=120,
        Tags=[
            {"Key": "Name", "Value": "web-fleet", "PropagateAtLaunch": True},
            {"Key": "Environment", "Value": "production", "PropagateAtLaunch": False},
        ],
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="worker-asg",
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"], "Version": "$Latest"},
        MinSize=0,
        MaxSize=2,
        DesiredCapacity=1,
        AvailabilityZones=["us-east-1a"],
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="spare-asg",
        LaunchConfigurationName="web-lc",
        MinSize=0,
        MaxSize=0,
        DesiredCapacity=0,
        AvailabilityZones=["us-east-1b"],
    )
