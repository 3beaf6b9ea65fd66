"""Reference data: the demo department's grants (city management reads grid's cases).

`load_reference_data(runtime)` grants `city_management` the event types of the cases
grid refers to it, through the service's own use case; a second call changes nothing.
"""

from __future__ import annotations

from services.chassis.auth import Principal
from services.chassis.runtime import Runtime
from services.subscriptions.usecases import grants

GRANTS = {"city_management": ("grid.case.*",)}


def load_reference_data(runtime: Runtime) -> None:
    """Grant each reference department its event types, once."""
    keeper = Principal(
        sub="reference-data",
        name="Reference data",
        roles=frozenset({"admin"}),
        communities=frozenset(),
        claims={},
    )
    for department, patterns in GRANTS.items():
        with runtime.unit_of_work() as uow:
            held = set(grants.patterns_of(uow, department))
            for pattern in patterns:
                if pattern not in held:
                    grants.grant(uow, keeper, department, pattern)
            uow.commit()
