"""API Gateway REST APIs (v1) and HTTP/WebSocket APIs (v2) -> Maestro `applications`.

Input: one element of `items` from `apigateway.get_rest_apis`, or of `Items` from
`apigatewayv2.get_apis`. Both list calls return the tags, as a `{key: value}` dict.

Decisions:
* unique_id is the API's ARN, built from the region and id (the list calls return none):
  `arn:aws:apigateway:<region>::/restapis/<id>` and `.../apis/<ApiId>`.
* Both are family ApiGateway; the provider labels differ ("ApiGateway (AWS)" and
  "ApiGateway v2 (AWS)"), so each unit sweeps only its own documents.
* APIs have no state: `active` is true while listed, `status` unset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import named_paths, scoped_format
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.mappings.aws_tags import TagList
from shared.resource import AwsCall


def apigateway_endpoint_type(types: Any) -> str | None:
    """`endpointConfiguration.types` (["EDGE"]) -> "EDGE"; an API has one endpoint type."""
    return str(types[0]) if isinstance(types, list) and types else None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "apigateway_endpoint_type": apigateway_endpoint_type,
}

REST_API = app_mapping(
    "name",
    scoped_format("arn:aws:apigateway:{region}::/restapis/{id}", id="id"),
    {
        "active": {"const": True},
        "protocol": {"const": "REST"},
        "api_type": {"path": "endpointConfiguration.types", "transform": "apigateway_endpoint_type"},
        "description": {"path": "description", "transform": "none_if_blank"},
        "version": {"path": "version", "transform": "none_if_blank"},
        "created": {"path": "createdDate"},
        "endpoint": scoped_format("https://{id}.execute-api.{region}.amazonaws.com", id="id"),
        "role": {
            "fields": {
                "api_key_source": {"path": "apiKeySource"},
                "endpoint_types": {"path": "endpointConfiguration.types"},
                **named_paths(
                    "binaryMediaTypes minimumCompressionSize disableExecuteApiEndpoint rootResourceId",
                ),
            }
        },
    },
    item_id="id",
    tags=TagList("tags", "aws_dict"),
)

HTTP_API = app_mapping(
    "Name",
    scoped_format("arn:aws:apigateway:{region}::/apis/{id}", id="ApiId"),
    {
        "active": {"const": True},
        "protocol": {"path": "ProtocolType"},
        "description": {"path": "Description", "transform": "none_if_blank"},
        "version": {"path": "Version", "transform": "none_if_blank"},
        "created": {"path": "CreatedDate"},
        "endpoint": {"path": "ApiEndpoint"},
        "role": {
            "fields": {
                **named_paths("ApiKeySelectionExpression RouteSelectionExpression DisableExecuteApiEndpoint"),
                "cors": {"path": "CorsConfiguration"},
            }
        },
    },
    item_id="ApiId",
    tags=TagList("Tags", "aws_dict"),
)

RESOURCES = (
    aws_app(
        "aws.apigateway.rest_apis",
        "gateway-list",
        REST_API,
        AwsCall("apigateway", "get_rest_apis", max_page_size=500),
        "ApiGateway",
        "ApiGateway (AWS)",
    ),
    aws_app(
        "aws.apigatewayv2.apis",
        "gateway-list",
        HTTP_API,
        AwsCall("apigatewayv2", "get_apis", max_page_size=500),
        "ApiGateway",
        "ApiGateway v2 (AWS)",
    ),
)
