"""EFS access point -> Maestro `applications` document (family NAS, its own provider label).

Input: one element of `AccessPoints` from `efs.describe_access_points` (every access point
of the region, tags included). unique_id is `AccessPointArn`; name the Name tag, else the id.
"""

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_efs import FAMILY, LIFE_CYCLE
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

ACCESS_POINT = app_mapping(
    "AccessPointId",
    "AccessPointArn",
    {
        **LIFE_CYCLE,
        "role": {
            "fields": {
                **named_paths("FileSystemId OwnerId PosixUser"),
                "root_directory": {"path": "RootDirectory.Path"},
            }
        },
    },
    state="LifeCycleState",
)
CALL = AwsCall("efs", "describe_access_points", max_page_size=100)
RESOURCES = (
    aws_app("aws.efs.access_points", "nas-list", ACCESS_POINT, CALL, FAMILY, "EFS Access Point (AWS)"),
)
