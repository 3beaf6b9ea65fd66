"""Conditional requests (RFC 9110 §8.8.3, §13.1.1): the one way a resource's ETag is made
and a write's `If-Match` is checked, in every service.

A resource that may be changed by several people carries a strong entity tag made from
its identity and version (`version_tag`) or from the representation a party signs
(`content_tag`). A write to it names the tag it read in `If-Match`: none → 428, another
tag → 412. `*` means "whatever is current"; where a party must prove which revision it
read (signing, approving) the use case passes `allow_any=False` and `*` is refused too.
Check after locking the row (`SELECT … FOR UPDATE`), then write: no lost update.

Every other GET answered 200 with a JSON body gets a weak tag of its bytes
(`revalidate`, installed by the app factory): a client that sends it back in
`If-None-Match` gets 304 without a body while the representation is the same, which is
what lets a page refetch cheaply after a change signal or on its safety timer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from flask import Request, Response

from .errors import PreconditionFailed, PreconditionRequired

IF_MATCH = "If-Match"
# Response headers that are part of what a list means (its page totals): in the tag too.
_TAGGED_HEADERS = ("X-Pagination",)


def version_tag(kind: str, row_id: str, version: int) -> str:
    """A strong ETag for version `version` of the `kind` with id `row_id`."""
    return f'"{kind}-{str(row_id)[:8]}-{int(version)}"'


def content_tag(representation: Mapping[str, Any]) -> str:
    """A strong ETag for a representation (what was read, hashed canonically)."""
    canonical = json.dumps(representation, sort_keys=True, separators=(",", ":"), default=str)
    return f'"{hashlib.sha1(canonical.encode()).hexdigest()}"'


def matches(if_match: str, current_tag: str, *, allow_any: bool = True) -> bool:
    """Does an If-Match field value (`*` or a list of entity tags) name the current tag?"""
    wanted = {tag.strip() for tag in if_match.split(",")}
    return (allow_any and "*" in wanted) or current_tag in wanted


def require_match(if_match: str | None, current_tag: str, *, what: str, allow_any: bool = True) -> None:
    """Refuse a write whose `If-Match` is missing (428) or names another revision (412)."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(f"Send {IF_MATCH} with the {what}'s ETag to change it.")
    if not matches(if_match, current_tag, allow_any=allow_any):
        if not allow_any and if_match.strip() == "*":
            raise PreconditionFailed(
                f"Name the revision of the {what} you read in {IF_MATCH}; `*` is not accepted here."
            )
        raise PreconditionFailed(f"The {what} changed since you read it; read it again.")


def body_tag(response: Response) -> str:
    """The weak ETag of a response: a BLAKE2b digest of its body and its pagination header."""
    digest = hashlib.blake2b(response.get_data(), digest_size=16)
    for name in _TAGGED_HEADERS:
        digest.update(b"\n" + response.headers.get(name, "").encode())
    return digest.hexdigest()


def revalidate(request: Request, response: Response) -> Response:
    """Conditional GET for every JSON read: a weak ETag, and 304 when `If-None-Match` names it.

    Left alone: other methods and statuses, streamed or non-JSON bodies, answers with an
    ETag of their own (records guarded by If-Match, open data) or `no-store`. Without a
    Cache-Control of its own the answer gets `no-cache` (a browser keeps it but asks every
    time), and `private` when the request carried a token, so no shared cache keeps
    anyone's data. The tag is of the bytes this caller would get: a 304 never hands one
    caller's kept copy to another whose answer differs.
    """
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.is_streamed
        or response.mimetype != "application/json"
        or "ETag" in response.headers
        or "no-store" in response.headers.get("Cache-Control", "")
    ):
        return response
    tag = body_tag(response)
    response.set_etag(tag, weak=True)
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "private, no-cache" if request.authorization else "no-cache"
    if request.if_none_match.contains_weak(tag):
        response.status_code = 304  # werkzeug sends no body and drops the entity headers
    return response
