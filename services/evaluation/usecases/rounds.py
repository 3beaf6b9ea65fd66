"""Use cases of evaluation rounds: open, score, close (result + event), cancel, read."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from services.chassis import clock, conditional, scoping
from services.chassis.auth import Principal
from services.chassis.errors import Conflict, NotFound, Unprocessable
from services.chassis.unit_of_work import UnitOfWork

from ..domain import scoring
from ..domain.model import (
    CANCELLED,
    CLOSED,
    OPEN,
    RESIDENT_SURVEY,
    SCORE_PLACES,
    ScoreRefused,
    next_status,
    places,
)
from ..domain.tree import METRIC, parse_definition
from ..events import ROUND_COMPLETED, ROUND_OPENED, SCORE_SUBMITTED
from ..models import Round, RoundScore, Scheme
from . import contract_rounds, metrics, policy
from .schemes import FROZEN, get_scheme


def open_round(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Round:
    """Open a round on the latest version of a scheme, freezing that version."""
    scheme = get_scheme(uow, principal, str(data["scheme_id"]))
    policy.require_manager(principal, scheme.community)
    latest = uow.session.scalar(
        select(func.max(Scheme.version)).where(Scheme.series_key == scheme.series_key)
    )
    if scheme.version != latest:
        raise Conflict(
            f"Version {scheme.version} is superseded by version {latest}; open the "
            "round on the latest version.",
            type="scheme-superseded",
        )
    start = data.get("period_start") or date(scheme.year, 1, 1)
    end = data.get("period_end") or date(scheme.year, 12, 31)
    if start > end:
        raise Unprocessable(
            "The period ends before it starts.", errors={"period_end": ["Must not be before period_start."]}
        )
    parsed = parse_definition(scheme.definition)
    contract_rounds.check_open(parsed, scheme.contract_id, start)
    now = clock.now()
    evaluation = Round(
        id=str(uuid.uuid4()),
        scheme_id=scheme.id,
        community=scheme.community,
        year=scheme.year,
        contract_id=scheme.contract_id,
        series_key=scheme.series_key,
        status=OPEN,
        period_start=start,
        period_end=end,
        opened_by=principal.sub,
        opened_at=now,
        snapshot={
            "scheme_id": scheme.id,
            "version": scheme.version,
            "title": scheme.title,
            "definition": scheme.definition,
        },
    )
    try:
        with uow.session.begin_nested():
            uow.session.add(evaluation)
            uow.session.flush()
    except IntegrityError:
        raise Conflict(
            f"{scheme.community} {scheme.year} already has a round for this "
            "scheme series; cancel it before opening another.",
            type="round-exists",
        ) from None
    if scheme.status != FROZEN:
        scheme.status, scheme.frozen_at = FROZEN, now
    uow.emit(
        ROUND_OPENED,
        subject=evaluation.id,
        community=evaluation.community,
        data={
            "round_id": evaluation.id,
            "scheme_id": scheme.id,
            "scheme_version": scheme.version,
            "contract_id": scheme.contract_id,
            "year": scheme.year,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "committee_weight": float(parsed.committee_weight),
            "opened_at": now.isoformat(),
        },
    )
    return evaluation


def _locked(uow: UnitOfWork, round_id: str) -> Round:
    """The round, row-locked so that scoring and closing never interleave."""
    found = uow.session.scalars(select(Round).where(Round.id == round_id).with_for_update()).one_or_none()
    if found is None:
        raise NotFound(f"No round {round_id}.")
    return found


def submit_scores(
    uow: UnitOfWork, principal: Principal, round_id: str, data: dict[str, Any]
) -> list[RoundScore]:
    """Submit or revise the caller's scores for their party; returns their sheet."""
    evaluation = _locked(uow, round_id)
    party = data["party"]
    scheme = parse_definition(evaluation.snapshot["definition"])
    if party not in scheme.parties:
        raise ScoreRefused(
            f"The {party} party does not evaluate in this scheme.",
            errors={"party": [f"Parties here: {', '.join(scheme.parties)}."]},
        )
    roles = policy.scorer_roles(party, scheme.survey_mode)
    if not roles:
        raise ScoreRefused(
            "The resident survey's scores are computed from residents' ratings; "
            "nobody enters them in this scheme.",
            errors={"party": ["Computed."]},
        )
    policy.require_scorer(principal, party, roles, evaluation.community)
    status = next_status(evaluation.status, "score")
    kinds = {ind.code: ind for ind, _, _ in scheme.indicators()}
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for i, entry in enumerate(data["scores"]):
        code, score = entry["indicator"], entry["score"]
        if code not in kinds:
            errors[f"scores.{i}.indicator"] = [f"No indicator {code!r} in this scheme."]
        elif kinds[code].source == METRIC:
            errors[f"scores.{i}.indicator"] = [f"{code} is computed from {kinds[code].metric}."]
        elif code in seen:
            errors[f"scores.{i}.indicator"] = [f"{code} is scored twice in this sheet."]
        if places(score) > SCORE_PLACES:
            errors[f"scores.{i}.score"] = [f"Scores carry at most {SCORE_PLACES} decimals."]
        seen.add(code)
    if errors:
        raise ScoreRefused("Some scores cannot be accepted.", errors=errors)
    now = clock.now()
    for entry in data["scores"]:
        key = (evaluation.id, party, entry["indicator"], principal.sub)
        row = uow.session.get(RoundScore, key)
        centi = int(entry["score"] * 100)
        if row is None:
            uow.session.add(
                RoundScore(
                    round_id=key[0],
                    party=party,
                    indicator=key[2],
                    member=key[3],
                    score_centi=centi,
                    submitted_at=now,
                )
            )
        else:
            row.score_centi, row.revised_at = centi, now
        uow.emit(
            SCORE_SUBMITTED,
            subject=evaluation.id,
            community=evaluation.community,
            data={
                "round_id": evaluation.id,
                "party": party,
                "indicator": entry["indicator"],
                "revised": row is not None,
                "submitted_at": now.isoformat(),
            },
        )
    evaluation.status = status
    uow.flush()
    return my_scores(uow, principal, evaluation)


def my_scores(uow: UnitOfWork, principal: Principal, evaluation: Round) -> list[RoundScore]:
    """The caller's own submitted scores in a round."""
    return list(
        uow.session.scalars(
            select(RoundScore)
            .where(RoundScore.round_id == evaluation.id, RoundScore.member == principal.sub)
            .order_by(RoundScore.party, RoundScore.indicator)
        )
    )


def propose_close(uow: UnitOfWork, principal: Principal, round_id: str) -> Round:
    """A manager proposes closing a contract's round (another manager closes it)."""
    evaluation = _locked(uow, round_id)
    next_status(evaluation.status, "close")
    return contract_rounds.propose_close(principal, evaluation)


def etag(uow: UnitOfWork, evaluation: Round) -> str:
    """The round's entity tag: it changes with its status and with every score sheet
    submitted or revised (made from their count and latest time, never from the scores)."""
    uow.flush()
    count, latest_submitted, latest_revised = uow.session.execute(
        select(func.count(), func.max(RoundScore.submitted_at), func.max(RoundScore.revised_at)).where(
            RoundScore.round_id == evaluation.id
        )
    ).one()
    return conditional.content_tag(
        {
            "round": evaluation.id,
            "status": evaluation.status,
            "scores": count,
            "latest": max(str(latest_submitted or ""), str(latest_revised or "")),
        }
    )


def close_round(
    uow: UnitOfWork, principal: Principal, round_id: str, if_match: str | None, resolution: str | None = None
) -> Round:
    """Close a round on the scores the manager read (If-Match: the round's ETag, `*` refused):
    compute and publish its result (`evaluation.round.completed`)."""
    evaluation = _locked(uow, round_id)
    policy.require_manager(principal, evaluation.community)
    status = next_status(evaluation.status, "close")
    conditional.require_match(if_match, etag(uow, evaluation), what="round", allow_any=False)
    via = contract_rounds.closed_via(principal, evaluation, resolution)
    scheme = parse_definition(evaluation.snapshot["definition"])
    period = metrics.Period(evaluation.period_start, evaluation.period_end)
    values = metrics.compute(uow.session, evaluation.community, period, contract_id=evaluation.contract_id)
    sheets: dict[str, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for row in uow.session.scalars(select(RoundScore).where(RoundScore.round_id == evaluation.id)):
        sheets[row.party][row.member][row.indicator] = Decimal(row.score_centi).scaleb(-2)
    result = scoring.compute_result(scheme, sheets, values)
    result["metrics"] = {k: None if v is None else float(v) for k, v in values.items()}
    now = clock.now()
    evaluation.status, evaluation.closed_at, evaluation.closed_by = status, now, principal.sub
    evaluation.closed_via = via
    evaluation.score_centi = int(Decimal(str(result["score"])) * 100)
    evaluation.grade, evaluation.result = result["grade"], result
    uow.flush()
    uow.emit(
        ROUND_COMPLETED,
        subject=evaluation.id,
        community=evaluation.community,
        data={
            "round_id": evaluation.id,
            "scheme_id": evaluation.scheme_id,
            "contract_id": evaluation.contract_id,
            "year": evaluation.year,
            "score": result["score"],
            "grade": result["grade"],
            "committee_weight": result["committee_weight"],
            "completed_at": now.isoformat(),
            "party_weights": {p["party"]: p["weight"] for p in result["parties"]},
            "period_start": evaluation.period_start.isoformat(),
            "period_end": evaluation.period_end.isoformat(),
            "opened_at": evaluation.opened_at.isoformat(),
            "closed_via": via,
            "closers": len({evaluation.close_proposed_by or principal.sub, principal.sub}),
        },
    )
    return evaluation


def cancel_round(uow: UnitOfWork, principal: Principal, round_id: str) -> Round:
    """Cancel a round opened by mistake (its scheme version stays frozen)."""
    evaluation = _locked(uow, round_id)
    policy.require_manager(principal, evaluation.community)
    evaluation.status = next_status(evaluation.status, "cancel")
    uow.flush()
    return evaluation


def visible_round(uow: UnitOfWork, principal: Principal, round_id: str) -> Round:
    """A round the caller may read: scorers and managers always, others once published."""
    evaluation = uow.session.get(Round, round_id)
    if evaluation is None:
        raise NotFound(f"No round {round_id}.")
    policy.require_in_community(principal, evaluation.community)
    policy.require_published_or_follower(principal, closed=evaluation.status == CLOSED)
    return evaluation


def published_result(uow: UnitOfWork, principal: Principal, round_id: str) -> Round:
    """A closed round whose result the caller may read (409 while it is not closed)."""
    evaluation = visible_round(uow, principal, round_id)
    if evaluation.status != CLOSED:
        raise Conflict(
            f"The round is {evaluation.status}; its result exists once it closes.", type="result-not-ready"
        )
    return evaluation


def list_rounds(principal: Principal, filters: dict[str, Any]) -> Select[Any]:
    """Rounds of the caller's communities (only closed ones for readers of results)."""
    statement = scoping.scoped(select(Round), principal, Round.community)
    if not policy.follows_rounds(principal):
        statement = statement.where(Round.status == CLOSED)
    for name in ("community", "year", "status"):
        if filters.get(name) is not None:
            statement = statement.where(getattr(Round, name) == filters[name])
    if filters.get("contract_id"):
        statement = statement.where(Round.contract_id == str(filters["contract_id"]))
    return statement.order_by(Round.year.desc(), Round.community, Round.opened_at.desc())


def progress(uow: UnitOfWork, principal: Principal, evaluation: Round) -> list[dict[str, Any]] | None:
    """Per party: how many members scored and how many indicators have a score (no values)."""
    if evaluation.status in (CLOSED, CANCELLED) or not policy.follows_rounds(principal):
        return None
    scheme = parse_definition(evaluation.snapshot["definition"])
    wanted = scheme.party_indicators()
    rows = uow.session.execute(
        select(RoundScore.party, RoundScore.indicator, RoundScore.member).where(
            RoundScore.round_id == evaluation.id
        )
    ).all()
    report = []
    for party in scheme.parties:
        computed = party == RESIDENT_SURVEY and not policy.scorer_roles(party, scheme.survey_mode)
        mine = [r for r in rows if r.party == party]
        scored = {r.indicator for r in mine}
        report.append(
            {
                "party": party,
                "computed": computed,
                "members": len({r.member for r in mine}),
                "indicators_scored": len(scored & set(wanted)),
                "indicators_total": len(wanted),
            }
        )
    return report
