"""`GET /docs`: Swagger UI over `/openapi.json`, from the assets the swagger-ui-bundle package ships.

No CDN: the page, its scripts and styles are all served by the gateway, so the docs work
on an air-gapped network. The page needs no token; "Authorize" takes one for the calls.
"""

from __future__ import annotations

import mimetypes

import falcon
import swagger_ui_bundle

# The bundle's files the page loads (nothing else of the package is served).
ASSETS = frozenset(
    {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "favicon-32x32.png",
        "favicon-16x16.png",
    }
)
INITIALIZER = "discovery-docs.js"

_PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Maestro Discovery API</title>
    <link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
    <style>body { margin: 0; background: #fafafa; }</style>
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="/docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="/docs/discovery-docs.js" charset="UTF-8"></script>
  </body>
</html>
"""

_INITIALIZER_JS = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    validatorUrl: null
  });
};
"""


class Docs:
    """`GET /docs` (the page) and `GET /docs/{asset}` (its scripts, styles and icons)."""

    public = True

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_HTML
        resp.text = _PAGE

    def on_get_asset(self, req: falcon.Request, resp: falcon.Response, asset: str) -> None:
        if asset == INITIALIZER:
            resp.content_type = falcon.MEDIA_JS
            resp.text = _INITIALIZER_JS
            return
        if asset not in ASSETS:
            raise falcon.HTTPNotFound()
        resp.content_type = mimetypes.guess_type(asset)[0] or "application/octet-stream"
        resp.data = (swagger_ui_bundle.swagger_ui_path / asset).read_bytes()
        resp.cache_control = ["public", "max-age=86400"]
