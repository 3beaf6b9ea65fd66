"""The governance service's Flask app (gunicorn entry: `services.governance.app:create_app()`)."""

from __future__ import annotations

from services.chassis.app import service_app

from . import api, models

create_app = service_app(
    "governance",
    models=models,
    api=api,
    title="Governance: the residents' committee decides as a body, residents have their say",
    description=(
        "The committee's roster and declared interests, meetings with quorum and recusal, "
        "resolutions, public notices (公示) with objections and answers, and the community "
        "autonomy fund's proposals, ballots and grants."
    ),
)
