"""Accountability (问责, RULES.md §5): what is charged to people and units, the proposals
the policy's rules make from it, the decisions people take on them, and what those
decisions put in force — sanctions against staff and apologies by heads of units.

The chain is never broken: a ``Charge`` (a valid complaint, a finding verified true, or
a criticism or exposure the office records as an ``Incident``) → a ``Proposal`` (with
the counts it used and the policy version) → exactly one ``Decision`` (who, when, why) →
``Sanction`` and ``Apology`` rows, which cannot exist without their decision. Nothing is
deleted: a withdrawn charge withdraws pending proposals and flags decided ones for a
``Review``; a revoked sanction stays on record as revoked.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.choices import (
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
from org.models import Staff, Unit


def _within(unit: Any, prefix: str) -> Q:
    return Q(**{f"{prefix}path__startswith": unit.path})


class Incident(models.Model):
    """A matter the apology rule counts that no other module reports, recorded by the
    office: named criticism by a superior body, media exposure, a violation found by
    electronic supervision. Several units → their heads apologise jointly."""

    kind = models.CharField(_("情形"), max_length=24, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    title = models.CharField(_("事由"), max_length=200)
    description = models.TextField(_("情况说明"), blank=True)
    source = models.CharField(_("批评或曝光的机关、媒体"), max_length=120, blank=True)
    units = models.ManyToManyField("org.Unit", related_name="+", verbose_name=_("涉及单位"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("问责情形")
        verbose_name_plural = _("问责情形")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def reference(self) -> str:
        return f"QX{self.pk:06d}"

    @staticmethod
    def gate_unit_q(unit: Any) -> Q:
        return Q(pk__in=Incident.units.through.objects.filter(_within(unit, "unit__")).values("incident_id"))


class Charge(models.Model):
    """One thing charged to a person and/or a unit (问责事由). The ladder counts a
    person's active complaint charges; the apology rule counts a unit's. ``head_unit`` is
    the top of the charged unit's branch: its head (一把手) answers for the unit.
    References and summaries are copied so that pages never read other modules' tables."""

    source = models.CharField(_("来源"), max_length=24, choices=ChargeSource.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("诉求件"))
    finding = models.ForeignKey(
        "inspections.Finding", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("问题线索")
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="charges", verbose_name=_("问责情形")
    )
    staff = models.ForeignKey(
        "org.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="accountability_charges", verbose_name=_("责任人")
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="accountability_charges", verbose_name=_("被计单位"))
    head_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("一把手所在单位"))
    occurred_at = models.DateTimeField(_("认定时间"))
    year = models.PositiveSmallIntegerField(_("考核年度"))
    reference = models.CharField(_("编号"), max_length=20)
    summary = models.CharField(_("摘要"), max_length=200)
    status = models.CharField(_("状态"), max_length=12, choices=ChargeStatus.choices, default=ChargeStatus.ACTIVE)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    gate_unit_field = "unit"
    gate_own_q = staticmethod(lambda user: Q(staff__user=user))

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="active"), name="acc_charge_one_active_per_case"),
            models.UniqueConstraint(fields=["finding"], condition=Q(status="active"), name="acc_charge_one_active_per_finding"),
            models.UniqueConstraint(fields=["incident", "unit"], condition=Q(status="active"), name="acc_charge_one_per_incident_unit"),
            models.CheckConstraint(
                condition=(
                    (Q(source=ChargeSource.COMPLAINT) & Q(case__isnull=False) & Q(staff__isnull=False))
                    | (Q(source=ChargeSource.INSPECTION) & Q(finding__isnull=False))
                    | (~Q(source__in=[ChargeSource.COMPLAINT, ChargeSource.INSPECTION]) & Q(incident__isnull=False))
                ),
                name="acc_charge_source_has_its_record",
            ),
            models.CheckConstraint(
                condition=Q(status=ChargeStatus.ACTIVE) | ~Q(withdrawn_reason=""), name="acc_charge_withdrawal_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["staff", "source", "status", "occurred_at"], name="acc_charge_staff_idx"),
            models.Index(fields=["head_unit", "year", "status"], name="acc_charge_head_unit_idx"),
            models.Index(fields=["year", "source", "status"], name="acc_charge_year_idx"),
            models.Index(fields=["unit", "year"], name="acc_charge_unit_idx"),
        ]
        verbose_name = _("问责事由")
        verbose_name_plural = _("问责事由")

    def __str__(self) -> str:
        return f"{self.reference} {self.summary}"

    @property
    def is_active(self) -> bool:
        return self.status == ChargeStatus.ACTIVE

    def source_url(self) -> str:
        """The page of the record itself (that module's page applies its own permissions)."""
        from django.urls import reverse

        if self.case_id:
            return reverse("cases:case", args=[self.case_id])
        if self.finding_id:
            return reverse("inspections:finding", args=[self.finding_id])
        return ""


class Proposal(models.Model):
    """What a rule proposes for one charge (or, for a public apology, several): a set of
    measures against a person, or an apology by heads of units. It records the counts the
    rule used, the charges counted (the evidence) and the policy version."""

    kind = models.CharField(_("类别"), max_length=10, choices=ProposalKind.choices)
    rule = models.CharField(_("依据规则"), max_length=20, choices=Rule.choices)
    staff = models.ForeignKey(
        "org.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="accountability_proposals", verbose_name=_("责任人")
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="accountability_proposals", verbose_name=_("单位"))
    units: models.ManyToManyField[Unit, ProposalUnit] = models.ManyToManyField(
        "org.Unit", through="ProposalUnit", related_name="+", verbose_name=_("道歉单位")
    )
    measures = models.JSONField(_("建议措施"), default=list, blank=True)
    apology_kind = models.CharField(_("道歉方式"), max_length=10, choices=ApologyKind.choices, blank=True)
    trigger = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="triggered", verbose_name=_("触发事由"))
    charges = models.ManyToManyField(Charge, related_name="proposals", verbose_name=_("计入的事由"))
    year = models.PositiveSmallIntegerField(_("考核年度"))
    year_count = models.PositiveSmallIntegerField(_("年度累计件数"))
    window_count = models.PositiveSmallIntegerField(_("滚动期累计件数"), null=True, blank=True)
    window_start = models.DateField(_("滚动期起"), null=True, blank=True)
    policy_version = models.ForeignKey("core.PolicyVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("政策版本"))
    basis = models.TextField(_("依据"))
    status = models.CharField(_("状态"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["trigger", "kind"], condition=Q(status="pending"), name="acc_proposal_one_pending_per_trigger"),
            models.CheckConstraint(
                condition=(Q(kind=ProposalKind.SANCTION) & Q(apology_kind="")) | (Q(kind=ProposalKind.APOLOGY) & ~Q(apology_kind="")),
                name="acc_proposal_kind_matches",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.WITHDRAWN) | ~Q(withdrawn_reason=""), name="acc_proposal_withdrawal_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="acc_proposal_status_idx"),
            models.Index(fields=["staff", "status"], name="acc_proposal_staff_idx"),
            models.Index(fields=["unit", "year"], name="acc_proposal_unit_idx"),
            models.Index(fields=["kind", "year", "status"], name="acc_proposal_kind_idx"),
        ]
        verbose_name = _("问责建议")
        verbose_name_plural = _("问责建议")

    def __str__(self) -> str:
        return f"{self.reference} {self.get_rule_display()}"

    @property
    def reference(self) -> str:
        return f"JY{self.pk:06d}"

    @property
    def measure_labels(self) -> list[str]:
        return [measure_label(code) for code in self.measures]

    @property
    def count_label(self) -> str:
        """The counts the rule used, as people read them."""
        from django.utils.translation import gettext

        if self.rule == Rule.LADDER:
            return gettext("%(y)s年度第%(n)s件有效投诉") % {"y": self.year, "n": self.year_count}
        if self.rule == Rule.DISMISSAL:
            return gettext("%(y)s年度第%(n)s件；自%(start)s起累计%(w)s件") % {
                "y": self.year,
                "n": self.year_count,
                "start": self.window_start,
                "w": self.window_count,
            }
        if self.kind == ProposalKind.APOLOGY and self.year_count:
            return gettext("单位%(y)s年度有效投诉%(n)s件") % {"y": self.year, "n": self.year_count}
        return ""

    @property
    def subject(self) -> str:
        """Who the proposal is about, as the lists show it."""
        if self.staff_id:
            return self.staff.name  # type: ignore[union-attr]
        return self.unit.name

    @staticmethod
    def gate_unit_q(unit: Any) -> Q:
        joint = ProposalUnit.objects.filter(_within(unit, "unit__")).values("proposal_id")
        return _within(unit, "unit__") | Q(pk__in=joint)


class ProposalUnit(models.Model):
    """A unit whose head a proposed apology names (one for a direct or public apology,
    several for a joint one)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "unit"], name="acc_proposal_unit_unique")]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.unit_id}"


class Decision(models.Model):
    """The one decision a person with the right role takes on a proposal: accepted,
    changed (with a reason) or rejected (with a reason). Sanctions and apologies hang off
    it; ``under_review`` is set while a withdrawn charge waits for a person's review."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision", verbose_name=_("问责建议"))
    outcome = models.CharField(_("决定"), max_length=10, choices=Outcome.choices)
    measures = models.JSONField(_("决定的措施"), default=list, blank=True)
    apology_kind = models.CharField(_("决定的道歉方式"), max_length=10, choices=ApologyKind.choices, blank=True)
    staff = models.ForeignKey("org.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("责任人"))
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("决定人"))
    decided_at = models.DateTimeField(_("决定时间"))
    under_review = models.BooleanField(_("待复核"), default=False)
    revoked_at = models.DateTimeField(_("经复核撤销"), null=True, blank=True)

    gate_unit_q = staticmethod(lambda unit: Q(proposal__in=Proposal.objects.filter(Proposal.gate_unit_q(unit))))

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome=Outcome.ACCEPTED) | ~Q(reason=""), name="acc_decision_change_has_reason"),
        ]
        indexes = [models.Index(fields=["under_review"], name="acc_decision_review_idx")]
        verbose_name = _("问责决定")
        verbose_name_plural = _("问责决定")

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.get_outcome_display()}"

    @property
    def measure_labels(self) -> list[str]:
        return [measure_label(code) for code in self.measures]


class Review(models.Model):
    """A decided measure flagged for a person's review because a charge it rested on was
    withdrawn (a complaint judgement withdrawn, a finding judged untrue). The reviewer
    keeps or revokes the decision, with a reason."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("问责决定"))
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("撤销的事由"))
    reason = models.CharField(_("复核原因"), max_length=300)
    flagged_at = models.DateTimeField(_("提请复核时间"))
    outcome = models.CharField(_("复核结论"), max_length=10, choices=ReviewOutcome.choices, blank=True, default=ReviewOutcome.OPEN)
    note = models.TextField(_("复核意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        ordering = ["-flagged_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["decision"], condition=Q(outcome=""), name="acc_review_one_open_per_decision"),
            models.CheckConstraint(condition=Q(outcome="") | ~Q(note=""), name="acc_review_has_note"),
        ]
        verbose_name = _("复核")
        verbose_name_plural = _("复核")

    def __str__(self) -> str:
        return f"{self.decision_id} {self.get_outcome_display()}"


class Sanction(models.Model):
    """A measure in force against a person (or, where a finding names nobody, against a
    unit), put there by a decision — the foreign key is not nullable, so no sanction
    exists without its decision record."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("问责决定"))
    measure = models.CharField(_("措施"), max_length=30, choices=Measure.choices)
    staff = models.ForeignKey(
        "org.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="accountability_sanctions", verbose_name=_("被问责人")
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="accountability_sanctions", verbose_name=_("单位"))
    year = models.PositiveSmallIntegerField(_("考核年度"))
    basis = models.TextField(_("依据"))
    decided_on = models.DateField(_("决定日期"))
    due = models.DateField(_("落实期限"), null=True, blank=True)
    term_start = models.DateField(_("期限起"), null=True, blank=True)
    term_end = models.DateField(_("期限止"), null=True, blank=True)
    executed_on = models.DateField(_("落实日期"), null=True, blank=True)
    execution_note = models.CharField(_("落实情况"), max_length=300, blank=True)
    executed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=SanctionStatus.choices, default=SanctionStatus.IN_FORCE)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    reminded_for = models.DateField(null=True, blank=True)  # the due date last reminded of (once per due date)

    gate_unit_field = "unit"
    gate_own_q = staticmethod(lambda user: Q(staff__user=user))

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(term_start__isnull=True) & Q(term_end__isnull=True))
                | (Q(term_start__isnull=False) & Q(term_end__gt=models.F("term_start"))),
                name="acc_sanction_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=SanctionStatus.REVOKED) | ~Q(revoked_reason=""), name="acc_sanction_revocation_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due", "executed_on"], name="acc_sanction_due_idx"),
            models.Index(fields=["staff", "year"], name="acc_sanction_staff_idx"),
            models.Index(fields=["unit", "year"], name="acc_sanction_unit_idx"),
            models.Index(fields=["measure", "year"], name="acc_sanction_measure_idx"),
        ]
        verbose_name = _("问责")
        verbose_name_plural = _("问责")

    def __str__(self) -> str:
        return f"{self.reference} {self.get_measure_display()}"

    @property
    def reference(self) -> str:
        return f"WZ{self.pk:06d}"

    @property
    def subject(self) -> str:
        return self.staff.name if self.staff_id else self.unit.name  # type: ignore[union-attr]

    def is_overdue(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return self.status == SanctionStatus.IN_FORCE and self.executed_on is None and self.due is not None and self.due < today


def proof_upload_to(instance: Apology, filename: str) -> str:
    # our own name: an uploaded file's name may say more than it should
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"accountability/proofs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Apology(models.Model):
    """An apology by the head (一把手) of one unit, or jointly by the heads of several,
    put there by a decision: to whom, how, by when, when it was made and the proof."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="apologies", verbose_name=_("问责决定"))
    kind = models.CharField(_("方式"), max_length=10, choices=ApologyKind.choices)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="accountability_apologies", verbose_name=_("单位"))
    units: models.ManyToManyField[Unit, ApologyUnit] = models.ManyToManyField(
        "org.Unit", through="ApologyUnit", related_name="+", verbose_name=_("道歉单位")
    )
    to_whom = models.CharField(_("道歉对象"), max_length=200)
    year = models.PositiveSmallIntegerField(_("考核年度"))
    basis = models.TextField(_("依据"))
    decided_on = models.DateField(_("决定日期"))
    due = models.DateField(_("道歉期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ApologyStatus.choices, default=ApologyStatus.PENDING)
    done_on = models.DateField(_("道歉日期"), null=True, blank=True)
    channel = models.CharField(_("道歉途径"), max_length=12, choices=ApologyChannel.choices, blank=True)
    media_name = models.CharField(_("媒体名称"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    proof = models.FileField(_("证明材料"), upload_to=proof_upload_to, blank=True, max_length=255)
    proof_name = models.CharField(max_length=200, blank=True)
    proof_type = models.CharField(max_length=100, blank=True)
    proof_size = models.PositiveIntegerField(null=True, blank=True)
    proof_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ApologyStatus.DONE) | (Q(done_on__isnull=False) & ~Q(proof_sha256="") & ~Q(channel="")),
                name="acc_apology_done_has_proof",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApologyStatus.REVOKED) | ~Q(revoked_reason=""), name="acc_apology_revocation_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due"], name="acc_apology_due_idx"),
            models.Index(fields=["unit", "year"], name="acc_apology_unit_idx"),
            models.Index(fields=["kind", "year"], name="acc_apology_kind_idx"),
        ]
        verbose_name = _("一把手道歉")
        verbose_name_plural = _("一把手道歉")

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"DQ{self.pk:06d}"

    def is_overdue(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return self.status == ApologyStatus.PENDING and self.due is not None and self.due < today

    @staticmethod
    def gate_unit_q(unit: Any) -> Q:
        joint = ApologyUnit.objects.filter(_within(unit, "unit__")).values("apology_id")
        return _within(unit, "unit__") | Q(pk__in=joint)


class ApologyUnit(models.Model):
    """A unit whose head makes (or joins) an apology, with the head at the time of the
    decision (a later change of head does not rewrite who was to apologise)."""

    apology = models.ForeignKey(Apology, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    head = models.ForeignKey("org.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("主要负责人"))
    head_name = models.CharField(_("主要负责人"), max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["apology", "unit"], name="acc_apology_unit_unique")]

    def __str__(self) -> str:
        return f"{self.apology_id} → {self.unit_id}"


class PersonRecord(Staff):
    """A staff member seen as the subject of an accountability record (a proxy: the
    registry's row, with the gate's rule that the person sees their own record)."""

    gate_unit_field = "unit"
    gate_own_q = staticmethod(lambda user: Q(user=user))

    class Meta:
        proxy = True
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")
