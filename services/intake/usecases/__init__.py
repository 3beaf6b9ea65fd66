"""Use cases of the intake service: consumed events (commands live in their modules).

Commands: `catalogue` (business types, windows, calendar), `tickets`, `cases`,
`feedback`; reports: `analytics`, `pooling`.
"""

from __future__ import annotations

from services.chassis.consumer import HandlerTable

from .cases import on_grid_case_resolved

EVENT_HANDLERS: HandlerTable = {
    "grid.case.resolved": [on_grid_case_resolved],
}
