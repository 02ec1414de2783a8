"""The first-responsibility ladder (RULES.md §5, seed 002's 首办（首问）责任制): counted per
person per assessment year, five or more within a rolling two years → dismissal. Every
complaint here is judged valid through the cases services at the moment the test sets,
so that the count is the one the event-driven rules make in life."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from accountability import selectors
from accountability.choices import ProposalStatus, Rule
from accountability.ladder import assessment_year, months_before, window_start, year_bounds
from accountability.models import Charge, Proposal
from accountability.tests.helpers import at, decide, sanction_proposals, valid_complaint, withdraw_complaint
from core.models import PolicyStatus, PolicyVersion
from core.selectors import policy_version_for

pytestmark = pytest.mark.django_db

# seed 002's ladder, as the default policy states it (core/policies/seed002.json)
STEP_1 = ["admonition_talk", "barred_from_excellent"]
STEP_2 = ["rated_incompetent", "mandatory_training"]
STEP_3 = ["rated_incompetent", "transfer_off_post", "administrative_warning", "mandatory_training"]
STEP_4 = ["rated_incompetent", "disciplinary_sanction"]


def publish(**accountability: Any) -> PolicyVersion:
    """A new version of the current policy with some ``accountability`` parameters changed
    (effective from 2020, so that it governs every date of these tests)."""
    current = policy_version_for()
    document = dict(current.document)
    document["accountability"] = {**document["accountability"], **accountability}
    return PolicyVersion.objects.create(
        policy=current.policy,
        version=current.version + 1,
        status=PolicyStatus.PUBLISHED,
        effective_from=date(2020, 1, 1),
        document=document,
        note="test",
    )


def test_each_step_of_the_ladder_for_the_first_to_the_fourth_complaint_of_a_year(acc: Any) -> None:
    days = [at(2026, 3, 2), at(2026, 3, 9), at(2026, 3, 16), at(2026, 3, 23)]
    cases = [valid_complaint(acc, acc.clerk, when) for when in days]
    proposals = sanction_proposals(acc.clerk)
    assert [p.measures for p in proposals] == [STEP_1, STEP_2, STEP_3, STEP_4]
    assert [p.year_count for p in proposals] == [1, 2, 3, 4]
    assert [p.rule for p in proposals] == [Rule.LADDER] * 4
    assert [p.trigger.case_id for p in proposals] == [c.pk for c in cases]
    # the evidence of each proposal is every complaint the count used
    assert [sorted(p.charges.values_list("case_id", flat=True)) for p in proposals] == [[c.pk for c in cases[: n + 1]] for n in range(4)]
    version = policy_version_for()
    assert all(p.policy_version == version and p.status == ProposalStatus.PENDING and p.year == 2026 for p in proposals)
    assert "年度累计有效投诉4件" in proposals[3].basis and "诫勉谈话" in proposals[0].basis
    counts = selectors.ladder_counts(acc.clerk, on=date(2026, 3, 31))
    assert (counts.year_count, counts.window_count, counts.step_measures) == (4, 4, STEP_4)


def test_five_complaints_within_two_years_propose_dismissal(acc: Any) -> None:
    for when in (at(2025, 6, 2), at(2025, 7, 1), at(2025, 8, 1), at(2026, 3, 2)):
        valid_complaint(acc, acc.clerk, when)
    fourth = sanction_proposals(acc.clerk)[-1]
    assert (fourth.rule, fourth.year, fourth.year_count, fourth.window_count, fourth.measures) == (Rule.LADDER, 2026, 1, 4, STEP_1)
    valid_complaint(acc, acc.clerk, at(2026, 3, 9))
    fifth = sanction_proposals(acc.clerk)[-1]
    assert (fifth.rule, fifth.year_count, fifth.window_count, fifth.measures) == (Rule.DISMISSAL, 2, 5, ["dismissal"])
    assert fifth.window_start == date(2024, 3, 9)
    assert fifth.charges.count() == 5 and "达到5件" in fifth.basis


def test_five_complaints_in_one_year_propose_dismissal_on_the_fifth(acc: Any) -> None:
    for day in (2, 9, 16, 23, 30):
        valid_complaint(acc, acc.clerk, at(2026, 3, day))
    rules = [(p.rule, p.year_count, p.window_count) for p in sanction_proposals(acc.clerk)]
    assert rules == [(Rule.LADDER, 1, 1), (Rule.LADDER, 2, 2), (Rule.LADDER, 3, 3), (Rule.LADDER, 4, 4), (Rule.DISMISSAL, 5, 5)]


def test_five_spread_over_more_than_two_years_is_no_dismissal(acc: Any) -> None:
    # the first lies one day before the 24-month window of the fifth: only four count
    for when in (at(2024, 3, 1), at(2025, 1, 10), at(2025, 6, 10), at(2025, 12, 10), at(2026, 3, 2)):
        valid_complaint(acc, acc.clerk, when)
    last = sanction_proposals(acc.clerk)[-1]
    assert (last.rule, last.year_count, last.window_count, last.window_start) == (Rule.LADDER, 1, 4, date(2024, 3, 2))
    assert not Proposal.objects.filter(rule=Rule.DISMISSAL).exists()


def test_the_window_reaches_back_to_the_same_day_two_years_earlier(acc: Any) -> None:
    # 民法典 第202条: a period in months ends on the corresponding day — 2024-03-02 is within
    for when in (at(2024, 3, 2), at(2025, 1, 10), at(2025, 6, 10), at(2025, 12, 10), at(2026, 3, 2)):
        valid_complaint(acc, acc.clerk, when)
    last = sanction_proposals(acc.clerk)[-1]
    assert (last.rule, last.window_count) == (Rule.DISMISSAL, 5)


def test_the_assessment_year_boundary_restarts_the_count(acc: Any) -> None:
    valid_complaint(acc, acc.clerk, at(2025, 12, 31, 17))
    valid_complaint(acc, acc.clerk, at(2026, 1, 1, 9))
    first, second = sanction_proposals(acc.clerk)
    assert (first.year, first.year_count, first.measures) == (2025, 1, STEP_1)
    assert (second.year, second.year_count, second.window_count, second.measures) == (2026, 1, 2, STEP_1)
    assert list(Charge.objects.order_by("pk").values_list("year", flat=True)) == [2025, 2026]


def test_an_assessment_year_may_start_in_another_month(acc: Any) -> None:
    version = publish(year_start_month=12)
    valid_complaint(acc, acc.clerk, at(2025, 11, 28))  # assessment year 2025 (2024-12 … 2025-11)
    valid_complaint(acc, acc.clerk, at(2025, 12, 1))  # assessment year 2026 begins
    valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    proposals = sanction_proposals(acc.clerk)
    assert [(p.year, p.year_count) for p in proposals] == [(2025, 1), (2026, 1), (2026, 2)]
    assert all(p.policy_version == version for p in proposals)


def test_the_ladder_is_the_policys(acc: Any) -> None:
    version = publish(
        ladder=[{"count": 2, "measures": ["efficiency_warning"]}, {"count": 3, "measures": ["transfer_off_post"]}],
        dismissal_count=3,
        dismissal_window_months=12,
    )
    for day in (2, 9, 16):
        valid_complaint(acc, acc.clerk, at(2026, 3, day))
    proposals = sanction_proposals(acc.clerk)
    # below the first step nothing is proposed; the third reaches the policy's dismissal count
    assert [(p.rule, p.measures, p.year_count) for p in proposals] == [
        (Rule.LADDER, ["efficiency_warning"], 2),
        (Rule.DISMISSAL, ["dismissal"], 3),
    ]
    assert all(p.policy_version == version for p in proposals)


def test_each_person_is_counted_apart(acc: Any) -> None:
    valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    valid_complaint(acc, acc.clerk2, at(2026, 3, 3))
    valid_complaint(acc, acc.clerk, at(2026, 3, 4))
    assert [p.year_count for p in sanction_proposals(acc.clerk)] == [1, 2]
    assert [p.year_count for p in sanction_proposals(acc.clerk2)] == [1]


def test_a_withdrawn_complaint_lowers_the_count_and_withdraws_pending_proposals(acc: Any) -> None:
    first = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    second = valid_complaint(acc, acc.clerk, at(2026, 3, 9))
    step1, step2 = sanction_proposals(acc.clerk)
    withdraw_complaint(acc, first, at(2026, 3, 10))
    step1.refresh_from_db()
    step2.refresh_from_db()
    assert step1.status == step2.status == ProposalStatus.WITHDRAWN
    assert first.number in step2.withdrawn_reason
    again = Proposal.objects.get(kind="sanction", status=ProposalStatus.PENDING)
    assert (again.trigger.case_id, again.year_count, again.measures) == (second.pk, 1, STEP_1)
    assert Charge.objects.get(case=first).status == "withdrawn"
    assert selectors.ladder_counts(acc.clerk, on=date(2026, 3, 10)).year_count == 1


def test_a_withdrawal_flags_decided_measures_for_review_and_never_undoes_them(acc: Any) -> None:
    first = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    valid_complaint(acc, acc.clerk, at(2026, 3, 9))
    step1, step2 = sanction_proposals(acc.clerk)
    d1 = decide(acc, step1)
    d2 = decide(acc, step2)
    in_force = set(d2.sanctions.values_list("pk", flat=True))
    withdraw_complaint(acc, first, at(2026, 3, 12))
    d1.refresh_from_db()
    d2.refresh_from_db()
    assert d1.under_review and d2.under_review
    assert set(d2.sanctions.filter(status="in_force").values_list("pk", flat=True)) == in_force
    assert not Proposal.objects.filter(kind="sanction", status=ProposalStatus.PENDING).exists()  # nobody re-decided yet
    review = d2.reviews.get()
    assert review.outcome == "" and first.number in review.reason


def test_periods_are_counted_as_the_civil_code_counts_them() -> None:
    assert (assessment_year(date(2025, 12, 31), 1), assessment_year(date(2026, 1, 1), 1)) == (2025, 2026)
    assert (assessment_year(date(2025, 11, 30), 12), assessment_year(date(2025, 12, 1), 12)) == (2025, 2026)
    assert year_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 12, 31))
    assert year_bounds(2026, 12) == (date(2025, 12, 1), date(2026, 11, 30))
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert window_start(date(2026, 3, 1), 24) == date(2024, 3, 1)
