"""Conditional requests (RFC 9110 §8.8.3, §13.1.1): the one way a resource's ETag is made
and a write's `If-Match` is checked, in every service.

A resource that may be changed by several people carries a strong entity tag made from
its identity and version (`version_tag`) or from the representation a party signs
(`content_tag`). A write to it names the tag it read in `If-Match`: none → 428, another
tag → 412. `*` means "whatever is current"; where a party must prove which revision it
read (signing, approving) the use case passes `allow_any=False` and `*` is refused too.
Check after locking the row (`SELECT … FOR UPDATE`), then write: no lost update.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from .errors import PreconditionFailed, PreconditionRequired

IF_MATCH = "If-Match"


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
