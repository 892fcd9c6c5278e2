"""API Gateway APIs: REST APIs (a tagged regional one, a bare one) and v2 APIs (a tagged
HTTP API with CORS, a WebSocket API).
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import REGION

PAGE_SIZE = 5


def seed(endpoint: str) -> None:
    """Create the APIs the fixtures show."""

    def client(service: str, region: str = REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    rest = client("apigateway")
    rest.create_rest_api(
        name="shop-api",
        description="public shop API",
        version="2024-01",
        binaryMediaTypes=["image/png"],
        minimumCompressionSize=1024,
        endpointConfiguration={"types": ["REGIONAL"]},
        tags={"Name": "shop-rest", "Environment": "production"},
    )
    rest.create_rest_api(name="internal-api")

    http = client("apigatewayv2")
    http.create_api(
        Name="orders-http",
        ProtocolType="HTTP",
        Description="orders over HTTP",
        Version="v2",
        CorsConfiguration={"AllowOrigins": ["https://shop.example.com"], "AllowMethods": ["GET"]},
        Tags={"Name": "orders-http-api", "Environment": "staging"},
    )
    http.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
