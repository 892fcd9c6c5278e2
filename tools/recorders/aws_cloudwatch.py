"""CloudWatch alarms: one with actions to an SNS topic and tags, one with actions disabled,
in ALARM.
"""

from __future__ import annotations

from recording import clients, tags


def seed(endpoint: str) -> None:
    """Create the alarms the fixtures show."""
    client = clients(endpoint)

    orders = client("sns").create_topic(Name="orders-events")["TopicArn"]  # the alarm's actions
    cloudwatch = client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="api-high-cpu",
        AlarmDescription="CPU above 80% for 10 minutes",
        MetricName="CPUUtilization",
        Namespace="AWS/EC2",
        Statistic="Average",
        Period=300,
        EvaluationPeriods=2,
        DatapointsToAlarm=2,
        Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="breaching",
        Unit="Percent",
        Dimensions=[{"Name": "InstanceId", "Value": "i-0123456789abcdef0"}],
        AlarmActions=[orders],
        OKActions=[orders],
        InsufficientDataActions=[orders],
        Tags=tags(Name="api-cpu", Environment="production"),
    )
    cloudwatch.put_metric_alarm(
        AlarmName="queue-depth",
        MetricName="ApproximateNumberOfMessagesVisible",
        Namespace="AWS/SQS",
        Statistic="Maximum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=0.0,
        ComparisonOperator="GreaterThanThreshold",
        ActionsEnabled=False,
    )
    cloudwatch.set_alarm_state(AlarmName="queue-depth", StateValue="ALARM", StateReason="messages waiting")
