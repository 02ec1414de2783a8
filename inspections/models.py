"""Inspections (明查暗访, RULES.md §1): a round each month (常态 or 专项), a batch each week,
tasks done by teams of supervisors, the findings they record with evidence, and what
happens to a finding afterwards — review, feedback to the unit, verification,
rectification and acceptance — and the circulars (通报) that name verified findings.

Confidentiality is expressed in the gate's scopes on these models: a supervisor's own
rows (``gate_own_q``) are their assignments, the tasks they are dispatched on and the
findings they recorded; a unit's rows (``gate_unit_q``) are only findings fed back to it
and their evidence — never a round, batch, task or assignment, so a unit learns nothing
of a visit before the office tells it, and never who made it.

Evidence files and published circulars are immutable: the ORM refuses to change or
delete them (and on PostgreSQL so does the database, migration 0002); ``manage.py
evidence_verify`` proves that every stored file still has its SHA-256.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableError
from inspections.choices import (
    FED_BACK_STATUSES,
    AssignmentSource,
    AssignmentStatus,
    CircularStatus,
    EvidenceStage,
    FindingStatus,
    InspectionMode,
    RectificationDecision,
    RoundKind,
    RoundStatus,
    TaskStatus,
    Verdict,
)


class InspectionRound(models.Model):
    """A month's campaign (每月一轮): regular (常态) or special (专项, with a theme). Its scope
    is the units it should cover; its checklist is a copy of the policy's checklist (or the
    part of it a special round looks at), so that later policy changes do not rewrite it."""

    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=10, choices=RoundKind.choices)
    theme = models.CharField(_("专项主题"), max_length=100, blank=True, help_text=_("如：上下班制度执行、拎早点上班"))
    month = models.DateField(_("月份"), help_text=_("该月的第一天"))
    scope = models.ManyToManyField("org.Unit", related_name="+", verbose_name=_("检查范围"))
    checklist = models.JSONField(_("检查项目"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    note = models.TextField(_("说明"), blank=True)
    policy_version = models.ForeignKey("core.PolicyVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("政策版本"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [
            # “每月一轮”: one regular round a month; special rounds as many as needed
            models.UniqueConstraint(fields=["month"], condition=Q(kind="regular"), name="inspections_one_regular_round_a_month"),
            models.CheckConstraint(condition=Q(kind="regular") | ~Q(theme=""), name="inspections_special_round_has_theme"),
        ]
        indexes = [models.Index(fields=["month", "kind"], name="insp_round_month_idx")]
        verbose_name = _("检查轮次")
        verbose_name_plural = _("检查轮次")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    def checklist_item(self, code: str) -> dict[str, Any] | None:
        return next((item for item in self.checklist if item.get("code") == code), None)


class InspectionBatch(models.Model):
    """A week's set of tasks inside a round (每周一批)."""

    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="batches", verbose_name=_("轮次"))
    number = models.PositiveSmallIntegerField(_("批次"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="inspections_batch_number_unique"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="inspections_batch_dates_order"),
        ]
        verbose_name = _("检查批次")
        verbose_name_plural = _("检查批次")

    def __str__(self) -> str:
        return f"{self.round.title} 第{self.number}批"


class InspectionTask(models.Model):
    """One visit to one or more units by a team of supervisors, in a time window."""

    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("轮次"))
    batch = models.ForeignKey(InspectionBatch, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("批次"))
    units = models.ManyToManyField("org.Unit", related_name="+", verbose_name=_("检查对象"))
    mode = models.CharField(_("方式"), max_length=12, choices=InspectionMode.choices, default=InspectionMode.COVERT)
    window_start = models.DateTimeField(_("开始时间"))
    window_end = models.DateTimeField(_("结束时间"))
    team_size = models.PositiveSmallIntegerField(_("监督员人数"))
    instructions = models.TextField(_("任务要求"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PLANNED)
    policy_version = models.ForeignKey("core.PolicyVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("政策版本"))
    dispatched_at = models.DateTimeField(_("派发时间"), null=True, blank=True)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    # a supervisor sees a task once it is dispatched to them — and only then
    gate_own_q = staticmethod(lambda user: Q(assignments__supervisor__user=user, dispatched_at__isnull=False))

    class Meta:
        ordering = ["window_start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(window_end__gt=models.F("window_start")), name="inspections_task_window_order"),
            models.CheckConstraint(condition=Q(team_size__gte=1), name="inspections_task_team_size_positive"),
        ]
        indexes = [
            models.Index(fields=["round", "status"], name="insp_task_round_idx"),
            models.Index(fields=["window_start"], name="insp_task_window_idx"),
        ]
        verbose_name = _("检查任务")
        verbose_name_plural = _("检查任务")

    def __str__(self) -> str:
        return f"{self.round.title} · {_('任务')}{self.pk}"

    @property
    def reference(self) -> str:
        return f"RW{self.pk:06d}"


class TaskAssignment(models.Model):
    """One supervisor on one task (a supervisor-task assignment): the unit of the
    attendance rate (RULES.md §1: assignments attended ÷ dispatched)."""

    task = models.ForeignKey(InspectionTask, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("任务"))
    supervisor = models.ForeignKey("supervisors.Supervisor", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("监督员"))
    status = models.CharField(_("状态"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING)
    source = models.CharField(_("来源"), max_length=8, choices=AssignmentSource.choices, default=AssignmentSource.AUTO)
    override_reason = models.CharField(_("人工指定理由"), max_length=200, blank=True)
    decline_reason = models.CharField(_("拒绝理由"), max_length=200, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(_("到达时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    no_problem = models.BooleanField(_("未发现问题"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    gate_own_q = staticmethod(lambda user: Q(supervisor__user=user, task__dispatched_at__isnull=False))

    class Meta:
        ordering = ["task", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "supervisor"], name="inspections_assignment_unique"),
            models.CheckConstraint(condition=~Q(status="declined") | ~Q(decline_reason=""), name="inspections_decline_has_reason"),
            models.CheckConstraint(condition=~Q(source="manual") | ~Q(override_reason=""), name="inspections_manual_has_reason"),
            models.CheckConstraint(
                condition=~Q(status__in=["arrived", "reported"]) | Q(arrived_at__isnull=False), name="inspections_attended_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["supervisor", "status"], name="insp_assign_sup_idx"),
            models.Index(fields=["task", "status"], name="insp_assign_task_idx"),
        ]
        verbose_name = _("任务派员")
        verbose_name_plural = _("任务派员")

    def __str__(self) -> str:
        return f"{self.task_id}:{self.supervisor_id}"

    @property
    def attended(self) -> bool:
        return self.arrived_at is not None


class Finding(models.Model):
    """A problem a supervisor saw (问题线索), with its evidence, and everything that happens
    to it afterwards. Deadlines are working days (core.calendar) from the policy version
    recorded in ``policy_version``."""

    task = models.ForeignKey(InspectionTask, on_delete=models.PROTECT, related_name="findings", verbose_name=_("任务"))
    recorded_by = models.ForeignKey("supervisors.Supervisor", on_delete=models.PROTECT, related_name="findings", verbose_name=_("记录人"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="inspection_findings", verbose_name=_("被检查单位"))
    item_code = models.CharField(_("检查项目代码"), max_length=40)
    item_name = models.CharField(_("检查项目"), max_length=100)
    description = models.TextField(_("问题描述"), blank=True)
    observed_at = models.DateTimeField(_("发现时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    staff = models.ForeignKey(
        "org.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="inspection_findings", verbose_name=_("涉及人员")
    )
    staff_hint = models.CharField(_("人员特征"), max_length=100, blank=True, help_text=_("如工牌号、工位号、体貌特征"))
    status = models.CharField(_("状态"), max_length=12, choices=FindingStatus.choices, default=FindingStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(default=0)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    fed_back_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    verify_due = models.DateField(_("核查期限"), null=True, blank=True)
    verify_late = models.BooleanField(_("核查曾逾期"), default=False)
    verdict = models.CharField(_("核查结论"), max_length=12, choices=Verdict.choices, blank=True)
    verification_text = models.TextField(_("核查说明"), blank=True)
    verified_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rectify_due = models.DateField(_("整改期限"), null=True, blank=True)
    rectify_late = models.BooleanField(_("整改曾逾期"), default=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decision_note = models.CharField(_("认定意见"), max_length=300, blank=True)
    policy_version = models.ForeignKey(
        "core.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("政策版本")
    )
    reminder_sent_for = models.DateField(null=True, blank=True)
    overdue_notified_for = models.DateField(null=True, blank=True)

    gate_own_q = staticmethod(lambda user: Q(recorded_by__user=user))

    class Meta:
        ordering = ["-observed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fed_back_at__isnull=True) | Q(verify_due__isnull=False), name="inspections_fed_back_has_due"
            ),
            models.CheckConstraint(condition=~Q(status="dismissed") | ~Q(review_note=""), name="inspections_dismissal_has_reason"),
        ]
        indexes = [
            models.Index(fields=["status", "verify_due"], name="insp_finding_verify_idx"),
            models.Index(fields=["status", "rectify_due"], name="insp_finding_rectify_idx"),
            models.Index(fields=["unit", "status"], name="insp_finding_unit_idx"),
            models.Index(fields=["task", "status"], name="insp_finding_task_idx"),
            models.Index(fields=["submitted_at"], name="insp_finding_submitted_idx"),
        ]
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索")

    def __str__(self) -> str:
        return f"{self.reference} {self.item_name}"

    @property
    def reference(self) -> str:
        return f"XS{self.pk:06d}"

    @property
    def is_verified_true(self) -> bool:
        return self.verdict in (Verdict.TRUE, Verdict.PARTLY_TRUE) and self.status != FindingStatus.UNTRUE

    def current_due(self) -> date | None:
        """The deadline of the step the unit owes now, if any."""
        if self.status == FindingStatus.FED_BACK:
            return self.verify_due
        if self.status == FindingStatus.RECTIFYING:
            return self.rectify_due
        return None

    def is_overdue(self, today: date | None = None) -> bool:
        due = self.current_due()
        return due is not None and due < (today or timezone.localdate())

    @staticmethod
    def gate_unit_q(unit: Any) -> Q:
        # a unit sees a finding only once the office has fed it back (反馈)
        return Q(unit__path__startswith=unit.path, status__in=FED_BACK_STATUSES)


class FindingEvent(models.Model):
    """The finding's history as its users see it (the audit trail is the legal record).
    ``for_unit`` marks the entries a unit may read: nothing that names a supervisor."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=40)
    label = models.CharField(_("事项"), max_length=60)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    for_unit = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["finding", "at"], name="insp_event_finding_idx")]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.action}"


class Rectification(models.Model):
    """A unit's report of what it did about a finding (限期整改), and the office's acceptance
    (验收) or rejection with a new deadline."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="rectifications")
    text = models.TextField(_("整改情况"))
    due = models.DateField(_("当时的整改期限"))
    reported_at = models.DateTimeField(_("报送时间"), default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("验收"), max_length=10, choices=RectificationDecision.choices, default=RectificationDecision.PENDING)
    decision_note = models.CharField(_("验收意见"), max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    new_due = models.DateField(_("新的整改期限"), null=True, blank=True)

    class Meta:
        ordering = ["reported_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(decision="rejected") | Q(new_due__isnull=False), name="inspections_rejection_has_new_due"),
        ]
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")

    def __str__(self) -> str:
        return f"{self.finding_id} {self.reported_at:%Y-%m-%d}"

    @property
    def on_time(self) -> bool:
        return timezone.localtime(self.reported_at).date() <= self.due

    @staticmethod
    def gate_unit_q(unit: Any) -> Q:
        return Q(finding__unit__path__startswith=unit.path)


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # the stored name is ours, never the phone's (which may say who took it, or where)
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"inspections/evidence/{timezone.now():%Y/%m}/{instance.finding_id}/{uuid.uuid4().hex}{suffix}"


class EvidenceQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        if self.filter(locked_at__isnull=False).exists():
            raise ImmutableError("submitted evidence cannot be changed")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(locked_at__isnull=False).exists():
            raise ImmutableError("submitted evidence cannot be deleted")
        return super().delete()


class Evidence(models.Model):
    """A file (photo, video, recording, document) attached to a finding: the supervisor's
    evidence, or the unit's verification or rectification material. Stored with its
    SHA-256, size, type checked against the content, capture time and uploader; locked
    (``locked_at``) when the finding, verification or rectification is submitted, and
    from then on never changed or deleted by anyone."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("问题线索"))
    stage = models.CharField(_("环节"), max_length=14, choices=EvidenceStage.choices, default=EvidenceStage.FINDING)
    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=255)
    kind = models.CharField(_("类型"), max_length=10)
    content_type = models.CharField(_("内容类型"), max_length=100)
    size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    captured_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人"))
    client_key = models.CharField(max_length=64, blank=True, help_text=_("客户端生成的编号：重试上传不会重复保存"))
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()
    gate_own_q = staticmethod(lambda user: Q(finding__recorded_by__user=user, stage=EvidenceStage.FINDING))

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["finding", "client_key"], condition=~Q(client_key=""), name="inspections_evidence_client_key"),
            models.CheckConstraint(condition=Q(size__gt=0), name="inspections_evidence_not_empty"),
        ]
        indexes = [models.Index(fields=["finding", "stage"], name="insp_evidence_finding_idx")]
        verbose_name = _("证据")
        verbose_name_plural = _("证据")

    def __str__(self) -> str:
        return f"{self.finding_id} {self.kind} {self.sha256[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and Evidence.objects.filter(pk=self.pk, locked_at__isnull=False).exists():
            raise ImmutableError("submitted evidence cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pk is not None and Evidence.objects.filter(pk=self.pk, locked_at__isnull=False).exists():
            raise ImmutableError("submitted evidence cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def kind_label(self) -> str:
        from core.uploads import KIND_LABELS

        return KIND_LABELS.get(self.kind, self.kind)

    @staticmethod
    def gate_unit_q(unit: Any) -> Q:
        return Q(finding__unit__path__startswith=unit.path, finding__status__in=FED_BACK_STATUSES)


def circular_upload_to(instance: Circular, filename: str) -> str:
    return f"inspections/circulars/{instance.issue_date:%Y}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class CircularQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        if self.filter(status=CircularStatus.PUBLISHED).exists():
            raise ImmutableError("a published circular cannot be changed")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=CircularStatus.PUBLISHED).exists():
            raise ImmutableError("a published circular cannot be deleted")
        return super().delete()


class Circular(models.Model):
    """A circular (通报) naming findings verified true, in the layout of an official
    document. The office edits the draft; publishing stores the .docx and .pdf with their
    SHA-256, and from then on the circular never changes."""

    number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    issuer = models.CharField(_("发文机关"), max_length=100)
    addressee = models.CharField(_("主送"), max_length=200)
    body = models.TextField(_("正文"))
    issue_date = models.DateField(_("成文日期"))
    copy_to = models.CharField(_("抄送"), max_length=300, blank=True)
    findings = models.ManyToManyField(Finding, related_name="circulars", verbose_name=_("通报的问题"))
    status = models.CharField(_("状态"), max_length=10, choices=CircularStatus.choices, default=CircularStatus.DRAFT)
    docx = models.FileField(upload_to=circular_upload_to, blank=True, max_length=255)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(upload_to=circular_upload_to, blank=True, max_length=255)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    objects = CircularQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=Q(status="published"), name="inspections_circular_number_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | (~Q(docx_sha256="") & ~Q(pdf_sha256="")), name="inspections_published_circular_has_files"
            ),
        ]
        indexes = [models.Index(fields=["status", "issue_date"], name="insp_circular_status_idx")]
        verbose_name = _("通报")
        verbose_name_plural = _("通报")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and Circular.objects.filter(pk=self.pk, status=CircularStatus.PUBLISHED).exists():
            raise ImmutableError("a published circular cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pk is not None and Circular.objects.filter(pk=self.pk, status=CircularStatus.PUBLISHED).exists():
            raise ImmutableError("a published circular cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == CircularStatus.PUBLISHED
