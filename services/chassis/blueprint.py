"""The flask-smorest Blueprint every service uses (one schema instance per class)."""

from __future__ import annotations

import json
import threading
from functools import wraps
from typing import Any, NoReturn

import flask_smorest
import marshmallow as ma
from flask import g, request
from flask_smorest.utils import resolve_schema_instance, unpack_tuple_response
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from . import exports, hygiene
from .errors import PROBLEM_JSON, BadRequest, Unprocessable


class _SchemaInstanceParser(FlaskParser):
    """webargs makes a new schema instance per request when given a class; keep one.
    JSON bodies are decoded within the bounds of `hygiene.decode_json` (a 400 otherwise)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._instances: dict[type[ma.Schema], ma.Schema] = {}
        self._lock = threading.Lock()

    def _get_schema(self, argmap: Any, req: Any) -> ma.Schema:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            instance = self._instances.get(argmap)
            if instance is None:
                with self._lock:
                    instance = self._instances.setdefault(argmap, argmap())
            return instance
        return super()._get_schema(argmap, req)

    def _raw_load_json(self, req: Any) -> Any:
        if not is_json_request(req):
            return core.missing
        return hygiene.decode_json(req.get_data(cache=True))

    def _handle_invalid_json_error(self, error: Any, req: Any, *args: Any, **kwargs: Any) -> NoReturn:
        refused = isinstance(error, hygiene.JsonRefused)
        detail = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        raise BadRequest(
            f"The JSON body was refused: {detail}", type="body-refused" if refused else "invalid-json"
        )


MAX_PAGE = 100_000


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint; request schemas are instantiated once, not per request,
    a page number is bounded (an offset too large for the database is a 422), and every
    paginated list also downloads as CSV or XLSX (`exports`)."""

    ARGUMENTS_PARSER = _SchemaInstanceParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_export_doc)

    def response(self, status_code: Any, schema: Any = None, **kwargs: Any) -> Any:
        """flask-smorest's response; a paginated list of `schema` answers a download request
        (`?format=csv|xlsx` or Accept) with every filtered row as a file (`exports`)."""
        serialize = super().response(status_code, schema, **kwargs)
        instance = resolve_schema_instance(schema) if schema is not None else None

        def decorate(view: Any) -> Any:
            listed = serialize(view)
            paginated = "pagination" in getattr(view, "_apidoc", {})
            if not (paginated and instance is not None and instance.many and int(status_code) == 200):
                return listed

            @wraps(listed)
            def exportable(*args: Any, **view_kwargs: Any) -> Any:
                fmt = exports.requested_format()
                if fmt is None:
                    return listed(*args, **view_kwargs)
                g.export_format = fmt
                rows, _status, _headers = unpack_tuple_response(view(*args, **view_kwargs))
                name = request.path.rstrip("/").rsplit("/", 1)[-1] or "export"
                return exports.download(rows, instance, fmt, name)

            exportable._apidoc["export"] = True
            return exportable

        return decorate

    @staticmethod
    def _prepare_export_doc(doc: dict[str, Any], doc_info: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        if doc_info.get("export"):
            exports.document(doc)
        return doc

    def rules(self, *rules: str, answered: str = "422; 400 for a refused key") -> Any:
        """Document the rules a view checks beyond what its schemas can say (across fields,
        against stored state, the keys of a free-form object), each answered 422 (400 for
        a refused key) when broken: listed in the operation's description and as
        `x-rules`, so a client (and the conformance test) knows a schema-valid request
        may still be refused."""
        if not rules:
            return lambda view: view
        listed = "\n".join(f"- {rule}" for rule in rules)
        return self.doc(
            description=f"Refused ({answered}) when broken:\n{listed}", **{"x-rules": list(rules)}
        )

    def if_match(self, what: str, *, allow_any: bool = True) -> Any:
        """Document the If-Match a write requires (`conditional.require_match`): the header
        as required, 428 without it, 412 when it names another revision."""
        star = "" if allow_any else " (`*` is refused)"
        header = {
            "required": True,
            "schema": {"type": "string", "minLength": 1},
            "description": f"The {what}'s ETag as you read it{star}.",
        }
        return self.doc(
            **{"x-headers": {"If-Match": header}},
            responses={
                "412": {
                    "description": f"The {what} changed since you read it{star}.",
                    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                },
                "428": {
                    "description": "If-Match is missing.",
                    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                },
            },
        )

    def paginate(self, pager: Any = None, **kwargs: Any) -> Any:
        """flask-smorest's pagination, refusing page numbers above MAX_PAGE."""
        paginated = super().paginate(pager, **kwargs)

        def decorate(view: Any) -> Any:
            @wraps(view)
            def bounded(*args: Any, **view_kwargs: Any) -> Any:
                parameters = view_kwargs.get("pagination_parameters")
                if parameters is not None and parameters.page > MAX_PAGE:
                    raise Unprocessable(
                        "The page number is beyond any list this API serves.",
                        errors={"query.page": [f"Must be at most {MAX_PAGE}."]},
                    )
                return view(*args, **view_kwargs)

            wrapper = paginated(bounded)
            documented = wrapper._apidoc["pagination"]["parameters"]
            documented["schema"] = _bounded_page_schema(documented["schema"])
            return wrapper

        return decorate


def _bounded_page_schema(schema: type[ma.Schema]) -> type[ma.Schema]:
    """flask-smorest's page parameters with the bound the view enforces, for the document."""
    page = schema._declared_fields["page"]
    bounded = ma.fields.Integer(
        load_default=page.load_default, validate=ma.validate.Range(min=1, max=MAX_PAGE)
    )
    return type(schema.__name__, (schema,), {"page": bounded})
