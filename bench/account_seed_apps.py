"""Seeders of the benchmark's account: containers, functions, APIs, load balancers, delivery.

Route 53 zones and CloudFront distributions are global: the benchmark seeds them once, from
the first region.
"""

from __future__ import annotations

import io
import json
import zipfile

from account_region import Region, Seeders

from services.embedded.aws_resources import distribution_config

SEEDERS = Seeders()
STATE_MACHINE = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})


def _zip(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", source)
    return buffer.getvalue()


SEEDERS["aws.apigateway.rest_apis"] = lambda r, n: r.client("apigateway").create_rest_api(name=f"api-{n}")
SEEDERS["aws.apigatewayv2.apis"] = lambda r, n: r.client("apigatewayv2").create_api(
    Name=f"http-{n}", ProtocolType="HTTP"
)
SEEDERS["aws.cognito.user_pools"] = lambda r, n: r.client("cognito-idp").create_user_pool(
    PoolName=f"pool-{n}"
)
SEEDERS["aws.ecr.repositories"] = lambda r, n: r.client("ecr").create_repository(repositoryName=f"repo-{n}")
SEEDERS["aws.ecs.clusters"] = lambda r, n: r.client("ecs").create_cluster(clusterName=f"cluster-{n}")
SEEDERS["aws.servicediscovery.namespaces"] = lambda r, n: r.client("servicediscovery").create_http_namespace(
    Name=f"ns-{n}"
)
SEEDERS["aws.elbv2.load_balancers"] = lambda r, n: r.client("elbv2").create_load_balancer(
    Name=f"alb-{n}", Subnets=r.subnets
)
SEEDERS["aws.elbv2.target_groups"] = lambda r, n: r.client("elbv2").create_target_group(
    Name=f"tg-{n}", Protocol="HTTP", Port=80, VpcId=r.vpc
)
SEEDERS["aws.elb.load_balancers"] = lambda r, n: r.client("elb").create_load_balancer(
    LoadBalancerName=f"classic-{n}",
    Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}],
    AvailabilityZones=[r.zones[0]],
)
SEEDERS["aws.eks.clusters"] = lambda r, n: r.client("eks").create_cluster(
    name=f"k8s-{n}", roleArn=r.role("eks.amazonaws.com"), resourcesVpcConfig={"subnetIds": r.subnets}
)
SEEDERS["aws.ecs.services"] = lambda r, n: r.client("ecs").create_service(
    cluster=r.client("ecs").create_cluster(clusterName=f"svc-cluster-{n}")["cluster"]["clusterName"],
    serviceName=f"service-{n}",
    taskDefinition=r.task_definition,
    desiredCount=0,
)
SEEDERS["aws.codebuild.projects"] = lambda r, n: r.client("codebuild").create_project(
    name=f"build-{n}",
    source={"type": "S3", "location": "sources/app.zip"},
    artifacts={"type": "NO_ARTIFACTS"},
    environment={
        "type": "LINUX_CONTAINER",
        "image": "aws/codebuild/standard:7.0",
        "computeType": "BUILD_GENERAL1_SMALL",
    },
    serviceRole=r.role("codebuild.amazonaws.com"),
)
SEEDERS["aws.stepfunctions.state_machines"] = lambda r, n: r.client("stepfunctions").create_state_machine(
    name=f"flow-{n}", definition=STATE_MACHINE, roleArn=r.role("states.amazonaws.com")
)
SEEDERS["aws.lambda.functions"] = lambda r, n: r.client("lambda").create_function(
    FunctionName=f"fn-{n}",
    Runtime="python3.12",
    Role=r.role("lambda.amazonaws.com"),
    Handler="handler.main",
    Code={"ZipFile": _zip("def main(event, context):\n    return event\n")},
)
SEEDERS["aws.lambda.layers"] = lambda r, n: r.client("lambda").publish_layer_version(
    LayerName=f"layer-{n}", Content={"ZipFile": _zip("X = 1\n")}
)
SEEDERS["aws.sagemaker.endpoints"] = lambda r, n: r.client("sagemaker").create_endpoint(
    EndpointName=f"endpoint-{n}", EndpointConfigName=r.endpoint_config
)


@SEEDERS.seeds("aws.codepipeline.pipelines")
def _pipeline(r: Region, n: int) -> None:
    action = {
        "name": "Fetch",
        "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
        "configuration": {"S3Bucket": "sources", "S3ObjectKey": "app.zip"},
        "outputArtifacts": [{"name": "src"}],
    }
    build = {
        "name": "Compile",
        "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
        "configuration": {"ProjectName": "build"},
        "inputArtifacts": [{"name": "src"}],
    }
    r.client("codepipeline").create_pipeline(
        pipeline={
            "name": f"pipeline-{n}",
            "roleArn": r.role("codepipeline.amazonaws.com"),
            "artifactStore": {"type": "S3", "location": "artifacts"},
            "stages": [{"name": "Source", "actions": [action]}, {"name": "Build", "actions": [build]}],
        }
    )


SEEDERS["aws.route53.hosted_zones"] = lambda r, n: r.client("route53").create_hosted_zone(
    Name=f"zone{n}.example.com", CallerReference=f"zone-{n}"
)


SEEDERS["aws.cloudfront.distributions"] = lambda r, n: r.client("cloudfront").create_distribution(
    DistributionConfig=distribution_config(f"cdn-{n}", "bench.s3.amazonaws.com")
)
