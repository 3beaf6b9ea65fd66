"""Response bodies of the desk analytics and the pooling report."""

from __future__ import annotations

import marshmallow as ma

from services.chassis.schemas import Schema


class DistributionSchema(Schema):
    count = ma.fields.Integer()
    mean = ma.fields.Float(allow_none=True)
    p50 = ma.fields.Float(allow_none=True)
    p90 = ma.fields.Float(allow_none=True)


class SummarySchema(Schema):
    community = ma.fields.String()
    date_from = ma.fields.Date(data_key="from", attribute="from")
    date_to = ma.fields.Date(data_key="to", attribute="to")
    arrivals = ma.fields.Integer()
    completed = ma.fields.Integer()
    no_shows = ma.fields.Integer()
    no_show_rate = ma.fields.Float(allow_none=True)
    wait_seconds = ma.fields.Nested(DistributionSchema)
    service_seconds = ma.fields.Nested(DistributionSchema)
    by_business_type = ma.fields.List(ma.fields.Dict())
    by_hour = ma.fields.List(ma.fields.Dict())
    by_window = ma.fields.List(ma.fields.Dict())
    satisfaction = ma.fields.Dict()


class PoolingSchema(Schema):
    community = ma.fields.String()
    date_from = ma.fields.Date(data_key="from", attribute="from")
    date_to = ma.fields.Date(data_key="to", attribute="to")
    open_days = ma.fields.Integer()
    service_hours_per_day = ma.fields.Float()
    staff = ma.fields.Integer()
    arrivals = ma.fields.Integer()
    pooled = ma.fields.Dict(metadata={"description": "Every window serves every type (M/M/c)"})
    dedicated = ma.fields.Dict(metadata={"description": "One queue per skill set or department"})
    measured = ma.fields.Dict(metadata={"description": "Measured waits in the period"})
