"""Step Functions state machines: a tagged standard one, an express one, an untagged one
(moto pages list_state_machines: two a page).
"""

from __future__ import annotations

import json

from recording import clients

RAW = ("aws.stepfunctions.state_machines",)
STATE_MACHINE = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})


def seed(endpoint: str) -> None:
    """Create the state machines the fixtures show."""
    client = clients(endpoint)

    iam = client("iam")
    role = iam.create_role(RoleName="states-exec", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    sfn = client("stepfunctions")
    sfn.create_state_machine(
        name="order-workflow",
        definition=STATE_MACHINE,
        roleArn=role,
        tags=[{"key": "Name", "value": "orders-flow"}, {"key": "Environment", "value": "production"}],
    )
    sfn.create_state_machine(name="thumbnailer", definition=STATE_MACHINE, roleArn=role, type="EXPRESS")
    sfn.create_state_machine(name="nightly-batch", definition=STATE_MACHINE, roleArn=role)
