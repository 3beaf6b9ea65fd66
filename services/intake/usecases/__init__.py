"""Use cases of the intake service: commands, consumed-event handlers, periodic tasks, reports.

Commands by area: `catalogue` (business types, windows, calendar), `tickets`, `cases`,
`feedback`; reports: `analytics`, `pooling` (with `desk_stats`), `replay` (the simulate
command's inputs); who may do what: `policy`.
"""

from __future__ import annotations

from services.chassis.consumer import ConsumedEvents

from . import cases

CONSUMED = ConsumedEvents.of(cases)
