"""Decisions are human (ARCHITECTURE.md): the office head accepts, changes (with a reason)
or rejects (with a reason) each proposal, exactly once; what a decision puts in force —
sanctions with their basis, evidence, dates and term; apologies with to whom and by when
— always hangs off its decision record; reviews after a withdrawal; follow-through."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accountability import selectors, services
from accountability.choices import ProposalStatus, Rule
from accountability.models import Apology, Decision, Proposal, Review, Sanction
from accountability.tests.helpers import at, decide, pdf_bytes, png, valid_complaint, withdraw_complaint
from accountability.tests.test_apologies import verified_finding
from core import calendar
from core.models import AuditRecord, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def step1(acc: Any) -> Proposal:
    valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    return Proposal.objects.get(kind="sanction")


def test_accepting_puts_each_measure_in_force_with_its_basis_evidence_and_due_date(acc: Any, step1: Proposal) -> None:
    acc.clock.set(at(2026, 3, 3, 15))
    decision = decide(acc, step1)
    assert (decision.outcome, decision.decided_by, decision.measures) == (
        "accepted",
        acc.head,
        ["admonition_talk", "barred_from_excellent"],
    )
    talk, barred = decision.sanctions.order_by("pk")
    assert (talk.measure, talk.staff, talk.unit, talk.year, talk.decided_on) == (
        "admonition_talk",
        acc.clerk,
        acc.world.window_a,
        2026,
        date(2026, 3, 3),
    )
    # 10 working days after the decision (the policy's follow_through_days) for a measure to carry out;
    # none for one the annual rating applies
    assert talk.due == calendar.add_working_days(date(2026, 3, 3), 10) == date(2026, 3, 17)
    assert barred.due is None
    assert "2026年度第1件有效投诉" in talk.basis and step1.trigger.reference in talk.basis
    assert [c.pk for c in selectors.evidence_of(decision)] == [step1.trigger_id]
    step1.refresh_from_db()
    assert step1.status == ProposalStatus.DECIDED
    record = AuditRecord.objects.filter(action="accountability.proposal.decide").get()
    assert record.actor == acc.head and record.detail["outcome"] == "accepted" and len(record.detail["put_in_force"]) == 2
    assert Notification.objects.filter(recipient=acc.world.liaison_a, kind="accountability.decision").exists()


def test_changing_or_rejecting_needs_a_reason_and_a_real_change(acc: Any, step1: Proposal) -> None:
    for outcome, extra in (("changed", {"measures": ["efficiency_warning"]}), ("rejected", {})):
        with pytest.raises(ValidationError) as info:
            decide(acc, step1, outcome, reason="  ", **extra)
        assert info.value.message_dict["reason"] == ["调整或不予采纳，须写明理由。"]
    with pytest.raises(ValidationError) as info:
        decide(acc, step1, "changed", reason="情节轻微", measures=list(step1.measures))
    assert "与建议相同" in info.value.message_dict["measures"][0]
    with pytest.raises(ValidationError) as info:
        decide(acc, step1, "changed", reason="情节轻微", measures=[])
    assert info.value.message_dict["measures"] == ["请选择调整后的措施。"]
    with pytest.raises(ValidationError) as info:
        decide(acc, step1, "changed", reason="情节轻微", measures=["public_flogging"])
    assert "未知的措施" in info.value.message_dict["measures"][0]
    with pytest.raises(ValidationError):
        decide(acc, step1, "maybe")
    step1.refresh_from_db()
    assert step1.status == ProposalStatus.PENDING and not Decision.objects.exists() and not Sanction.objects.exists()
    decision = decide(acc, step1, "changed", reason="首次且已主动纠正，改为效能告诫", measures=["efficiency_warning"])
    assert list(decision.sanctions.values_list("measure", flat=True)) == ["efficiency_warning"]
    assert "决定调整：首次且已主动纠正" in decision.sanctions.get().basis


def test_rejecting_puts_nothing_in_force(acc: Any, step1: Proposal) -> None:
    decision = decide(acc, step1, "rejected", reason="经核实不属首办责任")
    assert decision.reason == "经核实不属首办责任" and not Sanction.objects.exists()


def test_exactly_one_decision_per_proposal(acc: Any, step1: Proposal) -> None:
    decide(acc, step1)
    with pytest.raises(ValidationError) as info:
        decide(acc, step1, "rejected", reason="再决定一次")
    assert info.value.messages == ["该建议已作出决定，不能重复决定。"]
    assert Decision.objects.count() == 1 and Sanction.objects.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        Decision.objects.create(proposal=step1, outcome="rejected", reason="x", decided_by=acc.head, decided_at=acc.clock.now)


def test_a_withdrawn_proposal_cannot_be_decided(acc: Any) -> None:
    case = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    proposal = Proposal.objects.get(kind="sanction")
    withdraw_complaint(acc, case)
    with pytest.raises(ValidationError) as info:
        decide(acc, proposal)
    assert "已撤回" in info.value.messages[0]


def test_only_the_office_head_decides(acc: Any, step1: Proposal) -> None:
    for user in (acc.office, acc.world.head_a, acc.world.viewer):
        with pytest.raises(PermissionDenied):
            services.proposal_decide(actor=user, proposal=step1, outcome="accepted")
    assert not Decision.objects.exists()


def test_no_sanction_or_apology_without_a_decision_record(acc: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Sanction.objects.create(
            measure="admonition_talk", staff=acc.clerk, unit=acc.world.window_a, year=2026, basis="x", decided_on=date(2026, 3, 2)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Apology.objects.create(kind="direct", unit=acc.world.unit_a, to_whom="x", year=2026, basis="x", decided_on=date(2026, 3, 2))


def test_a_grassroots_reassignment_has_a_term_that_ends_after_it_starts(acc: Any) -> None:
    verified_finding(acc, staff=acc.clerk)
    proposal = Proposal.objects.get(kind="sanction", rule=Rule.FINDING)
    serious = ["written_self_criticism", "circulated_criticism", "grassroots_reassignment"]
    with pytest.raises(ValidationError) as info:
        decide(acc, proposal, "changed", reason="严重违反效能纪律", measures=serious)
    assert info.value.message_dict["term_start"] == ["基层再上岗须填写期限起始日期。"]
    with pytest.raises(ValidationError) as info:
        decide(
            acc, proposal, "changed", reason="严重违反效能纪律", measures=serious, term_start=date(2026, 4, 10), term_end=date(2026, 4, 10)
        )
    assert info.value.message_dict["term_end"] == ["期限止须晚于期限起。"]
    assert not Decision.objects.exists()
    decision = decide(acc, proposal, "changed", reason="严重违反效能纪律", measures=serious, term_start=date(2026, 4, 10))
    term = decision.sanctions.get(measure="grassroots_reassignment")
    assert (term.term_start, term.term_end, term.due) == (date(2026, 4, 10), date(2026, 7, 10), date(2026, 4, 10))  # the policy's 3 months
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a term ending first too
        Sanction.objects.filter(pk=term.pk).update(term_end=date(2026, 4, 1))


def test_measures_without_a_term_refuse_one(acc: Any, step1: Proposal) -> None:
    with pytest.raises(ValidationError) as info:
        decide(acc, step1, term_start=date(2026, 4, 1))
    assert info.value.message_dict["term_start"] == ["所选措施没有期限，无需填写期限。"]


def test_a_finding_named_nobody_the_head_may_name_the_person(acc: Any) -> None:
    verified_finding(acc)
    proposal = Proposal.objects.get(kind="sanction")
    with pytest.raises(ValidationError) as info:
        decide(acc, proposal, "changed", reason="单位核查确认当事人", staff=acc.clerk_b)
    assert "在职工作人员" in info.value.message_dict["staff"][0]
    decision = decide(acc, proposal, "changed", reason="单位核查确认当事人", staff=acc.clerk)
    assert set(decision.sanctions.values_list("staff", flat=True)) == {acc.clerk.pk}


def test_a_complaints_person_is_not_changed_by_a_decision(acc: Any, step1: Proposal) -> None:
    with pytest.raises(ValidationError) as info:
        decide(acc, step1, "changed", reason="换人", measures=["efficiency_warning"], staff=acc.clerk2)
    assert "撤销认定后重新认定" in info.value.message_dict["staff"][0]


def test_an_apology_decision_may_change_its_kind_and_records_how_it_was_made(acc: Any) -> None:
    valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    proposal = Proposal.objects.get(kind="apology")
    with pytest.raises(ValidationError) as info:
        decide(acc, proposal, "changed", reason="影响较大", apology_kind="direct")
    assert "与建议相同" in info.value.message_dict["apology_kind"][0]
    decision = decide(acc, proposal, "changed", reason="影响较大，改为公开道歉", apology_kind="public")
    apology = decision.apologies.get()
    assert (apology.kind, apology.to_whom) == ("public", "社会公众")
    acc.clock.set(at(2026, 3, 6, 10))
    with pytest.raises(ValidationError) as info:
        services.apology_record(actor=acc.world.liaison_a, apology=apology, done_on=date(2026, 3, 5), channel="in_person", proof=None)
    assert set(info.value.message_dict) == {"channel", "proof"}
    with pytest.raises(ValidationError) as info:
        services.apology_record(actor=acc.world.liaison_a, apology=apology, done_on=date(2026, 3, 5), channel="newspaper", proof=png())
    assert info.value.message_dict["media_name"] == ["请填写媒体名称（如《临江日报》）。"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("版面.png", b"not a picture at all", content_type="image/png")
    with pytest.raises(ValidationError) as info:
        services.apology_record(
            actor=acc.world.liaison_a, apology=apology, done_on=date(2026, 3, 5), channel="newspaper", media_name="《临江日报》", proof=fake
        )
    assert "不是允许的类型" in info.value.message_dict["proof"][0]
    with pytest.raises(ValidationError) as info:
        services.apology_record(
            actor=acc.world.liaison_a,
            apology=apology,
            done_on=date(2026, 3, 9),
            channel="newspaper",
            media_name="《临江日报》",
            proof=png(),
        )
    assert info.value.message_dict["done_on"] == ["道歉日期不能晚于今天。"]
    apology.refresh_from_db()
    assert apology.status == "pending" and not apology.proof
    proof = SimpleUploadedFile("道歉声明.pdf", pdf_bytes("甲局局长公开道歉声明"), content_type="application/pdf")
    services.apology_record(
        actor=acc.world.liaison_a, apology=apology, done_on=date(2026, 3, 5), channel="newspaper", media_name="《临江日报》", proof=proof
    )
    apology.refresh_from_db()
    assert (apology.status, apology.done_on, apology.channel, apology.media_name) == ("done", date(2026, 3, 5), "newspaper", "《临江日报》")
    assert len(apology.proof_sha256) == 64 and apology.proof_type == "application/pdf"
    from pypdf import PdfReader

    with apology.proof.open("rb") as stored:
        assert "公开道歉声明" in PdfReader(stored).pages[0].extract_text()
    with pytest.raises(ValidationError):
        services.apology_record(
            actor=acc.world.liaison_a, apology=apology, done_on=date(2026, 3, 5), channel="newspaper", media_name="x", proof=png()
        )


def test_a_direct_apology_is_made_to_the_complainant_in_person_by_phone_or_letter(acc: Any) -> None:
    valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    apology = decide(acc, Proposal.objects.get(kind="apology")).apologies.get()
    with pytest.raises(ValidationError) as info:
        services.apology_record(
            actor=acc.office, apology=apology, done_on=date(2026, 3, 2), channel="newspaper", media_name="x", proof=png()
        )
    assert info.value.message_dict["channel"] == ["直接道歉应当面、电话或书面向投诉人本人道歉。"]
    services.apology_record(actor=acc.office, apology=apology, done_on=date(2026, 3, 2), channel="in_person", proof=png("当面道歉.png"))
    apology.refresh_from_db()
    assert apology.status == "done"


def test_carrying_out_a_measure(acc: Any, step1: Proposal) -> None:
    decision = decide(acc, step1)
    talk = decision.sanctions.get(measure="admonition_talk")
    barred = decision.sanctions.get(measure="barred_from_excellent")
    with pytest.raises(ValidationError) as info:
        services.sanction_execute(actor=acc.office, sanction=barred, executed_on=date(2026, 3, 2))
    assert "年度考核中执行" in info.value.messages[0]
    with pytest.raises(ValidationError) as info:
        services.sanction_execute(actor=acc.office, sanction=talk, executed_on=date(2026, 3, 1))
    assert "不能早于决定日期" in info.value.message_dict["executed_on"][0]
    services.sanction_execute(actor=acc.world.liaison_a, sanction=talk, executed_on=date(2026, 3, 2), note_text="已由局长进行诫勉谈话")
    talk.refresh_from_db()
    assert (talk.executed_on, talk.execution_note, talk.executed_by) == (date(2026, 3, 2), "已由局长进行诫勉谈话", acc.world.liaison_a)
    with pytest.raises(ValidationError):
        services.sanction_execute(actor=acc.office, sanction=talk, executed_on=date(2026, 3, 2))


def test_reviewing_a_flagged_decision_keeps_or_revokes_it(acc: Any) -> None:
    first = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    valid_complaint(acc, acc.clerk, at(2026, 3, 9))
    step1, step2 = Proposal.objects.filter(kind="sanction").order_by("pk")
    d1, d2 = decide(acc, step1), decide(acc, step2)
    withdraw_complaint(acc, first, at(2026, 3, 12))
    with pytest.raises(ValidationError) as info:
        services.decision_review(actor=acc.head, decision=d2, keep=False, note_text="")
    assert info.value.message_dict["note"] == ["请写明复核意见。"]
    with pytest.raises(PermissionDenied):
        services.decision_review(actor=acc.office, decision=d2, keep=False, note_text="撤销")
    services.decision_review(actor=acc.head, decision=d1, keep=True, note_text="诫勉谈话已进行，维持")
    d1.refresh_from_db()
    assert not d1.under_review and d1.revoked_at is None and d1.sanctions.filter(status="in_force").count() == 2
    services.decision_review(actor=acc.head, decision=d2, keep=False, note_text="计数依据的第一件已撤销，按一件重新决定")
    d2.refresh_from_db()
    assert d2.revoked_at is not None and set(d2.sanctions.values_list("status", flat=True)) == {"revoked"}
    assert Sanction.objects.filter(decision=d2).count() == 2  # revoked, never deleted
    again = Proposal.objects.get(kind="sanction", status="pending")
    assert (again.trigger_id, again.year_count, again.measures) == (step2.trigger_id, 1, ["admonition_talk", "barred_from_excellent"])
    assert list(Review.objects.order_by("pk").values_list("outcome", flat=True)) == ["kept", "revoked"]
    with pytest.raises(ValidationError):
        services.decision_review(actor=acc.head, decision=d2, keep=True, note_text="再复核")


def test_rating_consequences_for_the_annual_assessment(acc: Any) -> None:
    valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    valid_complaint(acc, acc.clerk, at(2026, 3, 9))
    valid_complaint(acc, acc.clerk2, at(2026, 3, 10))
    valid_complaint(acc, acc.clerk_b, at(2025, 6, 10))
    for proposal in Proposal.objects.filter(kind="sanction").order_by("pk"):
        if proposal.staff == acc.clerk_b:
            decide(acc, proposal, "rejected", reason="不属实")
        else:
            decide(acc, proposal)
    assert selectors.rating_consequences(2026) == {
        acc.clerk.pk: {"barred_from_excellent": True, "incompetent": True, "under_review": False},
        acc.clerk2.pk: {"barred_from_excellent": True, "incompetent": False, "under_review": False},
    }
    assert selectors.rating_consequences(2025) == {}


def test_overdue_follow_through_is_reminded_once_and_shows_on_the_offices_home(acc: Any, step1: Proposal) -> None:
    from core.testing import client_for

    decision = decide(acc, step1)  # 2026-03-02: the admonition talk is due 2026-03-16
    apology = decide(acc, Proposal.objects.get(kind="apology")).apologies.get()  # so is the direct apology
    acc.clock.set(at(2026, 3, 16, 18))
    assert services.follow_through_scan().__dict__ == {"apologies": 0, "sanctions": 0}
    acc.clock.set(at(2026, 3, 17, 9))
    assert services.follow_through_scan().__dict__ == {"apologies": 1, "sanctions": 1}
    assert services.follow_through_scan().__dict__ == {"apologies": 0, "sanctions": 0}  # once per due date
    titles = list(Notification.objects.filter(kind="accountability.overdue", recipient=acc.world.liaison_a).values_list("title", flat=True))
    assert sorted(titles) == sorted(["甲局的直接道歉已逾期（期限2026年3月16日）", "李明的诫勉谈话未落实（期限2026年3月16日）"])
    home = client_for(acc.office).get("/").content.decode()
    assert 'data-testid="acc-overdue-apologies">1<' in home and 'data-testid="acc-overdue-sanctions">1<' in home
    assert apology.reference in home and decision.sanctions.get(measure="admonition_talk").reference in home
    unit_home = client_for(acc.world.head_a).get("/").content.decode()
    assert 'data-testid="accountability-unit-panel"' in unit_home and "2 项已逾期" in unit_home
    assert 'data-testid="accountability-unit-panel"' not in client_for(acc.world.liaison_b).get("/").content.decode()


def test_a_term_not_begun_is_overdue_from_its_start(acc: Any) -> None:
    verified_finding(acc, staff=acc.clerk)
    proposal = Proposal.objects.get(kind="sanction")
    decide(acc, proposal, "changed", reason="严重", measures=["grassroots_reassignment"], term_start=date(2026, 3, 10))
    acc.clock.set(at(2026, 3, 11, 9))
    assert services.follow_through_scan().sanctions == 1
    assert Notification.objects.filter(kind="accountability.overdue", title__contains="基层再上岗期限未开始").exists()
