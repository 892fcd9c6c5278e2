"""Cognito user pools: one with MFA, e-mail usernames, deletion protection, a domain and
tags; one tagged without a Name; a bare one (moto pages list_user_pools: two a page).
"""

from __future__ import annotations

from recording import clients

RAW = ("aws.cognito.user_pools",)


def seed(endpoint: str) -> None:
    """Create the user pools the fixtures show."""
    client = clients(endpoint)

    cognito = client("cognito-idp")
    customers = cognito.create_user_pool(
        PoolName="customers",
        MfaConfiguration="OPTIONAL",
        UsernameAttributes=["email"],
        DeletionProtection="ACTIVE",
        UserPoolTags={"Name": "shop-customers", "Environment": "production"},
    )["UserPool"]["Id"]
    cognito.create_user_pool_domain(Domain="shop-login", UserPoolId=customers)
    cognito.create_user_pool(PoolName="staff", UserPoolTags={"Environment": "staging"})
    cognito.create_user_pool(PoolName="legacy")
