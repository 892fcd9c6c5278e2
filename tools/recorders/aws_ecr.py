"""ECR repositories: a tagged KMS-encrypted one scanned on push, an untagged immutable one,
one tagged without a Name (moto answers describe_repositories in one page).
"""

from __future__ import annotations

from recording import clients, kms_key, tags

KMS_KEY = kms_key("0a0a0a0a")


def seed(endpoint: str) -> None:
    """Create the repositories the fixtures show."""
    client = clients(endpoint)

    # ECR: a tagged KMS-encrypted repository scanned on push, an untagged immutable one,
    # one tagged without a Name.
    ecr = client("ecr")
    ecr.create_repository(
        repositoryName="shop/api",
        imageScanningConfiguration={"scanOnPush": True},
        encryptionConfiguration={"encryptionType": "KMS", "kmsKey": KMS_KEY},
        tags=tags(Name="shop-api-images", Environment="production"),
    )
    ecr.create_repository(repositoryName="shop/web", imageTagMutability="IMMUTABLE")
    ecr.create_repository(repositoryName="tools/ci", tags=tags(Environment="development"))
