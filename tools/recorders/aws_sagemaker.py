"""SageMaker endpoints: three endpoints of one model and configuration, tagged, tagged
without a Name, untagged (moto pages list_endpoints: two a page).
"""

from __future__ import annotations

from recording import ACCOUNT, REGION, clients, tags

RAW = ("aws.sagemaker.endpoints",)


def seed(endpoint: str) -> None:
    """Create the endpoints the fixtures show."""
    client = clients(endpoint)

    role = client("iam").create_role(RoleName="ci", AssumeRolePolicyDocument="{}")
    sagemaker = client("sagemaker")
    sagemaker.create_model(
        ModelName="churn",
        ExecutionRoleArn=role["Role"]["Arn"],
        PrimaryContainer={"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/churn:latest"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="churn-config",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "churn",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sagemaker.create_endpoint(
        EndpointName="churn-prod",
        EndpointConfigName="churn-config",
        Tags=tags(Name="churn-predictor", Environment="production"),
    )
    sagemaker.create_endpoint(
        EndpointName="churn-staging", EndpointConfigName="churn-config", Tags=tags(Environment="staging")
    )
    sagemaker.create_endpoint(EndpointName="churn-canary", EndpointConfigName="churn-config")
