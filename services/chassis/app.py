"""The application factory every service and the gateway build on."""

from __future__ import annotations

import http
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import marshmallow as ma
from flask import Flask, current_app, json, request
from flask.json.provider import DefaultJSONProvider
from flask_smorest import Api, Blueprint
from flask_smorest.spec import prepare_response
from sqlalchemy import MetaData
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from . import auth, conditional, errors, hygiene
from .config import Settings
from .health import health_blueprint
from .observability import HttpMetrics, configure_logging, install_request_tracking
from .openapi_document import complete
from .runtime import Runtime
from .schemas import documented_hygiene
from .web import close_request_uow

JSON_TYPES = ("application/json",)
_BODY_METHODS = ("POST", "PUT", "PATCH")


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (documentation of every error response); a problem may carry
    extension members (`transition`, `current_status`, `rules`, ...), as the RFC allows."""

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(metadata={"description": "Problem type URI"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    instance = ma.fields.String()
    request_id = ma.fields.String()
    errors = ma.fields.Dict(metadata={"description": "Messages by field (422 only)"})


_PAGE_NUMBER = {"type": "integer", "minimum": 0}
PAGINATION_HEADER: dict[str, Any] = {
    "description": "Pagination metadata (a JSON object: totals, this page and its neighbours)",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": False,
                "required": ["total", "total_pages"],
                "properties": {
                    name: _PAGE_NUMBER
                    for name in (
                        "total",
                        "total_pages",
                        "first_page",
                        "last_page",
                        "page",
                        "previous_page",
                        "next_page",
                    )
                },
            }
        }
    },
}


class CommunityApi(Api):
    """flask-smorest Api documenting and answering errors as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _init_spec(self, *args: Any, **kwargs: Any) -> None:
        super()._init_spec(*args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(documented_hygiene)

    def _register_error_handlers(self) -> None:
        self._app.register_error_handler(HTTPException, errors.to_problem)

    def _openapi_json(self) -> Any:
        """The service's document, with its header parameters and the links between its operations."""
        document = complete(self.spec.to_dict())
        return current_app.response_class(json.dumps(document, indent=2), mimetype="application/json")

    def _register_pagination_header(self) -> None:
        # The header's value is a JSON text: described as content, not as an object schema.
        self.spec.components.header("PAGINATION", PAGINATION_HEADER, lazy=True)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, errors.PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Problem details", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, errors.PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, decoding within the bounds of `hygiene.decode_json` (request.get_json
    answers 400 beyond them, as for malformed JSON)."""

    ensure_ascii = False
    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return hygiene.decode_json(s)


def accepts(*mimetypes: str) -> Callable[[Any], Any]:
    """Let a view take request bodies of other media types than JSON (e.g. forms)."""

    def decorate(view: Any) -> Any:
        view.community_accepts = tuple(mimetypes)
        return view

    return decorate


def create_app(
    name: str,
    config: Mapping[str, Any] | None = None,
    *,
    metadata: MetaData,
    blueprints: Iterable[Blueprint] = (),
    title: str | None = None,
    description: str = "",
    version: str = "1.0.0",
    runtime: Runtime | None = None,
) -> Flask:
    """A Flask + flask-smorest app for service `name` with the chassis installed."""
    settings = runtime.settings if runtime else Settings.from_env(name, config)
    configure_logging(settings.log_level, settings.log_json)
    runtime = runtime or Runtime(settings, metadata)
    auth.ensure_local_keys(settings)

    app = Flask(name)
    app.json = BoundedJSONProvider(app)
    # Behind the gateway, URLs and problem `instance`s carry the public /api/<service> prefix.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=1, x_host=1, x_prefix=1)  # type: ignore[method-assign]
    app.config.update(
        API_TITLE=title or f"{name} service",
        API_VERSION=version,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "servers": [{"url": f"/api/{name}"}],
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
            },
            "security": [{"bearerAuth": []}],
        },
    )
    app.extensions["community"] = runtime
    metrics = HttpMetrics(name)
    app.extensions["community.metrics"] = metrics

    install_request_tracking(app, name, metrics)
    # Registered after the request tracking, so it runs before it: metrics and logs see the 304.
    app.after_request(lambda response: conditional.revalidate(request, response))
    errors.install_error_handlers(app)

    @app.before_request
    def _check_body_and_token() -> None:
        if request.routing_exception is not None:
            return  # no such route or method: its 404 or 405 comes first, whatever the body
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if request.method in _BODY_METHODS and _has_body():
            allowed = getattr(_method_handler(view), "community_accepts", JSON_TYPES)
            mimetype = request.mimetype
            if not (mimetype in allowed or (mimetype.endswith("+json") and "application/json" in allowed)):
                raise errors.Problem(
                    f"Send the body as {' or '.join(allowed)} (got {mimetype or 'no content type'}).",
                    status=415,
                    type="unsupported-media-type",
                )
        if request.endpoint and request.endpoint.startswith("api-docs."):
            view = auth.public(lambda: None)
        auth.authenticate_request(runtime.verifier, view)

    app.teardown_appcontext(close_request_uow)

    api = CommunityApi(app)
    api.register_blueprint(health_blueprint(runtime, metrics))
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    return app


def _has_body() -> bool:
    return bool(request.content_length) or request.headers.get("Transfer-Encoding") == "chunked"


def _method_handler(view: Any) -> Any:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, request.method.lower(), view)
    return view


AppFactory = Callable[..., Flask]


def service_app(
    name: str,
    *,
    models: Any,
    api: Any,
    title: str,
    description: str = "",
    install: Callable[[Flask], None] | None = None,
) -> AppFactory:
    """A service's `create_app(config=None, runtime=None)` (its gunicorn entry) on the chassis.

    `models` and `api` are the service's template modules (`models.Base`,
    `api.blueprints()`); `install` adds what the service hangs on its app.
    """

    def create_service_app(config: Mapping[str, Any] | None = None, runtime: Runtime | None = None) -> Flask:
        app = create_app(
            name,
            config,
            metadata=models.Base.metadata,
            blueprints=api.blueprints(),
            title=title,
            description=description,
            runtime=runtime,
        )
        if install is not None:
            install(app)
        return app

    create_service_app.__doc__ = f"The {name} service's app: {title}."
    return create_service_app
