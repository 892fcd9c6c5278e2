"""EFS access point -> Maestro `applications` document (family NAS, its own provider label).

Input: one element of `AccessPoints` from `efs.describe_access_points` (every access point
of the region, tags included). unique_id is `AccessPointArn`; name the Name tag, else the id.
"""

from shared.mappings.aws_application import application
from shared.mappings.aws_efs import FAMILY, LIFE_CYCLE
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

ROLE = {
    "file_system_id": "FileSystemId",
    "owner_id": "OwnerId",
    "posix_user": "PosixUser",
    "root_directory": "RootDirectory.Path",
}
ACCESS_POINT = {
    "item_id": {"path": "AccessPointArn"},
    "fields": {
        **application("AccessPointId", "AccessPointArn", state="LifeCycleState"),
        **LIFE_CYCLE,
        "role": {"fields": {field: {"path": path} for field, path in ROLE.items()}},
    },
}
CALL = AwsCall("efs", "describe_access_points", max_page_size=100)
RESOURCES = (
    aws_app("aws.efs.access_points", "nas-list", ACCESS_POINT, CALL, FAMILY, "EFS Access Point (AWS)"),
)
