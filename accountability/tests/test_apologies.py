"""The head-of-unit apology rule (一把手公开道歉制, RULES.md §5): one valid complaint →
a direct apology to the complainant; two or more, named criticism or exposure by a
superior body, or violations found by electronic supervision or inspections → a public
apology in the media; several units involved → a joint apology by their heads. Also the
measures for findings verified true (seed 004: written self-criticism, circulated
criticism). Findings are verified through the inspections services."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from accountability import services
from accountability.choices import ApologyKind, ProposalStatus, Rule
from accountability.models import Apology, Charge, Proposal
from accountability.tests.helpers import at, decide, pending, valid_complaint
from accountability.tests.test_ladder import publish
from inspections import services as insp_services
from inspections.tests.helpers import build as build_inspections
from inspections.tests.helpers import fed_back_finding

pytestmark = pytest.mark.django_db


def apologies(**filters: Any) -> list[Proposal]:
    return list(Proposal.objects.filter(kind="apology", **filters).order_by("pk"))


def verified_finding(acc: Any, staff: Any = None) -> Any:
    insp = build_inspections(acc.world, acc.clock)  # type: ignore[arg-type]
    finding = fed_back_finding(insp)
    acc.clock.set(at(2026, 3, 4, 10))
    insp_services.finding_verify(
        actor=acc.world.liaison_a, finding=finding, verdict="true", explanation="经核查属实，已批评教育。", staff=staff
    )
    finding.refresh_from_db()
    return finding


def test_one_valid_complaint_a_direct_apology_to_the_complainant(acc: Any) -> None:
    case = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    (proposal,) = apologies()
    assert (proposal.rule, proposal.apology_kind, proposal.unit, proposal.year_count) == (
        Rule.APOLOGY_DIRECT,
        ApologyKind.DIRECT,
        acc.world.unit_a,
        1,
    )
    assert list(proposal.units.all()) == [acc.world.unit_a]  # the window's department answers: its head
    decide(acc, proposal)
    apology = Apology.objects.get()
    assert apology.to_whom == f"投诉人（{case.number}）"
    assert [(link.unit, link.head, link.head_name) for link in apology.unit_links.all()] == [(acc.world.unit_a, acc.head_a, "甲局长")]
    assert apology.kind == ApologyKind.DIRECT and apology.status == "pending" and apology.due is not None


def test_two_valid_complaints_a_public_apology_and_more_join_it_while_it_waits(acc: Any) -> None:
    first = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    second = valid_complaint(acc, acc.clerk2, at(2026, 3, 9))  # another person, the same department
    direct, public = apologies()
    assert (direct.apology_kind, public.apology_kind, public.rule, public.year_count) == ("direct", "public", Rule.APOLOGY_PUBLIC, 2)
    assert sorted(public.charges.values_list("case_id", flat=True)) == sorted([first.pk, second.pk])
    third = valid_complaint(acc, acc.clerk, at(2026, 3, 16))
    assert len(apologies()) == 2  # the third joins the public apology still waiting for a decision
    public.refresh_from_db()
    assert public.year_count == 3 and third.pk in public.charges.values_list("case_id", flat=True)
    assert "有效投诉累计3件" in public.basis
    decide(acc, public)
    valid_complaint(acc, acc.clerk2, at(2026, 3, 23))
    latest = apologies()[-1]
    assert (latest.apology_kind, latest.status, latest.year_count) == ("public", "pending", 4)  # a new matter, a new apology


def test_complaints_count_per_unit_and_per_year(acc: Any) -> None:
    valid_complaint(acc, acc.clerk, at(2025, 12, 30))
    valid_complaint(acc, acc.clerk_b, at(2026, 1, 5))
    valid_complaint(acc, acc.clerk, at(2026, 1, 6))
    assert [(p.unit, p.year, p.apology_kind) for p in apologies()] == [
        (acc.world.unit_a, 2025, "direct"),
        (acc.world.unit_b, 2026, "direct"),
        (acc.world.unit_a, 2026, "direct"),
    ]


def test_a_finding_verified_true_a_public_apology_and_the_finding_measures(acc: Any) -> None:
    finding = verified_finding(acc)
    charge = Charge.objects.get(finding=finding)
    assert (charge.source, charge.unit, charge.head_unit, charge.staff) == ("inspection", acc.world.window_a, acc.world.unit_a, None)
    (sanction,) = Proposal.objects.filter(kind="sanction")
    assert (sanction.rule, sanction.measures, sanction.staff, sanction.unit) == (
        Rule.FINDING,
        ["written_self_criticism", "circulated_criticism"],
        None,
        acc.world.window_a,
    )
    (apology,) = apologies()
    assert (apology.rule, apology.apology_kind, apology.unit) == (Rule.APOLOGY_PUBLIC, "public", acc.world.unit_a)
    assert finding.reference in apology.basis


def test_a_finding_naming_a_person_proposes_against_that_person(acc: Any) -> None:
    finding = verified_finding(acc, staff=acc.clerk)
    proposal = Proposal.objects.get(kind="sanction", trigger__finding=finding)
    assert proposal.staff == acc.clerk
    assert not Proposal.objects.filter(kind="sanction", rule=Rule.LADDER).exists()  # findings are not on the complaints ladder


def test_a_finding_judged_untrue_on_review_withdraws_what_waits_and_flags_what_was_decided(acc: Any) -> None:
    finding = verified_finding(acc)
    sanction = Proposal.objects.get(kind="sanction")
    apology = Proposal.objects.get(kind="apology")
    decision = decide(acc, sanction)
    insp_services.finding_overturn(actor=acc.head, finding=finding, reason="单位申诉，经复核不属实")
    apology.refresh_from_db()
    decision.refresh_from_db()
    assert apology.status == ProposalStatus.WITHDRAWN and "经复核认定不属实" in apology.withdrawn_reason
    assert decision.under_review and decision.sanctions.filter(status="in_force").count() == 2
    assert Charge.objects.get(finding=finding).status == "withdrawn"


def test_the_public_apology_triggers_are_the_policys(acc: Any) -> None:
    publish(public_apology_triggers=["superior_criticism"])
    verified_finding(acc)
    assert apologies() == []
    assert Proposal.objects.filter(kind="sanction", rule=Rule.FINDING).count() == 1


def test_criticism_exposure_and_electronic_supervision_each_call_for_a_public_apology(acc: Any) -> None:
    for kind in ("superior_criticism", "media_exposure", "electronic_supervision"):
        services.incident_record(
            actor=acc.office, kind=kind, occurred_on=date(2026, 3, 2), title=f"{kind}事由", units=[acc.world.unit_b], source="省效能办"
        )
    (public,) = apologies()  # one public apology answers for all three while it waits
    assert (public.unit, public.apology_kind, public.charges.count()) == (acc.world.unit_b, "public", 3)


def test_several_units_involved_a_joint_apology_by_their_heads(acc: Any) -> None:
    incident = services.incident_record(
        actor=acc.office,
        kind="media_exposure",
        occurred_on=date(2026, 3, 2),
        title="《临江日报》曝光两局推诿扯皮",
        units=[acc.world.window_a, acc.world.unit_b],
        source="《临江日报》",
    )
    (joint,) = apologies()
    assert (joint.rule, joint.apology_kind) == (Rule.APOLOGY_JOINT, "joint")
    assert set(joint.units.all()) == {acc.world.unit_a, acc.world.unit_b}
    assert set(joint.charges.values_list("incident_id", flat=True)) == {incident.pk}
    decide(acc, joint)
    apology = Apology.objects.get()
    assert [(link.unit.name, link.head_name) for link in apology.unit_links.order_by("unit__path")] == [
        ("甲局", "甲局长"),
        ("乙局", "乙局长"),
    ]
    assert apology.to_whom == "社会公众"


def test_two_units_of_one_department_are_one_head(acc: Any) -> None:
    services.incident_record(
        actor=acc.office,
        kind="superior_criticism",
        occurred_on=date(2026, 3, 2),
        title="窗口和处室推诿",
        units=[acc.world.window_a, acc.world.division_a],
    )
    (proposal,) = apologies()
    assert (proposal.apology_kind, list(proposal.units.all())) == ("public", [acc.world.unit_a])


def test_an_incident_needs_its_kind_title_date_and_units(acc: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.incident_record(actor=acc.office, kind="rumour", occurred_on=date(2027, 1, 1), title=" ", units=[])
    assert set(info.value.message_dict) == {"kind", "occurred_on", "title", "units"}
    assert "不能晚于今天" in info.value.message_dict["occurred_on"][0]
    assert not Charge.objects.exists() and not Proposal.objects.exists()


def test_withdrawing_an_incident_withdraws_its_joint_apology(acc: Any) -> None:
    incident = services.incident_record(
        actor=acc.office, kind="media_exposure", occurred_on=date(2026, 3, 2), title="曝光", units=[acc.world.unit_a, acc.world.unit_b]
    )
    with pytest.raises(ValidationError):
        services.incident_withdraw(actor=acc.office, incident=incident, reason="")
    services.incident_withdraw(actor=acc.office, incident=incident, reason="登记有误")
    (joint,) = apologies()
    assert joint.status == ProposalStatus.WITHDRAWN and pending() == []
    with pytest.raises(ValidationError):
        services.incident_withdraw(actor=acc.office, incident=incident, reason="再撤一次")
