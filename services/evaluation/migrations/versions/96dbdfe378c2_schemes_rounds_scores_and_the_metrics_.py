"""schemes, rounds, scores and the metrics read model

Revision ID: 96dbdfe378c2
Revises: 2228cf738f53
Create Date: 2026-11-26 05:32:16.897549

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import services.chassis.db

# revision identifiers, used by Alembic.
revision: str = "96dbdfe378c2"
down_revision: str | Sequence[str] | None = "2228cf738f53"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("status <> 'cancelled'")


def upgrade() -> None:
    """Schemes, rounds and scores; the metrics read model and its raw event log."""
    op.create_table(
        "metric_cases",
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("community", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("opened_at", services.chassis.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("due_at", services.chassis.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "first_resolved_at", services.chassis.db.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("resolved_at", services.chassis.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("reopened", sa.Boolean(), nullable=False),
        sa.Column("closed_at", services.chassis.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_sequence", sa.BigInteger(), nullable=False),
        sa.Column("resolution_sequence", sa.BigInteger(), nullable=False),
        sa.Column("reopen_sequence", sa.BigInteger(), nullable=False),
        sa.Column("closed_sequence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("origin", "case_id", name=op.f("pk_metric_cases")),
    )
    with op.batch_alter_table("metric_cases", schema=None) as batch_op:
        batch_op.create_index("ix_metric_cases_due", ["community", "due_at"], unique=False)
        batch_op.create_index(
            "ix_metric_cases_first_resolved", ["community", "first_resolved_at"], unique=False
        )
        batch_op.create_index(
            "ix_metric_cases_resolved", ["community", "resolved_at"], unique=False
        )

    op.create_table(
        "metric_cells",
        sa.Column("community", sa.String(length=40), nullable=False),
        sa.Column("cell_code", sa.String(length=40), nullable=False),
        sa.Column("first_seen_at", services.chassis.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community", "cell_code", name=op.f("pk_metric_cells")),
    )
    op.create_table(
        "metric_contracts",
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("community", sa.String(length=40), nullable=True),
        sa.Column("provider_id", sa.String(length=36), nullable=True),
        sa.Column("value_fen", sa.BigInteger(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("activated_at", services.chassis.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_metric_contracts")),
    )
    with op.batch_alter_table("metric_contracts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_metric_contracts_community"), ["community"], unique=False
        )

    op.create_table(
        "metric_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("community", sa.String(length=40), nullable=True),
        sa.Column("received_at", services.chassis.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_metric_events_event_id")),
    )
    op.create_table(
        "metric_feedback",
        sa.Column("feedback_id", sa.String(length=36), nullable=False),
        sa.Column("community", sa.String(length=40), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("recorded_at", services.chassis.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feedback_id", name=op.f("pk_metric_feedback")),
    )
    with op.batch_alter_table("metric_feedback", schema=None) as batch_op:
        batch_op.create_index(
            "ix_metric_feedback_period", ["community", "recorded_at"], unique=False
        )

    op.create_table(
        "metric_inspections",
        sa.Column("inspection_id", sa.String(length=36), nullable=False),
        sa.Column("community", sa.String(length=40), nullable=False),
        sa.Column("cell_code", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("completed_at", services.chassis.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("inspection_id", name=op.f("pk_metric_inspections")),
    )
    with op.batch_alter_table("metric_inspections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_metric_inspections_period", ["community", "completed_at"], unique=False
        )

    op.create_table(
        "metric_milestones",
        sa.Column("milestone_id", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("community", sa.String(length=40), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("met_at", services.chassis.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("withheld", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("milestone_id", name=op.f("pk_metric_milestones")),
    )
    with op.batch_alter_table("metric_milestones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_metric_milestones_contract_id"), ["contract_id"], unique=False
        )
        batch_op.create_index("ix_metric_milestones_due", ["community", "due_date"], unique=False)

    op.create_table(
        "metric_tickets",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("community", sa.String(length=40), nullable=False),
        sa.Column("business_type", sa.String(length=100), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("completed_at", services.chassis.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("wait_seconds", sa.Integer(), nullable=False),
        sa.Column("service_seconds", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_metric_tickets")),
    )
    with op.batch_alter_table("metric_tickets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_metric_tickets_period", ["community", "completed_at"], unique=False
        )

    op.create_table(
        "schemes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("community", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=True),
        sa.Column("series_key", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "definition",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", services.chassis.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", services.chassis.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("frozen_at", services.chassis.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schemes")),
        sa.UniqueConstraint("series_key", "version", name="uq_schemes_series_version"),
    )
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_schemes_community_year", ["community", "year", "version"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_schemes_contract_id"), ["contract_id"], unique=False)

    op.create_table(
        "rounds",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("scheme_id", sa.String(length=36), nullable=False),
        sa.Column("community", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=True),
        sa.Column("series_key", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column(
            "snapshot",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("opened_at", services.chassis.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.Column("closed_at", services.chassis.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("score_centi", sa.Integer(), nullable=True),
        sa.Column("grade", sa.String(length=20), nullable=True),
        sa.Column(
            "result",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"], ["schemes.id"], name=op.f("fk_rounds_scheme_id_schemes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index("ix_rounds_community_year", ["community", "year"], unique=False)
        batch_op.create_index(batch_op.f("ix_rounds_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rounds_scheme_id"), ["scheme_id"], unique=False)
        batch_op.create_index("ix_rounds_status", ["status"], unique=False)
        batch_op.create_index(
            "uq_rounds_live_series",
            ["series_key"],
            unique=True,
            postgresql_where=LIVE,
            sqlite_where=LIVE,
        )

    op.create_table(
        "round_scores",
        sa.Column("round_id", sa.String(length=36), nullable=False),
        sa.Column("party", sa.String(length=40), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("score_centi", sa.Integer(), nullable=False),
        sa.Column("submitted_at", services.chassis.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revised_at", services.chassis.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_scores_round_id_rounds")
        ),
        sa.PrimaryKeyConstraint(
            "round_id", "party", "indicator", "member", name=op.f("pk_round_scores")
        ),
    )


def downgrade() -> None:
    """Drop the evaluation's own tables (the chassis tables stay)."""
    op.drop_table("round_scores")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_index("uq_rounds_live_series", postgresql_where=LIVE, sqlite_where=LIVE)
        batch_op.drop_index("ix_rounds_status")
        batch_op.drop_index(batch_op.f("ix_rounds_scheme_id"))
        batch_op.drop_index(batch_op.f("ix_rounds_contract_id"))
        batch_op.drop_index("ix_rounds_community_year")

    op.drop_table("rounds")
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schemes_contract_id"))
        batch_op.drop_index("ix_schemes_community_year")

    op.drop_table("schemes")
    with op.batch_alter_table("metric_tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_tickets_period")

    op.drop_table("metric_tickets")
    with op.batch_alter_table("metric_milestones", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_milestones_due")
        batch_op.drop_index(batch_op.f("ix_metric_milestones_contract_id"))

    op.drop_table("metric_milestones")
    with op.batch_alter_table("metric_inspections", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_inspections_period")

    op.drop_table("metric_inspections")
    with op.batch_alter_table("metric_feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_feedback_period")

    op.drop_table("metric_feedback")
    op.drop_table("metric_events")
    with op.batch_alter_table("metric_contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_contracts_community"))

    op.drop_table("metric_contracts")
    op.drop_table("metric_cells")
    with op.batch_alter_table("metric_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_cases_resolved")
        batch_op.drop_index("ix_metric_cases_first_resolved")
        batch_op.drop_index("ix_metric_cases_due")

    op.drop_table("metric_cases")
