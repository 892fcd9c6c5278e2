"""Amazon MQ brokers of both engines: an ActiveMQ active/standby broker, encrypted with a
KMS key in subnets, tagged; a public RabbitMQ cluster; a single-instance sandbox. The
brokers' user password never recorded. moto answers list_brokers in one page.
"""

from __future__ import annotations

from recording import clients, kms_key, network

from services.embedded.aws_resources import create_small_broker

KMS_KEY = kms_key()
SECRET = "not-a-real-secret-0123456789"  # must appear in no fixture
SECRETS = (SECRET,)
ADMIN = [{"Username": "admin", "Password": SECRET}]  # every broker's one user


def seed(endpoint: str) -> None:
    """Create the brokers the fixtures show."""
    client = clients(endpoint)

    ec2 = client("ec2")
    _, subnets, group = network(ec2, "platform")

    mq = client("mq")
    mq.create_broker(
        BrokerName="orders-broker",
        DeploymentMode="ACTIVE_STANDBY_MULTI_AZ",
        EngineType="ACTIVEMQ",
        EngineVersion="5.17.6",
        HostInstanceType="mq.m5.large",
        PubliclyAccessible=False,
        AutoMinorVersionUpgrade=True,
        EncryptionOptions={"KmsKeyId": KMS_KEY, "UseAwsOwnedKey": False},
        SubnetIds=subnets,
        SecurityGroups=[group],
        StorageType="EFS",
        Users=ADMIN,
        Tags={"Name": "orders-mq", "Environment": "production"},
    )
    mq.create_broker(
        BrokerName="events",
        AuthenticationStrategy="SIMPLE",
        DeploymentMode="CLUSTER_MULTI_AZ",
        EngineType="RABBITMQ",
        EngineVersion="3.13",
        HostInstanceType="mq.m5.large",
        PubliclyAccessible=True,
        AutoMinorVersionUpgrade=False,
        Users=ADMIN,
        Tags={"Environment": "staging"},
    )
    create_small_broker(mq, "sandbox", SECRET)
