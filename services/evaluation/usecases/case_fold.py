"""How a case's events fold into the one row the read model keeps per case.

Intake and grid publish a case's steps (`opened`, `reported`, `resolved`, `reopened`,
`closed`, `overdue`, ...) with an increasing per-case `sequence`. The row keeps what the
metrics need: the due time, the first and the latest resolution, whether it was ever
reopened, and when it was closed, each with the sequence of the step it came from. A
case is resolved (closed) now when its latest resolution (close) is later in sequence
than its latest reopening. Every field merges by "earliest" or "latest by sequence", so
the fold does not depend on the order of delivery, and a repeated or equivalent event
(same facts, new id) leaves the row as it was. Payload times are read with the chassis'
`parse_time`, as the events' contracts define them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from services.chassis.events import parse_time

NEVER = -1


@dataclass(frozen=True)
class CaseRow:
    """The read model's view of one case (intake or grid)."""

    source: str | None = None
    opened_at: datetime | None = None
    due_at: datetime | None = None
    last_sequence: int = NEVER
    first_resolved_at: datetime | None = None
    resolved_at: datetime | None = None
    on_time: bool | None = None
    resolution_sequence: int = NEVER
    reopened: bool = False
    reopen_sequence: int = NEVER
    closed_at: datetime | None = None
    closed_sequence: int = NEVER

    @property
    def is_resolved(self) -> bool:
        return self.resolution_sequence > self.reopen_sequence

    @property
    def is_closed(self) -> bool:
        return self.closed_sequence > self.reopen_sequence


def _earliest(current: datetime | None, other: datetime | None) -> datetime | None:
    if current is None or other is None:
        return current or other
    return min(current, other)


def apply(
    row: CaseRow, verb: str, data: Mapping[str, Any], sequence: int, occurred_at: datetime | None = None
) -> CaseRow:
    """The row after one case event (`verb` is the event name's last word).

    `occurred_at` (the event's time) stands in for a step time the payload lacks, such as
    grid's `closed`, which carries its `closed_kind` but no timestamp.
    """
    changes: dict[str, Any] = {}
    opened = parse_time(data.get("opened_at")) or parse_time(data.get("reported_at"))
    changes["opened_at"] = _earliest(row.opened_at, opened)
    due = parse_time(data.get("due_at"))
    if sequence >= row.last_sequence:
        changes["last_sequence"] = sequence
        changes["due_at"] = due or row.due_at
        if isinstance(data.get("source"), str):
            changes["source"] = data["source"]
    elif row.due_at is None:
        changes["due_at"] = due
    if verb == "resolved":
        resolved = parse_time(data.get("resolved_at"))
        changes["first_resolved_at"] = _earliest(row.first_resolved_at, resolved)
        if sequence >= row.resolution_sequence:
            on_time = data.get("on_time")
            if not isinstance(on_time, bool):
                on_time = resolved is not None and due is not None and resolved <= due
            changes.update(resolved_at=resolved, on_time=on_time, resolution_sequence=sequence)
    elif verb == "reopened":
        changes.update(reopened=True, reopen_sequence=max(row.reopen_sequence, sequence))
    elif verb == "closed" and sequence >= row.closed_sequence:
        closed = parse_time(data.get("closed_at")) or occurred_at
        changes.update(closed_at=closed, closed_sequence=sequence)
    return replace(row, **changes)
