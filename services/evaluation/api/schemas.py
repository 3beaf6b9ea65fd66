"""Request and response bodies of the evaluation API (the contract; never derived from tables)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from services.chassis.config import COMMUNITIES
from services.chassis.schemas import TEXT_PATTERN, PageQuerySchema, Schema

from ..domain.model import GRADES, PARTIES, ROUND_STATUSES, SURVEY_ENTERED, SURVEY_FROM_RATINGS

CODE = validate.Regexp(r"^[A-Za-z0-9_-]{1,40}$", error="1-40 letters, digits, '_' or '-'.")


class Exact(fields.Decimal):
    """An exact decimal in (a JSON number or a numeric string), a JSON number out."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_nan=False, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> float | None:
        if value is None:
            return None
        try:
            return float(Decimal(str(value)))
        except InvalidOperation:
            return None


# A comparison: a number, or a number or fraction written as text (`hygiene.bounded_fraction`).
SAATY_VALUE = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "minLength": 1, "maxLength": 64, "pattern": TEXT_PATTERN},
    ]
}


def _matrix() -> fields.List:
    return fields.List(
        fields.List(fields.Raw(metadata=SAATY_VALUE), validate=validate.Length(min=2, max=10)),
        required=True,
        validate=validate.Length(min=2, max=10),
        metadata={
            "description": "Row i compared with column j on Saaty's "
            '1/9..9 scale: numbers or fractions like "1/3"'
        },
    )


class AhpSchema(Schema):
    """Pairwise comparisons of a node's children, in the order of the children."""

    matrix = _matrix()
    lambda_max = fields.Float(metadata={"description": "Computed; ignored on input"})
    consistency_index = fields.Float(metadata={"description": "Computed; ignored on input"})
    consistency_ratio = fields.Float(metadata={"description": "Computed; must be below 0.1"})


class NodeSchema(Schema):
    """A dimension (with `children`) or an indicator (with `source`)."""

    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    weight = Exact(
        allow_none=True,
        metadata={
            "description": "Share of the parent (at most 4 decimals); the children of a node sum to exactly 1"
        },
    )
    source = fields.String(validate=validate.OneOf(("party", "metric")), allow_none=True)
    metric = fields.String(validate=validate.Length(max=60), allow_none=True)
    formula = fields.String(validate=validate.Length(max=40), allow_none=True)
    target = Exact(allow_none=True)
    floor = Exact(allow_none=True)
    worst = Exact(allow_none=True)
    ahp = fields.Nested(AhpSchema, allow_none=True)
    children = fields.List(fields.Nested(lambda: NodeSchema()), validate=validate.Length(max=50))


class PartyWeightSchema(Schema):
    party = fields.String(required=True, validate=validate.OneOf(PARTIES))
    weight = Exact(required=True)


class GradeBandsSchema(Schema):
    """Lower bounds of the grades (a score at the bound earns the grade)."""

    excellent = Exact(required=True)
    good = Exact(required=True)
    pass_ = Exact(required=True, data_key="pass", attribute="pass")


class SurveySchema(Schema):
    """How the resident survey party scores: from residents' ratings, or entered."""

    mode = fields.String(
        validate=validate.OneOf((SURVEY_FROM_RATINGS, SURVEY_ENTERED)), load_default=SURVEY_FROM_RATINGS
    )
    min_responses = fields.Integer(strict=True, validate=validate.Range(min=1, max=100_000), load_default=30)


class DefinitionSchema(Schema):
    """What a scheme version says: parties, dimensions and indicators, grade bands."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    parties = fields.List(
        fields.Nested(PartyWeightSchema), required=True, validate=validate.Length(min=1, max=len(PARTIES))
    )
    dimensions = fields.List(
        fields.Nested(NodeSchema), required=True, validate=validate.Length(min=1, max=30)
    )
    ahp = fields.Nested(
        AhpSchema, allow_none=True, metadata={"description": "Derive the dimensions' weights instead"}
    )
    grade_bands = fields.Nested(GradeBandsSchema)
    survey = fields.Nested(SurveySchema)


class SchemeCreateSchema(DefinitionSchema):
    community = fields.String(required=True, validate=validate.OneOf(COMMUNITIES))
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2011, max=2100))
    contract_id = fields.UUID(
        allow_none=True,
        metadata={"description": "The purchase contract evaluated; null for the service center"},
    )


class SchemeSchema(Schema):
    id = fields.String(dump_only=True)
    community = fields.String(dump_only=True)
    year = fields.Integer(dump_only=True)
    contract_id = fields.String(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True, metadata={"description": "draft or frozen"})
    title = fields.String(dump_only=True)
    parties = fields.List(fields.Nested(PartyWeightSchema), attribute="definition.parties")
    dimensions = fields.List(fields.Nested(NodeSchema), attribute="definition.dimensions")
    ahp = fields.Nested(AhpSchema, allow_none=True, attribute="definition.ahp")
    grade_bands = fields.Nested(GradeBandsSchema, attribute="definition.grade_bands")
    survey = fields.Nested(SurveySchema, attribute="definition.survey")
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)
    frozen_at = fields.DateTime(dump_only=True, allow_none=True)


class SchemeQuerySchema(PageQuerySchema):
    community = fields.String(validate=validate.OneOf(COMMUNITIES))
    year = fields.Integer(validate=validate.Range(min=2011, max=2100))
    status = fields.String(validate=validate.OneOf(("draft", "frozen")))
    contract_id = fields.UUID()


class AhpRequestSchema(Schema):
    matrix = _matrix()


class AhpResultSchema(Schema):
    weights = fields.List(fields.Float())
    lambda_max = fields.Float()
    consistency_index = fields.Float()
    consistency_ratio = fields.Float()
    random_index = fields.Float()


class RoundOpenSchema(Schema):
    scheme_id = fields.UUID(required=True)
    period_start = fields.Date(metadata={"description": "Default: 1 January of the year"})
    period_end = fields.Date(metadata={"description": "Default: 31 December of the year"})


class ProgressSchema(Schema):
    party = fields.String()
    computed = fields.Boolean()
    members = fields.Integer()
    indicators_scored = fields.Integer()
    indicators_total = fields.Integer()


def _score(obj: Any) -> float | None:
    return None if obj.score_centi is None else obj.score_centi / 100


class RoundSchema(Schema):
    id = fields.String()
    scheme_id = fields.String()
    scheme_version = fields.Integer(attribute="snapshot.version")
    title = fields.String(attribute="snapshot.title")
    community = fields.String()
    year = fields.Integer()
    contract_id = fields.String(allow_none=True)
    status = fields.String(metadata={"description": ", ".join(ROUND_STATUSES)})
    period_start = fields.Date()
    period_end = fields.Date()
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    close_proposed_at = fields.DateTime(
        allow_none=True, metadata={"description": "A contract's round: a manager proposed closing it"}
    )
    score = fields.Function(_score, allow_none=True)
    grade = fields.String(allow_none=True, metadata={"description": ", ".join(GRADES)})
    progress = fields.List(fields.Nested(ProgressSchema), allow_none=True)


class CloseSchema(Schema):
    resolution = fields.String(
        validate=validate.Length(min=2, max=200),
        metadata={"description": "A contract's round: the committee resolution closing it (委员会决议)"},
    )


class RoundQuerySchema(PageQuerySchema):
    community = fields.String(validate=validate.OneOf(COMMUNITIES))
    year = fields.Integer(validate=validate.Range(min=2011, max=2100))
    status = fields.String(validate=validate.OneOf(ROUND_STATUSES))
    contract_id = fields.UUID()


class ScoreEntrySchema(Schema):
    indicator = fields.String(required=True, validate=CODE)
    score = Exact(
        required=True,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "0-100, at most two decimals"},
    )


class ScoreSheetSchema(Schema):
    party = fields.String(required=True, validate=validate.OneOf(PARTIES))
    scores = fields.List(
        fields.Nested(ScoreEntrySchema), required=True, validate=validate.Length(min=1, max=300)
    )


class MyScoreSchema(Schema):
    party = fields.String()
    indicator = fields.String()
    score = fields.Function(lambda row: row.score_centi / 100)
    submitted_at = fields.DateTime()
    revised_at = fields.DateTime(allow_none=True)


class MetricsQuerySchema(Schema):
    community = fields.String(required=True, validate=validate.OneOf(COMMUNITIES))
    year = fields.Integer(validate=validate.Range(min=2011, max=2100))
    start = fields.Date(data_key="from", metadata={"description": "First local day"})
    end = fields.Date(data_key="to", metadata={"description": "Last local day (included)"})
    contract_id = fields.UUID(metadata={"description": "Milestones of this contract only"})

    @ma.validates_schema
    def _one_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        if ("year" in data) == ("start" in data or "end" in data):
            raise ma.ValidationError("Give either year, or from and to.", "year")
        if ("start" in data) != ("end" in data):
            raise ma.ValidationError("Give both from and to.", "to")
        if "start" in data and data["start"] > data["end"]:
            raise ma.ValidationError("to must not be before from.", "to")


class MetricsSchema(Schema):
    community = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    contract_id = fields.String(allow_none=True)
    computed_at = fields.DateTime()
    metrics = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))


class PartyResultSchema(Schema):
    party = fields.String()
    weight = fields.Float()
    score = fields.Float(metadata={"description": "The party's total over every indicator"})
    contribution = fields.Float(metadata={"description": "weight × score: points of the total"})
    sheets = fields.Integer(metadata={"description": "Members who submitted a sheet"})
    computed = fields.Boolean(metadata={"description": "Computed from residents' ratings"})


class IndicatorResultSchema(Schema):
    code = fields.String()
    name = fields.String()
    path = fields.List(fields.String())
    source = fields.String()
    weight = fields.Float(metadata={"description": "Global weight (product down the tree)"})
    score = fields.Float()
    contribution = fields.Float()
    party_scores = fields.Dict(keys=fields.String(), values=fields.Float())
    metric = fields.Dict()


class DimensionResultSchema(Schema):
    code = fields.String()
    name = fields.String()
    path = fields.List(fields.String())
    weight = fields.Float()
    score = fields.Float()
    contribution = fields.Float()


class SensitivitySchema(Schema):
    committee_weight = fields.Float()
    score = fields.Float(allow_none=True)
    grade = fields.String(allow_none=True)


class ResultSchema(Schema):
    round_id = fields.String()
    scheme_id = fields.String()
    scheme_version = fields.Integer()
    community = fields.String()
    year = fields.Integer()
    contract_id = fields.String(allow_none=True)
    period_start = fields.Date()
    period_end = fields.Date()
    closed_at = fields.DateTime()
    score = fields.Float()
    grade = fields.String()
    committee_weight = fields.Float()
    grade_bands = fields.Dict(keys=fields.String(), values=fields.Float())
    parties = fields.List(fields.Nested(PartyResultSchema))
    indicators = fields.List(fields.Nested(IndicatorResultSchema))
    dimensions = fields.List(fields.Nested(DimensionResultSchema))
    sensitivity = fields.List(
        fields.Nested(SensitivitySchema),
        metadata={"description": "Score and grade with the committee's weight at 0.5 and at 1"},
    )
    survey = fields.Dict(allow_none=True)
    metrics = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
