"""What the api stage keeps of a listed page: values that may hold secrets never leave it."""

from __future__ import annotations

from typing import Any

from services.api.providers import aws
from shared.catalog import get_resource


class _Lambda:
    def list_functions(self, **params: Any) -> dict[str, Any]:
        return {
            "Functions": [
                {
                    "FunctionName": "f",
                    "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:f",
                    "Environment": {"Variables": {"DB_PASSWORD": "hunter2"}},
                }
            ]
        }


def test_function_environment_variables_are_dropped_at_the_source() -> None:
    resource = get_resource("aws.lambda.functions")
    resource = type(resource)(**{**resource.__dict__, "enrich": ()})  # no tagging call here
    page = aws.fetch_page(resource, lambda service: _Lambda(), None, 50, {"region": "us-east-1"})
    assert page.items == [
        {"FunctionName": "f", "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:f"}
    ]
    assert "hunter2" not in repr(page)
