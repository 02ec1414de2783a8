"""Writes of accountability (RULES.md §5). Pages, API, event handlers, tasks and the demo
all call these.

Two kinds of write live here:

* **what the rules do by themselves** — record a charge when a complaint is judged valid
  or a finding verified true (``charge_complaint``, ``charge_finding``) or when the office
  records a criticism or exposure (``incident_record``); withdraw it when that is undone
  (``charge_withdraw``). After each, the person's and the unit's charges are evaluated
  again against the policy: a rule that now applies gets a proposal; a pending proposal
  whose basis changed is withdrawn (and proposed anew on the new counts); a decided one
  is never touched but flagged for a person's review. Nothing is ever applied.
* **what people do** — the office head decides on a proposal (``proposal_decide``) and
  reviews a flagged decision (``decision_review``); units and the office record that an
  apology was made or a measure carried out.

Every change of state is a conditional update checked to have changed one row, inside a
transaction, with an audit record. Every number comes from the policy in force on the
day of the charge; proposals record that version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability import notifications as note
from accountability.choices import (
    DIRECT_CHANNELS,
    MEASURE_BASIS,
    NAMED_MEDIA,
    RATING_MEASURES,
    TERMED_MEASURES,
    ApologyChannel,
    ApologyKind,
    ApologyStatus,
    ChargeSource,
    ChargeStatus,
    IncidentKind,
    Measure,
    Outcome,
    ProposalKind,
    ProposalStatus,
    ReviewOutcome,
    Rule,
    SanctionStatus,
    measure_label,
)
from accountability.ladder import (
    apology_for_complaint,
    apology_for_trigger,
    assessment_year,
    ladder_for,
    months_after,
    window_start,
)
from accountability.models import (
    Apology,
    ApologyUnit,
    Charge,
    Decision,
    Incident,
    Proposal,
    ProposalUnit,
    Review,
    Sanction,
)
from core import calendar
from core import permissions as gate
from core.audit import audit_record
from core.models import PolicyVersion
from core.policy_schema import AccountabilitySection
from core.selectors import NoPolicy, policy_document
from core.uploads import check_upload
from org.choices import StaffRole
from org.models import Staff, Unit

SYSTEM = "系统（问责规则）"  # the audit trail's actor for what the rules do by themselves
PROOF_KINDS = ("image", "document")
REASON_LIMIT = 2000


# --- helpers ------------------------------------------------------------------------------
def _now() -> datetime:
    return timezone.now()


def _today() -> date:
    return timezone.localdate()


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _fmt(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _policy(on: date) -> tuple[PolicyVersion, AccountabilitySection]:
    try:
        version, document = policy_document(on=on)
    except NoPolicy as exc:
        raise ValidationError(str(exc)) from exc
    return version, document.accountability


def _policy_label(version: PolicyVersion) -> str:
    return f"《{version.policy.name}》（第{version.version}版）"


def _labels(codes: Iterable[str]) -> str:
    return "、".join(measure_label(code) for code in codes)


def _system_audit(action: str, obj: Any, detail: dict[str, Any]) -> None:
    audit_record(action=action, actor=None, actor_label=SYSTEM, obj=obj, detail=detail)


def _decision_of(proposal: Proposal) -> Decision | None:
    return Decision.objects.filter(proposal=proposal).first()


def _standing(proposal: Proposal) -> bool:
    """A decided proposal covers its charges unless a review revoked its decision."""
    decision = _decision_of(proposal)
    return decision is not None and decision.revoked_at is None


def heads_of(units: Iterable[Unit]) -> list[tuple[Unit, Staff | None]]:
    """Each unit with its head (一把手: the active staff member registered as 主要负责人)."""
    out = []
    for unit in units:
        head = Staff.objects.filter(unit=unit, role_in_unit=StaffRole.HEAD, is_active=True).order_by("pk").first()
        out.append((unit, head))
    return out


# --- charges ----------------------------------------------------------------------------
def charge_complaint(*, case: Any) -> Charge | None:
    """Charge a valid complaint (有效投诉) to its first-responsible person and their unit
    (event ``cases.complaint.valid``, or the daily sync). Idempotent: a complaint is
    charged once while its judgement stands."""
    if case.first_responsible_id is None or case.charged_unit_id is None or case.verdict_at is None:
        return None
    with transaction.atomic():
        existing = Charge.objects.filter(case_id=case.pk, status=ChargeStatus.ACTIVE).first()
        if existing is not None:
            return existing
        day = _day(case.verdict_at)
        version, policy = _policy(day)
        unit = Unit.objects.get(pk=case.charged_unit_id)
        charge = Charge.objects.create(
            source=ChargeSource.COMPLAINT,
            case_id=case.pk,
            staff_id=case.first_responsible_id,
            unit=unit,
            head_unit=unit.top(),
            occurred_at=case.verdict_at,
            year=assessment_year(day, policy.year_start_month),
            reference=case.number,
            summary=(case.title or "")[:200],
        )
        _system_audit(
            "accountability.charge.record",
            charge,
            {"source": charge.source, "case": case.pk, "staff": charge.staff_id, "unit": unit.pk, "year": charge.year},
        )
        _evaluate_person(charge.staff, since=day)  # type: ignore[arg-type]
        _evaluate_unit(charge.head_unit, charge.year)
    return charge


def charge_finding(*, finding: Any) -> Charge | None:
    """Charge a finding verified true (event ``inspections.finding.verified_true``, or the
    daily sync) to its unit and, if named, the staff member concerned."""
    if finding.verified_at is None:
        return None
    with transaction.atomic():
        existing = Charge.objects.filter(finding_id=finding.pk, status=ChargeStatus.ACTIVE).first()
        if existing is not None:
            return existing
        day = _day(finding.verified_at)
        version, policy = _policy(day)
        unit = Unit.objects.get(pk=finding.unit_id)
        summary = finding.item_name + (f"：{finding.description}" if finding.description else "")
        charge = Charge.objects.create(
            source=ChargeSource.INSPECTION,
            finding_id=finding.pk,
            staff_id=finding.staff_id,
            unit=unit,
            head_unit=unit.top(),
            occurred_at=finding.verified_at,
            year=assessment_year(day, policy.year_start_month),
            reference=finding.reference,
            summary=summary[:200],
        )
        _system_audit(
            "accountability.charge.record",
            charge,
            {"source": charge.source, "finding": finding.pk, "staff": charge.staff_id, "unit": unit.pk, "year": charge.year},
        )
        _ensure_finding_proposal(charge, version, policy)
        _evaluate_unit(charge.head_unit, charge.year)
    return charge


def incident_record(
    *,
    actor: Any,
    kind: str,
    occurred_on: date | None,
    title: str,
    units: Iterable[Unit],
    description: str = "",
    source: str = "",
) -> Incident:
    """The office records a named criticism or exposure by a superior body, or a violation
    found by electronic supervision, naming every unit involved (several heads → a joint
    apology)."""
    errors: dict[str, str] = {}
    chosen = list({unit.pk: unit for unit in units}.values())
    title = (title or "").strip()
    if kind not in IncidentKind.values:
        errors["kind"] = _("请选择情形：上级部门点名批评、媒体曝光或电子监察发现违规。")
    if not title:
        errors["title"] = _("请填写事由。")
    if occurred_on is None:
        errors["occurred_on"] = _("请填写发生日期。")
    elif occurred_on > _today():
        errors["occurred_on"] = _("发生日期不能晚于今天。")
    if not chosen:
        errors["units"] = _("请选择涉及的单位。")
    if errors:
        raise ValidationError(errors)
    assert occurred_on is not None
    version, policy = _policy(occurred_on)
    year = assessment_year(occurred_on, policy.year_start_month)
    moment = datetime.combine(occurred_on, time(12), timezone.get_current_timezone())
    with transaction.atomic():
        incident = Incident.objects.create(
            kind=kind,
            occurred_on=occurred_on,
            title=title[:200],
            description=description.strip(),
            source=source.strip()[:120],
            recorded_by=actor,
        )
        incident.units.set(chosen)
        heads: dict[int, Unit] = {}
        for unit in sorted(chosen, key=lambda u: u.path):
            head = unit.top()
            heads[head.pk] = head
            Charge.objects.create(
                source=kind,
                incident=incident,
                unit=unit,
                head_unit=head,
                occurred_at=moment,
                year=year,
                reference=incident.reference,
                summary=title[:200],
            )
        audit_record(
            action="accountability.incident.record",
            actor=actor,
            obj=incident,
            detail={"kind": kind, "units": [u.pk for u in chosen], "occurred_on": occurred_on, "policy_version": version.pk},
        )
        for head in heads.values():
            _evaluate_unit(head, year)
    return incident


def incident_withdraw(*, actor: Any, incident: Incident, reason: str) -> Incident:
    """Withdraw an incident recorded in error: all its charges at once, with the usual
    consequences for proposals and decisions."""
    reason = _require(reason, "reason", _("请写明撤销理由。"))
    charges = list(incident.charges.filter(status=ChargeStatus.ACTIVE))
    if not charges:
        raise ValidationError(_("该情形已撤销。"))
    with transaction.atomic():
        _withdraw_charges(charges, reason, actor)
        audit_record(action="accountability.incident.withdraw", actor=actor, obj=incident, detail={"reason": reason})
    return incident


def charge_withdraw(*, charge: Charge, reason: str, actor: Any = None) -> Charge:
    """A charge no longer stands (the complaint judgement was withdrawn, the finding judged
    untrue on review). Pending proposals that counted it are withdrawn; decided measures
    that rested on it are flagged for review, never undone by the platform; the person
    and the unit are evaluated again on the counts that remain. Idempotent."""
    _withdraw_charges([charge], (reason or "").strip() or _("事由已撤销"), actor)
    charge.refresh_from_db()
    return charge


def _withdraw_charges(charges: list[Charge], reason: str, actor: Any) -> None:
    with transaction.atomic():
        done: list[Charge] = []
        for charge in charges:
            updated = Charge.objects.filter(pk=charge.pk, status=ChargeStatus.ACTIVE).update(
                status=ChargeStatus.WITHDRAWN, withdrawn_at=_now(), withdrawn_reason=reason[:300]
            )
            if updated != 1:
                continue
            charge.refresh_from_db()
            detail = {"reason": reason, "source": charge.source}
            if actor is None:
                _system_audit("accountability.charge.withdraw", charge, detail)
            else:
                audit_record(action="accountability.charge.withdraw", actor=actor, obj=charge, detail=detail)
            done.append(charge)
        people: dict[int, tuple[Staff, date]] = {}
        heads: dict[tuple[int, int], tuple[Unit, int]] = {}
        for charge in done:
            why = _("所依据的%(ref)s已撤销：%(reason)s") % {"ref": charge.reference, "reason": reason}
            for proposal in charge.proposals.order_by("pk"):
                if proposal.status == ProposalStatus.PENDING:
                    _withdraw_proposal(proposal, why)
                elif proposal.status == ProposalStatus.DECIDED:
                    decision = _decision_of(proposal)
                    if decision is not None and decision.outcome != Outcome.REJECTED and decision.revoked_at is None:
                        _flag(decision, charge, why)
            if charge.source == ChargeSource.COMPLAINT and charge.staff is not None:
                day = _day(charge.occurred_at)
                earliest = people.get(charge.staff.pk, (charge.staff, day))[1]
                people[charge.staff.pk] = (charge.staff, min(day, earliest))
            heads[(charge.head_unit_id, charge.year)] = (charge.head_unit, charge.year)
            if charge.incident_id:
                for other in Charge.objects.filter(incident_id=charge.incident_id).select_related("head_unit"):
                    heads[(other.head_unit_id, other.year)] = (other.head_unit, other.year)
        for person, since in people.values():
            _evaluate_person(person, since=since)
        for head, year in heads.values():
            _evaluate_unit(head, year)


@dataclass
class SyncResult:
    recorded: int = 0
    withdrawn: int = 0


def charges_sync(*, start: date | None = None, end: date | None = None) -> SyncResult:
    """Reconcile the charges with what the cases and inspections modules say now, through
    their selectors: record any valid complaint or verified finding not yet charged, and
    withdraw any charge whose record no longer stands (a missed event never leaves the
    counts wrong for long; the demo builds its history this way)."""
    from cases.selectors import valid_complaints
    from inspections.selectors import findings_verified_true

    result = SyncResult()
    charged_cases = set(Charge.objects.filter(source=ChargeSource.COMPLAINT, status=ChargeStatus.ACTIVE).values_list("case_id", flat=True))
    charged_findings = set(
        Charge.objects.filter(source=ChargeSource.INSPECTION, status=ChargeStatus.ACTIVE).values_list("finding_id", flat=True)
    )
    new: list[tuple[Any, int, Any, str]] = []
    for case in valid_complaints(start=start, end=end):
        if case.pk not in charged_cases and case.first_responsible_id:
            new.append((case.verdict_at, case.pk, case, "case"))
    for finding in findings_verified_true(start=start, end=end):
        if finding.pk not in charged_findings:
            new.append((finding.verified_at, finding.pk, finding, "finding"))
    # in the order they happened, so that every count is the count of its day
    for _moment, _pk, record, what in sorted(new, key=lambda row: (row[0], row[3], row[1])):
        charged = charge_complaint(case=record) if what == "case" else charge_finding(finding=record)
        result.recorded += charged is not None
    active = Charge.objects.filter(status=ChargeStatus.ACTIVE, source__in=[ChargeSource.COMPLAINT, ChargeSource.INSPECTION])
    if start is not None:
        active = active.filter(occurred_at__date__gte=start)
    if end is not None:
        active = active.filter(occurred_at__date__lte=end)
    complaints = list(active.filter(source=ChargeSource.COMPLAINT))
    if complaints:
        valid = set(valid_complaints(staff_ids=sorted({c.staff_id for c in complaints if c.staff_id})).values_list("pk", flat=True))
        for charge in complaints:
            if charge.case_id not in valid:
                charge_withdraw(charge=charge, reason=_("核对：该件已不是有效投诉"))
                result.withdrawn += 1
    findings = list(active.filter(source=ChargeSource.INSPECTION))
    if findings:
        standing = set(findings_verified_true(unit_ids=sorted({c.unit_id for c in findings})).values_list("pk", flat=True))
        for charge in findings:
            if charge.finding_id not in standing:
                charge_withdraw(charge=charge, reason=_("核对：该问题已不是核查属实"))
                result.withdrawn += 1
    return result


# --- the rules at work --------------------------------------------------------------------
def _evaluate_person(staff: Staff, *, since: date | None = None) -> None:
    """The ladder for one person: each active valid complaint from ``since`` on gets the
    proposal its counts call for (earlier ones cannot have changed)."""
    list(Staff.objects.select_for_update().filter(pk=staff.pk))  # one evaluation of a person at a time
    charges = list(
        Charge.objects.filter(staff=staff, source=ChargeSource.COMPLAINT, status=ChargeStatus.ACTIVE)
        .select_related("unit")
        .order_by("occurred_at", "pk")
    )
    for index, charge in enumerate(charges):
        day = _day(charge.occurred_at)
        if since is not None and day < since:
            continue
        version, policy = _policy(day)
        upto = charges[: index + 1]
        in_year = [c for c in upto if c.year == charge.year]
        start = window_start(day, policy.dismissal_window_months)
        in_window = [c for c in upto if _day(c.occurred_at) >= start]
        result = ladder_for(policy, len(in_year), len(in_window))
        if result is None:
            continue
        counted = in_year if result.rule == Rule.LADDER else sorted({*in_year, *in_window}, key=lambda c: (c.occurred_at, c.pk))
        if result.rule == Rule.LADDER:
            basis = _(
                "%(year)s年度第%(n)s件有效投诉（%(ref)s）。依据%(policy)s首办（首问）责任追究阶梯：年度累计有效投诉%(n)s件，建议：%(measures)s。"
            ) % {
                "year": charge.year,
                "n": len(in_year),
                "ref": charge.reference,
                "policy": _policy_label(version),
                "measures": _labels(result.measures),
            }
        else:
            basis = _(
                "%(start)s至%(end)s（%(months)s个月内）累计有效投诉%(n)s件，达到%(limit)s件（本件%(ref)s）。依据%(policy)s，建议：%(measures)s。"
            ) % {
                "start": _fmt(start),
                "end": _fmt(day),
                "months": policy.dismissal_window_months,
                "n": len(in_window),
                "limit": policy.dismissal_count,
                "ref": charge.reference,
                "policy": _policy_label(version),
                "measures": _labels(result.measures),
            }
        _ensure_sanction(
            trigger=charge,
            rule=result.rule,
            staff=staff,
            unit=charge.unit,
            measures=result.measures,
            counted=counted,
            year=charge.year,
            year_count=len(in_year),
            window_count=len(in_window),
            window_from=start,
            version=version,
            basis=basis,
        )


def _ensure_finding_proposal(charge: Charge, version: PolicyVersion, policy: AccountabilitySection) -> None:
    if not policy.finding_measures:
        return
    basis = _("明查暗访查实问题（%(ref)s：%(summary)s）。依据%(policy)s，建议：%(measures)s。") % {
        "ref": charge.reference,
        "summary": charge.summary,
        "policy": _policy_label(version),
        "measures": _labels(policy.finding_measures),
    }
    _ensure_sanction(
        trigger=charge,
        rule=Rule.FINDING,
        staff=charge.staff,
        unit=charge.unit,
        measures=list(policy.finding_measures),
        counted=[charge],
        year=charge.year,
        year_count=1,
        window_count=None,
        window_from=None,
        version=version,
        basis=basis,
    )


def _ensure_sanction(
    *,
    trigger: Charge,
    rule: str,
    staff: Staff | None,
    unit: Unit,
    measures: list[str],
    counted: list[Charge],
    year: int,
    year_count: int,
    window_count: int | None,
    window_from: date | None,
    version: PolicyVersion,
    basis: str,
) -> Proposal:
    ids = sorted(c.pk for c in counted)
    for proposal in Proposal.objects.filter(trigger=trigger, kind=ProposalKind.SANCTION).exclude(status=ProposalStatus.WITHDRAWN):
        if proposal.status == ProposalStatus.PENDING:
            same = proposal.rule == rule and proposal.measures == measures and sorted(proposal.charges.values_list("pk", flat=True)) == ids
            if same:
                return proposal
            _withdraw_proposal(proposal, _("计入的有效投诉件数已变化，已按新的件数重新提出建议。"))
        elif _standing(proposal):
            return proposal
    return _create_proposal(
        kind=ProposalKind.SANCTION,
        rule=rule,
        trigger=trigger,
        staff=staff,
        unit=unit,
        units=[],
        measures=measures,
        apology_kind="",
        counted=counted,
        year=year,
        year_count=year_count,
        window_count=window_count,
        window_from=window_from,
        version=version,
        basis=basis,
    )


def _evaluate_unit(head: Unit, year: int) -> None:
    """The apology rule for the head of one unit in one assessment year."""
    list(Unit.objects.select_for_update().filter(pk=head.pk))  # one evaluation of a unit at a time
    charges = list(
        Charge.objects.filter(head_unit=head, year=year, status=ChargeStatus.ACTIVE)
        .select_related("incident")
        .order_by("occurred_at", "pk")
    )
    complaints: list[Charge] = []
    policies: dict[date, tuple[PolicyVersion, AccountabilitySection]] = {}
    for charge in charges:
        day = _day(charge.occurred_at)
        if day not in policies:
            policies[day] = _policy(day)
        version, policy = policies[day]
        if charge.source == ChargeSource.COMPLAINT:
            complaints.append(charge)
            kind = apology_for_complaint(policy, len(complaints))
            counted = list(complaints) if kind == ApologyKind.PUBLIC else [charge]
            heads = [head]
        else:
            together = [charge]
            if charge.incident_id:
                together = list(
                    Charge.objects.filter(incident_id=charge.incident_id, status=ChargeStatus.ACTIVE)
                    .select_related("head_unit")
                    .order_by("head_unit__path", "pk")
                )
            heads = list({c.head_unit_id: c.head_unit for c in together}.values())
            kind = apology_for_trigger(policy, charge.source, len(heads))
            counted = together
        if kind is None:
            continue
        # the count the rule used: the unit's valid complaints so far, for a complaint only
        _ensure_apology(
            charge, kind, counted, heads, len(complaints) if charge.source == ChargeSource.COMPLAINT else 0, year, version, policy
        )


def _apology_basis(kind: str, heads: list[Unit], charges: list[Charge], complaints: int, version: PolicyVersion) -> str:
    names = "、".join(unit.name for unit in heads)
    listed = "；".join(f"{c.get_source_display()} {c.reference}（{c.summary}）" for c in charges)
    if kind == ApologyKind.DIRECT:
        text = _("%(unit)s本考核年度第%(n)s件有效投诉：主要负责人向投诉人本人直接道歉。") % {"unit": names, "n": complaints}
    elif kind == ApologyKind.JOINT:
        text = _("涉及%(n)s个单位（%(units)s）：各单位主要负责人在媒体上共同公开道歉。") % {"n": len(heads), "units": names}
    else:
        text = _("%(unit)s：主要负责人在媒体上公开道歉。") % {"unit": names}
        if complaints:
            text += _("本考核年度有效投诉累计%(n)s件。") % {"n": complaints}
    return text + _("依据%(policy)s一把手公开道歉制。事由：%(list)s。") % {"policy": _policy_label(version), "list": listed}


def _ensure_apology(
    charge: Charge,
    kind: str,
    counted: list[Charge],
    heads: list[Unit],
    complaints: int,
    year: int,
    version: PolicyVersion,
    policy: AccountabilitySection,
) -> None:
    # a charge may be counted by several apologies (an early complaint is also evidence of
    # the public apology the second one brings); it is answered for by one of its own kind
    counting = list(
        Proposal.objects.filter(kind=ProposalKind.APOLOGY, charges=charge).exclude(status=ProposalStatus.WITHDRAWN).order_by("pk")
    )
    for proposal in counting:
        if proposal.apology_kind == kind and (proposal.status == ProposalStatus.PENDING or _standing(proposal)):
            return
    for proposal in counting:
        if proposal.status == ProposalStatus.PENDING and proposal.trigger_id == charge.pk:
            _withdraw_proposal(proposal, _("道歉情形已变化，已重新提出建议。"))
    lead = heads[0]
    if kind == ApologyKind.PUBLIC:
        # one public apology can answer for everything that happens to the same head while
        # it waits for a decision (never for a matter older than itself: back-filled history)
        pending = (
            Proposal.objects.filter(
                kind=ProposalKind.APOLOGY,
                apology_kind=ApologyKind.PUBLIC,
                unit=lead,
                year=year,
                status=ProposalStatus.PENDING,
                trigger__occurred_at__lte=charge.occurred_at,
            )
            .order_by("pk")
            .first()
        )
        if pending is not None:
            pending.charges.add(*counted)
            all_charges = list(pending.charges.order_by("occurred_at", "pk"))
            count = max(pending.year_count, complaints)
            basis = _apology_basis(kind, [lead], all_charges, count, version)
            Proposal.objects.filter(pk=pending.pk, status=ProposalStatus.PENDING).update(year_count=count, basis=basis)
            _system_audit("accountability.proposal.extend", pending, {"charge": charge.pk, "year_count": count})
            return
    rules = {ApologyKind.DIRECT: Rule.APOLOGY_DIRECT, ApologyKind.PUBLIC: Rule.APOLOGY_PUBLIC, ApologyKind.JOINT: Rule.APOLOGY_JOINT}
    rule = rules[ApologyKind(kind)]
    _create_proposal(
        kind=ProposalKind.APOLOGY,
        rule=rule,
        trigger=charge,
        staff=None,
        unit=lead,
        units=heads,
        measures=[],
        apology_kind=kind,
        counted=counted,
        year=year,
        year_count=complaints,
        window_count=None,
        window_from=None,
        version=version,
        basis=_apology_basis(kind, heads, counted, complaints, version),
    )


def _create_proposal(
    *,
    kind: str,
    rule: str,
    trigger: Charge,
    staff: Staff | None,
    unit: Unit,
    units: list[Unit],
    measures: list[str],
    apology_kind: str,
    counted: list[Charge],
    year: int,
    year_count: int,
    window_count: int | None,
    window_from: date | None,
    version: PolicyVersion,
    basis: str,
) -> Proposal:
    proposal = Proposal.objects.create(
        kind=kind,
        rule=rule,
        staff=staff,
        unit=unit,
        measures=list(measures),
        apology_kind=apology_kind,
        trigger=trigger,
        year=year,
        year_count=year_count,
        window_count=window_count,
        window_start=window_from,
        policy_version=version,
        basis=basis,
        created_at=_now(),
    )
    proposal.charges.set(counted)
    ProposalUnit.objects.bulk_create([ProposalUnit(proposal=proposal, unit=u) for u in units])
    _system_audit(
        "accountability.proposal.create",
        proposal,
        {
            "rule": rule,
            "measures": list(measures),
            "apology_kind": apology_kind,
            "charges": [c.pk for c in counted],
            "year_count": year_count,
            "window_count": window_count,
            "policy_version": version.pk,
        },
    )
    note.send(
        note.office_users(head_only=True),
        note.PROPOSAL,
        _("问责建议待决定：%(who)s，%(rule)s") % {"who": proposal.subject, "rule": proposal.get_rule_display()},
        _url("proposal", proposal.pk),
    )
    return proposal


def _withdraw_proposal(proposal: Proposal, reason: str) -> None:
    updated = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
        status=ProposalStatus.WITHDRAWN, withdrawn_at=_now(), withdrawn_reason=reason[:300]
    )
    if updated:
        _system_audit("accountability.proposal.withdraw", proposal, {"reason": reason})


def _flag(decision: Decision, charge: Charge, reason: str) -> None:
    """Flag a decided measure for a person's review (never undo it here)."""
    open_review = Review.objects.filter(decision=decision, outcome=ReviewOutcome.OPEN).first()
    if open_review is not None:
        if charge.reference not in open_review.reason:
            Review.objects.filter(pk=open_review.pk).update(reason=f"{open_review.reason}；{reason}"[:300])
    else:
        Review.objects.create(decision=decision, charge=charge, reason=reason[:300], flagged_at=_now())
    Decision.objects.filter(pk=decision.pk).update(under_review=True)
    _system_audit("accountability.decision.flag", decision, {"charge": charge.pk, "reason": reason})
    note.send(
        note.office_users(head_only=True),
        note.REVIEW,
        _("问责决定待复核：%(ref)s") % {"ref": decision.proposal.reference},
        _url("proposal", decision.proposal_id),
        body=reason,
    )


def _url(name: str, pk: int) -> str:
    from django.urls import reverse

    return reverse(f"accountability:{name}", args=[pk])


def _require(text: str | None, field: str, message: str) -> str:
    value = (text or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value[:REASON_LIMIT]


# --- decisions -----------------------------------------------------------------------------
def _working_days_from(day: date, days: int, field: str) -> date:
    try:
        return calendar.add_working_days(day, days)
    except calendar.CalendarUnknownYear as exc:
        raise ValidationError({field: _("%(msg)s 或请直接填写期限。") % {"msg": str(exc)}}) from exc


def proposal_decide(
    *,
    actor: Any,
    proposal: Proposal,
    outcome: str,
    reason: str = "",
    measures: list[str] | None = None,
    staff: Staff | None = None,
    apology_kind: str = "",
    term_start: date | None = None,
    term_end: date | None = None,
    due: date | None = None,
    to_whom: str = "",
    at: datetime | None = None,
) -> Decision:
    """The office head's decision on a proposal: accept it, change it (with a reason) or
    reject it (with a reason). Exactly one decision per proposal. Accepted or changed,
    it puts sanctions (one per measure) or an apology in force, each with its basis and
    the evidence behind it. ``at`` back-dates the decision for history built by the
    demo; pages and the API never pass it."""
    if not gate.can(actor, "accountability.proposal.decide"):
        raise PermissionDenied(_("只有效能办负责人可以作出问责决定。"))
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择：采纳、调整后采纳或不予采纳。")})
    reason = (reason or "").strip()
    if outcome != Outcome.ACCEPTED and not reason:
        errors["reason"] = _("调整或不予采纳，须写明理由。")
    moment = at or _now()
    today = _day(moment)
    version, policy = _policy(today)
    final_measures: list[str] = []
    final_kind = ""
    final_staff = proposal.staff
    if proposal.kind == ProposalKind.SANCTION:
        final_measures = list(proposal.measures)
        if outcome == Outcome.CHANGED:
            # None keeps the proposal's measures (e.g. a change that only names the person)
            chosen = list(dict.fromkeys(measures)) if measures is not None else list(proposal.measures)
            unknown = [code for code in chosen if code not in Measure.values]
            if not chosen:
                errors["measures"] = _("请选择调整后的措施。")
            elif unknown:
                errors["measures"] = _("未知的措施：%(codes)s。") % {"codes": "、".join(unknown)}
            if staff is not None and staff != proposal.staff:
                if proposal.rule != Rule.FINDING:
                    errors["staff"] = _("有效投诉计入首办责任人；如需改变责任人，请先在诉求件中撤销认定后重新认定。")
                elif not staff.is_active or not staff.unit.path.startswith(proposal.unit.top().path):
                    errors["staff"] = _("责任人须是%(unit)s（或其下级单位）的在职工作人员。") % {"unit": proposal.unit.top().name}
                else:
                    final_staff = staff
            if chosen and not unknown:
                final_measures = chosen
                if chosen == list(proposal.measures) and final_staff == proposal.staff:
                    errors["measures"] = _("调整后的措施与建议相同；如同意建议，请选择“采纳”。")
    else:
        final_kind = proposal.apology_kind
        if outcome == Outcome.CHANGED:
            if proposal.apology_kind == ApologyKind.JOINT:
                errors["apology_kind"] = _("共同公开道歉只能采纳或不予采纳。")
            elif apology_kind not in (ApologyKind.DIRECT, ApologyKind.PUBLIC):
                errors["apology_kind"] = _("请选择调整后的道歉方式：直接道歉或公开道歉。")
            elif apology_kind == proposal.apology_kind:
                errors["apology_kind"] = _("调整后的道歉方式与建议相同；如同意建议，请选择“采纳”。")
            else:
                final_kind = apology_kind
    termed = [code for code in final_measures if code in TERMED_MEASURES] if outcome != Outcome.REJECTED else []
    if outcome != Outcome.REJECTED:
        if termed:
            if term_start is None:
                errors["term_start"] = _("%(m)s须填写期限起始日期。") % {"m": _labels(termed)}
            elif term_end is None:
                if policy.grassroots_reassignment_months:
                    term_end = months_after(term_start, policy.grassroots_reassignment_months)
                else:
                    errors["term_end"] = _("请填写期限截止日期。")
            if term_start is not None and term_end is not None and term_end <= term_start:
                errors["term_end"] = _("期限止须晚于期限起。")
        elif term_start is not None or term_end is not None:
            errors["term_start"] = _("所选措施没有期限，无需填写期限。")
        if due is not None and due < today:
            errors["due"] = _("落实期限不能早于决定日期。")
    if errors:
        raise ValidationError(errors)
    needs_due = outcome != Outcome.REJECTED and (
        proposal.kind == ProposalKind.APOLOGY or any(code not in RATING_MEASURES and code not in TERMED_MEASURES for code in final_measures)
    )
    if needs_due and due is None:
        due = _working_days_from(today, policy.follow_through_days, "due")
    with transaction.atomic():
        updated = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(status=ProposalStatus.DECIDED)
        if updated != 1:
            proposal.refresh_from_db()
            if proposal.status == ProposalStatus.WITHDRAWN:
                raise ValidationError(_("该建议已撤回（%(why)s），不能再作决定。") % {"why": proposal.withdrawn_reason})
            raise ValidationError(_("该建议已作出决定，不能重复决定。"))
        proposal.status = ProposalStatus.DECIDED
        decision = Decision.objects.create(
            proposal=proposal,
            outcome=outcome,
            measures=final_measures if outcome != Outcome.REJECTED else [],
            apology_kind=final_kind if outcome != Outcome.REJECTED else "",
            staff=final_staff,
            reason=reason[:REASON_LIMIT],
            decided_by=actor,
            decided_at=moment,
        )
        put: list[Any] = []
        if outcome != Outcome.REJECTED:
            if proposal.kind == ProposalKind.SANCTION:
                put = _put_sanctions(decision, proposal, final_staff, final_measures, today, due, term_start, term_end)
            else:
                put = [_put_apology(decision, proposal, final_kind, today, due, to_whom)]
        audit_record(
            action="accountability.proposal.decide",
            actor=actor,
            obj=proposal,
            detail={
                "decision": decision.pk,
                "outcome": outcome,
                "reason": reason,
                "measures": decision.measures,
                "apology_kind": decision.apology_kind,
                "staff": getattr(final_staff, "pk", None),
                "put_in_force": [obj.reference for obj in put],
            },
        )
        _notify_decision(decision, proposal, final_staff)
    return decision


def _put_sanctions(
    decision: Decision,
    proposal: Proposal,
    staff: Staff | None,
    measures: list[str],
    today: date,
    due: date | None,
    term_start: date | None,
    term_end: date | None,
) -> list[Sanction]:
    unit = staff.unit if staff is not None else proposal.unit
    rows = []
    for code in measures:
        basis = proposal.basis
        if code in MEASURE_BASIS:
            basis += _("%(m)s：按%(text)s。") % {"m": measure_label(code), "text": MEASURE_BASIS[code]}
        if decision.outcome == Outcome.CHANGED:
            basis += _("决定调整：%(reason)s") % {"reason": decision.reason}
        termed = code in TERMED_MEASURES
        rows.append(
            Sanction(
                decision=decision,
                measure=code,
                staff=staff,
                unit=unit,
                year=proposal.year,
                basis=basis,
                decided_on=today,
                due=term_start if termed else (None if code in RATING_MEASURES else due),
                term_start=term_start if termed else None,
                term_end=term_end if termed else None,
            )
        )
    for row in rows:
        row.save()
    return rows


def _put_apology(decision: Decision, proposal: Proposal, kind: str, today: date, due: date | None, to_whom: str) -> Apology:
    if not to_whom.strip():
        if kind == ApologyKind.DIRECT:
            complaints = [c.reference for c in proposal.charges.filter(source=ChargeSource.COMPLAINT).order_by("occurred_at")]
            to_whom = _("投诉人（%(refs)s）") % {"refs": "、".join(complaints)} if complaints else _("服务对象")
        else:
            to_whom = _("社会公众")
    basis = proposal.basis
    if decision.outcome == Outcome.CHANGED:
        basis += _("决定调整：%(reason)s") % {"reason": decision.reason}
    apology = Apology.objects.create(
        decision=decision,
        kind=kind,
        unit=proposal.unit,
        to_whom=to_whom.strip()[:200],
        year=proposal.year,
        basis=basis,
        decided_on=today,
        due=due,
    )
    units = list(proposal.units.order_by("path")) or [proposal.unit]
    ApologyUnit.objects.bulk_create(
        [ApologyUnit(apology=apology, unit=unit, head=head, head_name=head.name if head else "") for unit, head in heads_of(units)]
    )
    return apology


def _notify_decision(decision: Decision, proposal: Proposal, staff: Staff | None) -> None:
    if decision.outcome == Outcome.REJECTED:
        return
    units = list(proposal.units.all()) or [staff.unit if staff is not None else proposal.unit]
    title = _("问责决定：%(who)s，%(what)s") % {
        "who": staff.name if staff is not None else "、".join(u.name for u in units),
        "what": _labels(decision.measures) if decision.measures else ApologyKind(decision.apology_kind).label,
    }
    recipients = {u.pk: u for u in [*note.unit_users(units), *note.person_users(staff)]}
    note.send(recipients.values(), note.DECISION, title, _url("unit", units[0].top().pk))


def decision_review(*, actor: Any, decision: Decision, keep: bool, note_text: str) -> Review:
    """The office head reviews a decision flagged after a withdrawal: keep it (the
    measures stand) or revoke it (its sanctions and apologies are marked revoked — kept on
    record — and the rules propose again on the counts that remain). A reason is required."""
    if not gate.can(actor, "accountability.decision.review"):
        raise PermissionDenied(_("只有效能办负责人可以复核问责决定。"))
    text = _require(note_text, "note", _("请写明复核意见。"))
    review = Review.objects.filter(decision=decision, outcome=ReviewOutcome.OPEN).first()
    if review is None:
        raise ValidationError(_("该决定没有待复核的事项。"))
    now = _now()
    outcome = ReviewOutcome.KEPT if keep else ReviewOutcome.REVOKED
    with transaction.atomic():
        updated = Review.objects.filter(pk=review.pk, outcome=ReviewOutcome.OPEN).update(
            outcome=outcome, note=text, reviewed_by=actor, reviewed_at=now
        )
        if updated != 1:
            raise ValidationError(_("该复核已由他人完成，请刷新页面。"))
        changes: dict[str, Any] = {"under_review": False}
        if not keep:
            changes["revoked_at"] = now
        Decision.objects.filter(pk=decision.pk).update(**changes)
        revoked = 0
        if not keep:
            revoked += Sanction.objects.filter(decision=decision, status=SanctionStatus.IN_FORCE).update(
                status=SanctionStatus.REVOKED, revoked_at=now, revoked_reason=text[:300]
            )
            revoked += (
                Apology.objects.filter(decision=decision)
                .exclude(status=ApologyStatus.REVOKED)
                .update(status=ApologyStatus.REVOKED, revoked_at=now, revoked_reason=text[:300])
            )
        review.refresh_from_db()
        audit_record(
            action="accountability.decision.review",
            actor=actor,
            obj=decision,
            detail={"outcome": outcome, "note": text, "revoked": revoked},
        )
        if not keep:
            proposal = decision.proposal
            trigger = proposal.trigger
            if trigger.is_active:
                if proposal.kind == ProposalKind.SANCTION and trigger.source == ChargeSource.COMPLAINT and trigger.staff is not None:
                    _evaluate_person(trigger.staff, since=_day(trigger.occurred_at))
                elif proposal.kind == ProposalKind.SANCTION:
                    _ensure_finding_proposal(trigger, *_policy(_day(trigger.occurred_at)))
            if proposal.kind == ProposalKind.APOLOGY:
                charges = proposal.charges.filter(status=ChargeStatus.ACTIVE).select_related("head_unit")
                for head, year in {(c.head_unit, c.year) for c in charges}:
                    _evaluate_unit(head, year)
    return review


# --- follow-through --------------------------------------------------------------------------
def sanction_execute(*, actor: Any, sanction: Sanction, executed_on: date | None, note_text: str = "") -> Sanction:
    """Record that a measure was carried out (the talk held, the training attended, the
    term of a grassroots reassignment begun) and when."""
    errors: dict[str, str] = {}
    if sanction.measure in RATING_MEASURES:
        raise ValidationError(_("该措施在年度考核中执行，无需登记落实。"))
    if executed_on is None:
        errors["executed_on"] = _("请填写落实日期。")
    elif executed_on > _today():
        errors["executed_on"] = _("落实日期不能晚于今天。")
    elif executed_on < sanction.decided_on:
        errors["executed_on"] = _("落实日期不能早于决定日期（%(d)s）。") % {"d": _fmt(sanction.decided_on)}
    if errors:
        raise ValidationError(errors)
    text = (note_text or "").strip()[:300]
    with transaction.atomic():
        updated = Sanction.objects.filter(pk=sanction.pk, status=SanctionStatus.IN_FORCE, executed_on__isnull=True).update(
            executed_on=executed_on, execution_note=text, executed_by=actor
        )
        if updated != 1:
            raise ValidationError(_("该措施已登记落实或已撤销。"))
        sanction.refresh_from_db()
        audit_record(action="accountability.sanction.execute", actor=actor, obj=sanction, detail={"executed_on": executed_on, "note": text})
    return sanction


def apology_record(
    *,
    actor: Any,
    apology: Apology,
    done_on: date | None,
    channel: str,
    proof: Any,
    media_name: str = "",
    note_text: str = "",
) -> Apology:
    """Record that the head apologised: when, how (in person, by phone or letter for a
    direct apology; in named media or at a meeting for a public one) and the proof."""
    errors: dict[str, str] = {}
    if done_on is None:
        errors["done_on"] = _("请填写道歉日期。")
    elif done_on > _today():
        errors["done_on"] = _("道歉日期不能晚于今天。")
    elif done_on < apology.decided_on:
        errors["done_on"] = _("道歉日期不能早于决定日期（%(d)s）。") % {"d": _fmt(apology.decided_on)}
    media_name = (media_name or "").strip()[:100]
    if channel not in ApologyChannel.values:
        errors["channel"] = _("请选择道歉途径。")
    elif apology.kind == ApologyKind.DIRECT and channel not in DIRECT_CHANNELS:
        errors["channel"] = _("直接道歉应当面、电话或书面向投诉人本人道歉。")
    elif apology.kind != ApologyKind.DIRECT and channel in DIRECT_CHANNELS:
        errors["channel"] = _("公开道歉应在媒体上或大会上进行。")
    elif channel in NAMED_MEDIA and not media_name:
        errors["media_name"] = _("请填写媒体名称（如《临江日报》）。")
    checked = None
    if not proof:
        errors["proof"] = _("请上传证明材料（照片、截图或文件）。")
    else:
        try:
            checked = check_upload(proof, PROOF_KINDS)
        except ValidationError as exc:
            errors["proof"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    assert checked is not None
    with transaction.atomic():
        locked = Apology.objects.select_for_update().get(pk=apology.pk)
        if locked.status != ApologyStatus.PENDING:
            raise ValidationError(_("该道歉已登记或已撤销。"))
        locked.proof.save(checked.name, proof, save=False)
        updated = Apology.objects.filter(pk=apology.pk, status=ApologyStatus.PENDING).update(
            status=ApologyStatus.DONE,
            done_on=done_on,
            channel=channel,
            media_name=media_name,
            note=(note_text or "").strip()[:300],
            proof=locked.proof.name,
            proof_name=checked.name[:200],
            proof_type=checked.content_type,
            proof_size=checked.size,
            proof_sha256=checked.sha256,
            recorded_by=actor,
            recorded_at=_now(),
        )
        if updated != 1:  # pragma: no cover - the row is locked
            raise ValidationError(_("该道歉已登记或已撤销。"))
        apology.refresh_from_db()
        audit_record(
            action="accountability.apology.record",
            actor=actor,
            obj=apology,
            detail={"done_on": done_on, "channel": channel, "media": media_name, "proof_sha256": checked.sha256},
        )
        note.send(
            note.office_users(),
            note.DECISION,
            _("%(unit)s已登记道歉（%(ref)s）") % {"unit": apology.unit.name, "ref": apology.reference},
            _url("apology", apology.pk),
        )
    return apology


@dataclass
class ScanResult:
    apologies: int = 0
    sanctions: int = 0


def follow_through_scan(today: date | None = None) -> ScanResult:
    """Remind units and the office of an apology not made by its due date and of a
    measure not carried out (a reassignment term not begun) — once per due date."""
    today = today or _today()
    result = ScanResult()
    for apology in (
        Apology.objects.filter(status=ApologyStatus.PENDING, due__lt=today).exclude(reminded_for=F("due")).select_related("unit")
    ):
        if not Apology.objects.filter(pk=apology.pk).exclude(reminded_for=F("due")).update(reminded_for=F("due")):
            continue
        units = list(apology.units.all()) or [apology.unit]
        title = _("%(unit)s的%(kind)s已逾期（期限%(due)s）") % {
            "unit": apology.unit.name,
            "kind": apology.get_kind_display(),
            "due": _fmt(apology.due),
        }
        note.send(
            {u.pk: u for u in [*note.unit_users(units), *note.office_users()]}.values(), note.OVERDUE, title, _url("apology", apology.pk)
        )
        _system_audit("accountability.apology.overdue", apology, {"due": apology.due})
        result.apologies += 1
    overdue = Sanction.objects.filter(status=SanctionStatus.IN_FORCE, executed_on__isnull=True, due__lt=today).exclude(
        reminded_for=F("due")
    )
    for sanction in overdue.select_related("staff", "unit"):
        if not Sanction.objects.filter(pk=sanction.pk).exclude(reminded_for=F("due")).update(reminded_for=F("due")):
            continue
        what = _("期限未开始") if sanction.term_start else _("未落实")
        title = _("%(who)s的%(measure)s%(what)s（期限%(due)s）") % {
            "who": sanction.subject,
            "measure": sanction.get_measure_display(),
            "what": what,
            "due": _fmt(sanction.due),
        }
        note.send(
            {u.pk: u for u in [*note.unit_users([sanction.unit]), *note.office_users()]}.values(),
            note.OVERDUE,
            title,
            _url("sanction", sanction.pk),
        )
        _system_audit("accountability.sanction.overdue", sanction, {"due": sanction.due})
        result.sanctions += 1
    return result
