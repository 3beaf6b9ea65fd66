"""HTTP API of the contracts service: translate, call a handler, respond."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint


class ContractsBlueprint(Blueprint):
    """A blueprint whose ETag-checked views include POST actions on a resource.

    Signing, amending and terminating a contract are POSTs that change it, so they
    need `If-Match` like a PATCH (428 without it, 412 when stale). Only views
    decorated with `@blp.etag` are concerned.
    """

    METHODS_NEEDING_CHECK_ETAG = ["PUT", "PATCH", "DELETE", "POST"]


def blueprints() -> list[Blueprint]:
    from . import catalogue, contracts, money, ocds, procurement

    return [catalogue.blp, procurement.blp, contracts.blp, money.blp, ocds.blp]
