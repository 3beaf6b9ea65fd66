"""Request-scoped unit of work, transactional views, idempotency keys and pagination."""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Iterator
from functools import wraps
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from flask import Response, current_app, g, make_response, request
from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from . import clock, exports
from .config import K
from .db import lost_connection
from .errors import BadRequest, Unprocessable
from .unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from .runtime import Runtime

F = TypeVar("F", bound=Callable[..., Any])
IDEMPOTENCY_HEADER = "Idempotency-Key"
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
_REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")


def runtime() -> Runtime:
    return current_app.extensions["community"]


def public_url() -> str:
    """This request's absolute URL as the public sees it: the configured PUBLIC_BASE_URL,
    the gateway's prefix (`/api/<service>`) and the path and query, never the Host header
    (a caller chooses that one)."""
    query = request.query_string.decode("latin-1")
    path = request.script_root + request.path
    return runtime().settings.public_base_url + path + (f"?{query}" if query else "")


def service_settings(kind: type[K]) -> K:
    """The running service's own settings of type `kind` (read once per app)."""
    return runtime().service_settings(kind)


def uow() -> UnitOfWork:
    """This request's unit of work (a read-only one outside `@transactional` views)."""
    current = g.get("uow")
    if current is None:
        current = runtime().unit_of_work(correlation_id=g.get("request_id"))
        g.uow = current
    return current


def close_request_uow(_exc: BaseException | None = None) -> None:
    current = g.pop("uow", None)
    if current is not None:
        current.__exit__(None, None, None)


def transactional(
    view: F | None = None,
    *,
    idempotency: Literal["off", "optional", "required"] = "optional",
    client: Callable[[], str] | None = None,
) -> Any:
    """Run the view in one transaction, committed when it answers below 400.

    An `Idempotency-Key` header makes every such call repeatable (`idempotency="optional"`,
    the default; `"required"` refuses a call without one; `"off"` ignores it): the first
    call's response is stored in the same transaction as its effects, and a repeat with
    the same key and body gets that response again (`Idempotent-Replayed: true`). The
    gateway relies on it to send a keyed write again after a broken connection. Keys
    are scoped per client: the token's subject, or what `client()` names for callers
    without a token (e.g. an Open311 api_key), so one client never replays another's.
    """

    def decorate(func_: F) -> F:
        @wraps(func_)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            key = request.headers.get(IDEMPOTENCY_HEADER)
            if key is None and idempotency == "required":
                raise BadRequest(
                    f"This request moves money or creates a record; send an {IDEMPOTENCY_HEADER} "
                    "header (a unique value per intended operation).",
                    type="idempotency-key-missing",
                )
            if key is not None and idempotency == "off":
                key = None
            if key is not None and not _KEY.match(key):
                raise BadRequest(
                    f"{IDEMPOTENCY_HEADER} must be 1-200 printable ASCII characters.",
                    type="idempotency-key-invalid",
                )
            g.idempotency_client = client
            try:
                return _run_in_transaction(func_, key, args, kwargs)
            except DBAPIError as exc:
                if not getattr(exc, "retryable_once", False):
                    raise
                # The server had closed the connection: nothing was applied. Once more,
                # on a fresh connection from the (now invalidated) pool.
                return _run_in_transaction(func_, key, args, kwargs)

        if idempotency != "off":
            _document_key(wrapper, required=idempotency == "required")
        return wrapper  # type: ignore[return-value]

    return decorate(view) if view is not None else decorate


def _document_key(view: Any, *, required: bool) -> None:
    """The Idempotency-Key header in the view's OpenAPI operation (`openapi_document`)."""
    apidoc = copy.deepcopy(getattr(view, "_apidoc", {}))
    manual = apidoc.setdefault("manual_doc", {})
    manual.setdefault("x-headers", {})[IDEMPOTENCY_HEADER] = {
        "required": required,
        "schema": {"type": "string", "pattern": _KEY.pattern},
        "description": "A unique value per intended operation: a repeat gets the first answer.",
    }
    view._apidoc = apidoc


def _run_in_transaction(view: Callable[..., Any], key: str | None, args: Any, kwargs: Any) -> Response:
    """The view in one unit of work; a lost connection before commit is marked retryable."""
    close_request_uow()
    with runtime().unit_of_work(correlation_id=g.get("request_id")) as current:
        g.uow = current
        try:
            if key is not None:
                replay = _claim_key(current, key)
                if replay is not None:
                    return replay
            response = make_response(view(*args, **kwargs))
        except DBAPIError as exc:
            exc.retryable_once = lost_connection(exc)  # type: ignore[attr-defined]
            raise
        if response.status_code >= 400:
            current.rollback()
            return response
        if key is not None:
            _store_response(current, key, response)
        current.commit()
        return response


def _principal_key() -> str:
    principal = g.get("principal")
    if principal is not None:
        return principal.sub
    client = g.get("idempotency_client")
    return f"client:{client()}"[:200] if client is not None else "anonymous"


def _request_hash() -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _claim_key(current: UnitOfWork, key: str) -> Response | None:
    """Insert the key row first (it blocks a concurrent twin); replay if it already exists."""
    table = current.database.table("idempotency_keys")
    request_hash = _request_hash()
    try:
        with current.session.begin_nested():
            current.session.execute(
                table.insert().values(
                    principal=_principal_key(),
                    key=key,
                    method=request.method,
                    path=request.path[:500],
                    request_hash=request_hash,
                    created_at=clock.now(),
                )
            )
    except IntegrityError:
        row = current.session.execute(
            select(table).where(table.c.principal == _principal_key(), table.c.key == key)
        ).one()
        current.rollback()
        if row.request_hash != request_hash:
            raise Unprocessable(
                f"This {IDEMPOTENCY_HEADER} was already used for a different request.",
                type="idempotency-key-reused",
            ) from None
        response = Response(row.body or "", status=row.status_code)
        for name, value in (row.headers or {}).items():
            response.headers[name] = value
        response.headers["Idempotent-Replayed"] = "true"
        return response
    return None


def _store_response(current: UnitOfWork, key: str, response: Response) -> None:
    table = current.database.table("idempotency_keys")
    headers = {h: response.headers[h] for h in _REPLAYED_HEADERS if h in response.headers}
    current.session.execute(
        update(table)
        .where(table.c.principal == _principal_key(), table.c.key == key)
        .values(status_code=response.status_code, body=response.get_data(as_text=True), headers=headers)
    )


class StreamedRows:
    """Every row of a select, read in batches from a server-side cursor each time it is
    iterated (a download of a list: `exports`). It is iterated while the response streams,
    after the view's unit of work was closed, so it reads through the unit of work of that
    moment (closed in turn when the stream ends)."""

    def __init__(self, statement: Select[Any], session: Any | None = None) -> None:
        self.statement = statement
        self.session = session

    def __iter__(self) -> Iterator[Any]:
        session = self.session or uow().session
        yield from session.scalars(self.statement.execution_options(yield_per=exports.BATCH))


def paginate(statement: Select[Any], pagination: Any, session: Any | None = None) -> list[Any] | StreamedRows:
    """Apply flask-smorest pagination parameters to a select of mapped objects (every row,
    streamed, when the list is being downloaded)."""
    given = session
    session = session or uow().session
    count = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    pagination.item_count = int(count or 0)
    if exports.exporting():
        return StreamedRows(statement, given)
    page_size = pagination.page_size
    return list(session.scalars(statement.limit(page_size).offset((pagination.page - 1) * page_size)))
