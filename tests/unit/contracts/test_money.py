"""Money in integer fen: splits that add up exactly, releases by grade, payment limits."""

import pytest

from services.contracts.domain import InsufficientFunds, InvalidTerms, OverPayment, money


def test_thirty_forty_thirty_of_a_round_value():
    assert money.split_by_shares(100_000_00, [3000, 4000, 3000]) == [30_000_00, 40_000_00, 30_000_00]


def test_remainder_goes_to_the_last_milestone():
    assert money.split_by_shares(100, [3333, 3333, 3334]) == [33, 33, 34]
    assert money.split_by_shares(1, [5000, 5000]) == [0, 1]
    assert money.split_by_shares(999_999_99, [3000, 4000, 3000]) == [29_999_999, 39_999_999, 30_000_001]


@pytest.mark.parametrize("total", [0, 1, 7, 99, 12345, 10**13, 2_850_000_00 + 17])
@pytest.mark.parametrize(
    "shares",
    [[10000], [3000, 4000, 3000], [1, 9999], [3333, 3333, 3334], [2500, 2500, 2500, 2500], [1] * 9 + [9991]],
)
def test_splits_always_sum_to_the_value_and_are_ints(total, shares):
    amounts = money.split_by_shares(total, shares)
    assert sum(amounts) == total
    assert all(type(a) is int and a >= 0 for a in amounts)


@pytest.mark.parametrize("shares", [[3000, 4000], [5000, 5001], [10000, 0], [-1, 10001], []])
def test_shares_must_be_positive_and_add_up_to_the_whole(shares):
    with pytest.raises(InvalidTerms) as refused:
        money.split_by_shares(100, shares)
    assert "milestones" in refused.value.errors


def test_float_shares_are_refused():
    with pytest.raises(InvalidTerms):
        money.split_by_shares(100, [5000.0, 5000.0])


@pytest.mark.parametrize(
    ("score", "hundredths"),
    [(78.45, 7845), (100, 10000), (0, 0), ("60.5", 6050), (72.1, 7210), (99.99, 9999)],
)
def test_scores_become_integer_hundredths(score, hundredths):
    assert money.score_hundredths(score) == hundredths


@pytest.mark.parametrize("score", [100.01, -1, 78.456, "abc", None, True])
def test_bad_scores_are_refused(score):
    with pytest.raises(ValueError):
        money.score_hundredths(score)


def test_excellent_and_good_release_in_full():
    for grade in ("excellent", "good"):
        assert money.release_for_grade(300_000_00, grade, 8800, 10000) == money.Release(300_000_00, 0)


def test_pass_releases_pro_rata_to_the_score_floored_to_the_fen():
    release = money.release_for_grade(300_000_01, "pass", 6845, 10000)
    assert release.released_fen == 20_535_000  # 68.45 % of 300 000.01 yuan, floored
    assert release.released_fen + release.withheld_fen == 300_000_01


def test_fail_withholds_by_the_contract_policy():
    assert money.release_for_grade(1000, "fail", 4000, 10000) == money.Release(0, 1000)
    assert money.release_for_grade(1001, "fail", 4000, 5000) == money.Release(501, 500)


def test_payment_limits():
    money.check_payment(10, milestone_open_fen=10, contract_open_fen=10, funds_fen=10)
    with pytest.raises(OverPayment):
        money.check_payment(11, milestone_open_fen=10, contract_open_fen=100, funds_fen=100)
    with pytest.raises(OverPayment):
        money.check_payment(11, milestone_open_fen=100, contract_open_fen=10, funds_fen=100)
    with pytest.raises(InsufficientFunds) as refused:
        money.check_payment(11, milestone_open_fen=100, contract_open_fen=100, funds_fen=10)
    assert refused.value.problem_status == 409
    with pytest.raises(InvalidTerms):
        money.check_payment(0, milestone_open_fen=100, contract_open_fen=100, funds_fen=100)


def test_value_change_goes_to_the_last_open_milestone():
    assert money.amend_open_milestones([100, 200], 50) == [100, 250]
    assert money.amend_open_milestones([100, 200], -150) == [100, 50]
    with pytest.raises(InvalidTerms):
        money.amend_open_milestones([100, 200], -200)
    with pytest.raises(InvalidTerms):
        money.amend_open_milestones([], 1)
