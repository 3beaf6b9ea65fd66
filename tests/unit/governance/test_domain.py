"""The committee's rules as properties: quorum without the recused, majorities, notices, grants."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.governance import domain


@st.composite
def counts(draw: st.DrawFn) -> domain.Count:
    sitting = draw(st.integers(1, 15))
    present = draw(st.integers(0, sitting))
    recused_present = draw(st.integers(0, present))
    recused_sitting = recused_present + draw(st.integers(0, sitting - present))
    return domain.Count(sitting, present, recused_sitting, recused_present)


@given(counts())
def test_quorum_is_more_than_half_of_the_members_not_recused(count):
    assert domain.has_quorum(count) == (count.eligible_present > count.eligible / 2)


@given(counts())
def test_a_present_member_who_recuses_does_not_help_the_quorum(count):
    if count.present > count.recused_present:
        recusing = domain.Count(
            count.sitting, count.present, count.recused_sitting + 1, count.recused_present + 1
        )
        assert not domain.has_quorum(recusing) or domain.has_quorum(count)


@given(counts(), st.data())
def test_a_passed_item_had_quorum_and_a_majority_of_the_present_not_recused(count, data):
    votes_for = data.draw(st.integers(0, count.eligible_present))
    try:
        domain.check_quorum(count)
    except domain.NoQuorum as refused:
        assert refused.extra == {"eligible": count.eligible, "eligible_present": count.eligible_present}
        return
    assert domain.passes("simple", votes_for, count.eligible_present) == (
        2 * votes_for > count.eligible_present
    )


@given(st.integers(0, 30), st.integers(0, 30))
def test_two_thirds_is_never_easier_than_a_simple_majority(votes_for, present):
    if votes_for <= present and domain.passes("two_thirds", votes_for, present):
        assert domain.passes("simple", votes_for, present) or 2 * votes_for == present


@given(
    st.lists(st.sampled_from(["52440300MJL123456X", "91440300MA5XXXXX1", "relative:王某"]), max_size=3),
    st.lists(st.sampled_from(["52440300mjl123456x", "91440300MA5XXXXX1 ", "other"]), max_size=3),
)
def test_an_interest_in_a_party_of_the_item_recuses_whatever_its_case_or_spaces(declared, parties):
    interests = [domain.Interest(str(n), "provider", p) for n, p in enumerate(declared)]
    found = domain.conflicting_interest(interests, parties)
    named = {p.strip().upper() for p in parties}
    assert (found is not None) == any(p.upper() in named for p in declared)
    if found is not None:
        refused = domain.refuse_recused("m1", found)
        assert refused.problem_status == 409 and found.party in refused.detail
        assert refused.extra["interest"]["party"] == found.party


@given(st.dates(date(2024, 1, 1), date(2030, 12, 31)), st.integers(1, 20))
def test_a_notice_lasts_exactly_n_working_days_after_posting(posted, n):
    last = domain.notice_last_day(posted, n)
    days = [posted + timedelta(days=k) for k in range(1, (last - posted).days + 1)]
    assert sum(domain.is_working_day(d) for d in days) == n
    assert domain.is_working_day(last)


def test_a_holiday_extends_the_notice():
    monday = date(2026, 9, 28)
    assert domain.notice_last_day(monday, 5) == date(2026, 10, 5)
    national_day = [date(2026, 10, d) for d in range(1, 8)]
    assert domain.notice_last_day(monday, 5, national_day) == date(2026, 10, 12)


ranked_lists = st.lists(
    st.builds(
        domain.Ranked, st.uuids().map(str), st.integers(0, 50), st.integers(1, 3_000_000), st.integers(0, 100)
    ),
    max_size=10,
    unique_by=(lambda r: r.id, lambda r: r.submitted),
)


@given(ranked_lists, st.integers(0, 10_000_000))
def test_grants_never_exceed_the_balance_and_follow_the_ranking(proposals, balance):
    granted, refused = domain.grants(proposals, balance)
    by_id = {p.id: p for p in proposals}
    assert sorted(granted + refused) == sorted(by_id)
    assert sum(by_id[g].estimate_fen for g in granted) <= balance
    rank = {p.id: (-p.votes, p.submitted) for p in proposals}
    for r in refused:
        # left out: no vote, or it did not fit what the better-ranked grants had left
        above = sum(by_id[g].estimate_fen for g in granted if rank[g] < rank[r])
        assert by_id[r].votes == 0 or by_id[r].estimate_fen > balance - above
    for g in granted:
        assert by_id[g].votes > 0


@pytest.mark.parametrize(("estimate", "refused"), [(3_000_000, False), (3_000_001, True)])
def test_the_cap_is_inclusive(estimate, refused):
    if refused:
        with pytest.raises(domain.OverCap):
            domain.check_estimate(estimate, 3_000_000)
    else:
        domain.check_estimate(estimate, 3_000_000)
