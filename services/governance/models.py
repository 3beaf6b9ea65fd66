"""Tables of the governance service (its own database): roster, meetings, notices, the fund."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.chassis.db import BigId, JsonDocument, UtcDateTime, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class Member(Base):
    """A seat on a community's committee for a term, held by one signed-in person."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("community", "person_sub", "term_start", name="uq_members_person_term"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40), index=True)
    person_sub: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[str] = mapped_column(String(20))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)


class RosterChange(Base):
    """The roster's history: every appointment and interest declaration, with who and when."""

    __tablename__ = "roster_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    change: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    by_sub: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class Interest(Base):
    """A member's declared interest: a provider (credit code), a relative, an employment."""

    __tablename__ = "interests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    party: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Meeting(Base):
    """A committee meeting: when, where (or online), and who attended."""

    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    place: Mapped[str] = mapped_column(String(200))
    present_member_ids: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AgendaItem(Base):
    """A motion on the agenda; once closed it is a resolution, passed or not."""

    __tablename__ = "agenda_items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), index=True)
    community: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str | None] = mapped_column(String(36))
    parties: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    rule: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))  # open | passed | rejected
    votes_for: Mapped[int] = mapped_column(Integer, default=0)
    votes_against: Mapped[int] = mapped_column(Integer, default=0)
    abstentions: Mapped[int] = mapped_column(Integer, default=0)
    eligible: Mapped[int] = mapped_column(Integer, default=0)
    eligible_present: Mapped[int] = mapped_column(Integer, default=0)
    recused_member_ids: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Vote(Base):
    """One member's vote on one item (one per member per item)."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("item_id", "member_id", name="uq_votes_item_member"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    choice: Mapped[str] = mapped_column(String(10))
    cast_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Notice(Base):
    """A public notice (公示) of a passed resolution, open to objections until `ends_at`."""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("agenda_items.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    concluded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Objection(Base):
    """A resident's objection to a notice (one per person per notice) and the committee's answer."""

    __tablename__ = "objections"
    __table_args__ = (UniqueConstraint("notice_id", "resident_sub", name="uq_objections_notice_resident"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    notice_id: Mapped[str] = mapped_column(ForeignKey("notices.id"), index=True)
    resident_sub: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    lodged_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(36))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class FundRound(Base):
    """A round of the community autonomy fund: its balance, cap and voting window."""

    __tablename__ = "fund_rounds"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    balance_fen: Mapped[int] = mapped_column(BigInteger)
    cap_fen: Mapped[int] = mapped_column(BigInteger)
    max_choices: Mapped[int] = mapped_column(Integer)
    voting_opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    voting_closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    granted_by_item_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Proposal(Base):
    """A resident's small project for the fund, screened by the committee."""

    __tablename__ = "proposals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("fund_rounds.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(200))
    estimate_fen: Mapped[int] = mapped_column(BigInteger)
    proposed_by: Mapped[str] = mapped_column(String(200))
    eligible: Mapped[bool | None] = mapped_column(Boolean)
    screening_reason: Mapped[str | None] = mapped_column(Text)
    granted: Mapped[bool] = mapped_column(Boolean, default=False)


class Ballot(Base):
    """One resident's ballot in a round: the database keeps it to one per resident per round."""

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("round_id", "resident_sub", name="uq_ballots_round_resident"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("fund_rounds.id"), index=True)
    resident_sub: Mapped[str] = mapped_column(String(200))
    proposal_ids: Mapped[list[str]] = mapped_column(JsonDocument)
    cast_at: Mapped[datetime] = mapped_column(UtcDateTime)
