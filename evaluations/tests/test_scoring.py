"""RULES.md §3 scoring with its numbers: the t interval, the minimum sample, group weights,
awards within the quota at the threshold, and the tie rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from evaluations.scoring import Answered, Ranked, TargetScore, kind_average, rank_and_award, response_score, t_quantile, target_score


@pytest.mark.parametrize(
    ("confidence", "df", "table"),
    [(0.95, 1, 12.706), (0.95, 4, 2.776), (0.95, 9, 2.262), (0.95, 29, 2.045), (0.95, 100, 1.984), (0.99, 10, 3.169), (0.90, 20, 1.725)],
)
def test_t_quantile_matches_the_printed_table(confidence: float, df: int, table: float) -> None:
    assert t_quantile(confidence, df) == pytest.approx(table, abs=0.0006)


def test_mean_and_t_interval_of_a_small_sample() -> None:
    scores = [80, 60, 80, 100, 60, 80]  # mean 76.667, s² = 226.667, n = 6
    result = target_score([Answered(s) for s in scores], min_sample=30, confidence=0.95)
    half = 2.5706 * (226.6667 / 6) ** 0.5  # t(0.975, 5) = 2.5706
    assert result.n == 6
    assert result.mean == pytest.approx(76.6667, abs=1e-4)
    assert result.ci_low == pytest.approx(76.6667 - half, abs=1e-3)
    assert result.ci_high == pytest.approx(76.6667 + half, abs=1e-3)
    assert result.below_min_sample is True


def test_interval_is_clipped_to_the_scale_and_absent_for_one_answer() -> None:
    high = target_score([Answered(100), Answered(100), Answered(60)], min_sample=1, confidence=0.95)
    assert high.ci_high == 100.0 and high.ci_low is not None and high.ci_low < 86.67
    single = target_score([Answered(80)], min_sample=1, confidence=0.95)
    assert (single.mean, single.ci_low, single.ci_high) == (80, None, None)


def test_minimum_sample_flag_at_29_and_30() -> None:
    assert target_score([Answered(100)] * 29, min_sample=30, confidence=0.95).below_min_sample is True
    assert target_score([Answered(100)] * 30, min_sample=30, confidence=0.95).below_min_sample is False


def test_weighted_by_rater_group() -> None:
    answers = [Answered(100, "deputies"), Answered(100, "deputies"), Answered(60, "public"), Answered(80, "public")]
    plain = target_score(answers, min_sample=1, confidence=0.95)
    weighted = target_score(answers, min_sample=1, confidence=0.95, weights={"deputies": 3, "public": 1})
    assert plain.mean == pytest.approx(85)
    assert weighted.mean == pytest.approx((3 * 100 + 1 * 70) / 4)  # 92.5
    # stratified variance: (1/4)² · 200/2 = 6.25; t(0.975, df = 4 answers - 2 groups) = 4.3027
    assert weighted.ci_low == pytest.approx(92.5 - 4.3027 * 2.5, abs=1e-3)
    assert weighted.weighted is True


def test_a_group_without_answers_drops_out_and_weights_renormalise() -> None:
    answers = [Answered(60, "public"), Answered(80, "public")]
    result = target_score(answers, min_sample=1, confidence=0.95, weights={"deputies": 3, "public": 1})
    assert result.mean == pytest.approx(70)


def test_a_group_with_weight_zero_does_not_count() -> None:
    answers = [Answered(0, "staff"), Answered(100, "public"), Answered(80, "public")]
    result = target_score(answers, min_sample=1, confidence=0.95, weights={"staff": 0, "public": 1})
    assert (result.n, result.mean) == (2, pytest.approx(90))


def test_response_score_and_kind_average() -> None:
    assert response_score([100, 80, 60]) == 80
    assert response_score([]) is None
    assert kind_average([96.5, 97.0, None, 95.0]) == pytest.approx(96.1667, abs=1e-4)


def _item(key: str, mean: float, n: int = 10, full: int = 0, last: int = 0, position: int = 0) -> Ranked:
    moment = datetime(2025, 6, 1, 12, 0, last, tzinfo=UTC)
    return Ranked(key=key, score=TargetScore(n, mean, None, None, False, False, full, moment), position=position)


def test_awards_threshold_95_and_quota() -> None:
    items = [_item("a", 99.0), _item("b", 96.0), _item("c", 95.0), _item("d", 94.99), _item("e", 97.0)]
    ranked = rank_and_award(items, threshold=95, quota=11, tie_rule="more_answers")
    assert [i.key for i in ranked] == ["a", "e", "b", "c", "d"]
    assert [i.key for i in ranked if i.awarded] == ["a", "e", "b", "c"]  # 94.99 is below 95
    capped = rank_and_award([_item(k, 99 - i) for i, k in enumerate("abcdef")], threshold=95, quota=2, tie_rule="more_answers")
    assert [i.key for i in capped if i.awarded] == ["a", "b"]


def test_threshold_is_compared_at_two_decimals() -> None:
    ranked = rank_and_award([_item("x", 94.996), _item("y", 94.994)], threshold=95, quota=5, tie_rule="more_answers")
    assert [i.key for i in ranked if i.awarded] == ["x"]  # 94.996 shows as 95.00


@pytest.mark.parametrize(
    ("rule", "winner"),
    [("more_answers", "many"), ("higher_top_share", "top"), ("earlier_last_answer", "early")],
)
def test_ties_at_the_quota_are_broken_by_the_policy_rule(rule: str, winner: str) -> None:
    items = [
        _item("best", 99.0, position=0),
        _item("many", 97.0, n=40, full=10, last=50, position=1),
        _item("top", 97.0, n=20, full=15, last=40, position=2),
        _item("early", 97.0, n=30, full=5, last=1, position=3),
    ]
    ranked = rank_and_award(items, threshold=95, quota=2, tie_rule=rule)
    assert [i.key for i in ranked if i.awarded] == ["best", winner]


def test_a_full_tie_falls_back_to_the_target_order() -> None:
    items = [_item("second", 97.0, position=2), _item("first", 97.0, position=1)]
    ranked = rank_and_award(items, threshold=95, quota=1, tie_rule="more_answers")
    assert [i.key for i in ranked if i.awarded] == ["first"]
    assert [i.rank for i in ranked] == [1, 2]


def test_min_sample_required_for_awards_when_the_policy_says_so() -> None:
    items = [_item("small", 99.0, n=10), _item("big", 97.0, n=40)]
    ranked = rank_and_award(items, threshold=95, quota=5, tie_rule="more_answers", min_sample=30, require_min_sample=True)
    assert [i.key for i in ranked if i.awarded] == ["big"]
