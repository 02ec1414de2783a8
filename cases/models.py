"""Cases from the public and enterprises (诉求 · 投诉 · 建议): the channels they arrive
through, each case and its dispatches to units, extensions, follow-up calls, the timeline,
attachments, the routing classifier and the monthly "three rates" ranking.

A case belongs to the unit tree through its lead unit (``unit``) and its co-handling
units; the gate scopes unit roles by both. Who the person is (name, phone, tracking
credentials) is never shown to a unit unless the person agreed to be contacted by it
(``contact_consent``) — see ``cases.selectors.identity_for``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    CaseKind,
    CaseStatus,
    EventKind,
    ExtensionStatus,
    FollowUpOutcome,
    FollowUpVia,
    ReturnReview,
    Triage,
    Verdict,
)
from core.masking import mask_phone

if TYPE_CHECKING:
    from org.models import Unit


class Channel(models.Model):
    """Where cases come in (12345热线、投诉中心、领导手机信息 …); the office edits the list."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    is_platform = models.BooleanField(_("六大平台之一"), default=False, help_text=_("作风建设考评的服务对象直接测评平台"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    gate_unit_field = None  # channels are not unit data

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("渠道")
        verbose_name_plural = _("渠道")

    def __str__(self) -> str:
        return self.name


def case_scope_q(unit: models.Model, prefix: str = "") -> Q:
    """Cases (or rows of a case, with ``prefix="case__"``) a unit may see: those it leads
    or co-handles, itself or through a unit below it."""
    path = unit.path  # type: ignore[attr-defined]
    co_cases = CaseCoUnit.objects.filter(unit__path__startswith=path).values("case_id")
    return Q(**{f"{prefix}unit__path__startswith": path}) | Q(**{f"{prefix}pk__in": co_cases})


class Case(models.Model):
    """One thing a person asked, complained about, reported or suggested (工单)."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="cases", verbose_name=_("渠道"))
    kind = models.CharField(_("类别"), max_length=12, choices=CaseKind.choices)
    is_urgent = models.BooleanField(_("紧急"), default=False)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("诉求内容"))
    concerned_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("反映的单位")
    )
    # the person (never shown to the unit without consent; see cases.selectors.identity_for)
    anonymous = models.BooleanField(_("匿名"), default=False)
    contact_name = models.CharField(_("姓名"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_consent = models.BooleanField(_("同意承办单位直接联系"), default=False)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    query_password = models.CharField(max_length=128, blank=True)  # a password hash, never the password
    # intake
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("推送系统")
    )
    external_id = models.CharField(_("来源系统编号"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("受理时间"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("受理人")
    )
    triage = models.CharField(_("分诊"), max_length=14, choices=Triage.choices, blank=True, default=Triage.PENDING)
    triage_note = models.CharField(_("分诊说明"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    # handling
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("承办单位（牵头）")
    )
    co_units: models.ManyToManyField[Unit, CaseCoUnit] = models.ManyToManyField(
        "org.Unit", through="CaseCoUnit", related_name="co_cases", blank=True, verbose_name=_("协办单位")
    )
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    deadline_from = models.DateTimeField(_("时限起算"), null=True, blank=True)  # receipt, or the reopening
    deadline_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), null=True, blank=True)
    deadline_problem = models.CharField(_("期限无法计算的原因"), max_length=300, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    policy_version = models.ForeignKey(
        "core.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("适用政策版本")
    )
    first_responsible = models.ForeignKey(
        "org.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="first_cases", verbose_name=_("首办责任人")
    )
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    handled_on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    # follow-up
    satisfaction = models.CharField(_("满意度"), max_length=24, blank=True)
    resolved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    follow_up_tries = models.PositiveSmallIntegerField(_("回访次数"), default=0)
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    close_note = models.CharField(_("结案说明"), max_length=300, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    escalated = models.BooleanField(_("提级督办"), default=False)
    # deadline monitoring (so that each warning goes out once)
    warned_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalation_prompted_at = models.DateTimeField(null=True, blank=True)
    # valid-complaint judgement
    verdict = models.CharField(_("投诉认定"), max_length=8, choices=Verdict.choices, blank=True, default=Verdict.NONE)
    verdict_reason = models.CharField(_("认定理由"), max_length=500, blank=True)
    verdict_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    verdict_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    charged_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="charged_cases", verbose_name=_("被计单位")
    )
    # duplicates
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged", verbose_name=_("并入"))
    repeat_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="repeats", verbose_name=_("重复件（回诉）于")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    gate_unit_q = staticmethod(lambda unit: case_scope_q(unit))

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "external_id"], condition=~Q(external_id=""), name="cases_case_unique_external_id"),
            models.CheckConstraint(
                condition=Q(anonymous=False) | (Q(contact_name="") & Q(contact_phone="") & Q(contact_consent=False)),
                name="cases_case_anonymous_has_no_identity",
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="cases_case_not_merged_into_itself"),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="cases_status_deadline_idx"),
            models.Index(fields=["unit", "status"], name="cases_unit_status_idx"),
            models.Index(fields=["received_at"], name="cases_received_idx"),
            models.Index(fields=["channel", "received_at"], name="cases_channel_received_idx"),
            models.Index(fields=["kind", "received_at"], name="cases_kind_received_idx"),
            models.Index(fields=["unit", "received_at"], name="cases_unit_received_idx"),
            models.Index(fields=["verdict", "verdict_at"], name="cases_verdict_idx"),
            models.Index(fields=["contact_phone", "received_at"], name="cases_phone_received_idx"),
            models.Index(fields=["concerned_unit", "received_at"], name="cases_concerned_idx"),
        ]
        verbose_name = _("诉求件")
        verbose_name_plural = _("诉求件")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """The case number people quote (工单编号)."""
        return f"XN{self.pk:08d}" if self.pk else ""

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def is_open(self) -> bool:
        return self.status in {CaseStatus.RECEIVED, CaseStatus.DISPATCHED, CaseStatus.RETURNED, CaseStatus.IN_PROGRESS}


class CaseCoUnit(models.Model):
    """A co-handling unit (协办单位) of a case: sees it and may add its part."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="co_links")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")

    gate_unit_field = "unit"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "unit"], name="cases_counit_unique")]
        indexes = [models.Index(fields=["unit", "case"], name="cases_counit_unit_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.unit_id}"


class Dispatch(models.Model):
    """One dispatch of a case to a lead unit: the sign-for, the first contact with the
    person and a possible return. Per-unit sign-for, return and response rates count
    these rows, so that a unit that returned a case still answers for it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="dispatches")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="case_dispatches", verbose_name=_("承办单位"))
    dispatched_at = models.DateTimeField(_("派单时间"))
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("派单意见"), max_length=300, blank=True)
    sign_due = models.DateTimeField(_("签收时限"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_on_time = models.BooleanField(_("按时签收"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("联系诉求人时间"), null=True, blank=True)
    responded_in_time = models.BooleanField(_("及时响应"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退单时间"), null=True, blank=True)
    return_reason = models.CharField(_("退单理由"), max_length=300, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    review = models.CharField(_("退单审核"), max_length=10, choices=ReturnReview.choices, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    gate_unit_field = "unit"

    class Meta:
        ordering = ["-dispatched_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "dispatched_at"], name="cases_dispatch_unit_idx"),
            models.Index(fields=["case", "dispatched_at"], name="cases_dispatch_case_idx"),
            models.Index(fields=["dispatched_at"], name="cases_dispatch_at_idx"),
        ]
        verbose_name = _("派单")
        verbose_name_plural = _("派单")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.unit_id} {self.dispatched_at:%Y-%m-%d}"


class Extension(models.Model):
    """A unit's request for more time (延期), asked before the deadline and decided by the office."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    reason = models.CharField(_("延期理由"), max_length=500)
    old_deadline = models.DateField(_("原期限"))
    new_deadline = models.DateField(_("延期后期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    gate_unit_q = staticmethod(lambda unit: case_scope_q(unit, "case__"))

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="pending"), name="cases_extension_one_pending"),
        ]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_status_display()}"


class FollowUp(models.Model):
    """One follow-up call (回访) or one rating the person gave on the tracking page."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    via = models.CharField(_("方式"), max_length=8, choices=FollowUpVia.choices, default=FollowUpVia.PHONE)
    outcome = models.CharField(_("结果"), max_length=12, choices=FollowUpOutcome.choices)
    satisfaction = models.CharField(_("满意度"), max_length=24, blank=True)
    resolved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    note = models.CharField(_("回访记录"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("时间"))

    gate_unit_q = staticmethod(lambda unit: case_scope_q(unit, "case__"))

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["case", "recorded_at"], name="cases_followup_case_idx")]
        verbose_name = _("回访")
        verbose_name_plural = _("回访")

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_outcome_display()}"


class CaseEvent(models.Model):
    """The case's timeline as people read it (the audit trail keeps the full record)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=500, blank=True)

    gate_unit_q = staticmethod(lambda unit: case_scope_q(unit, "case__"))

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="cases_event_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.case_id}/{instance.sha256[:16]}-{filename[-80:]}"


class Attachment(models.Model):
    """A file given with the case (by the person) or with the unit's reply."""

    STAGES = (("intake", _("诉求附件")), ("reply", _("答复附件")))

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField(max_length=8, choices=STAGES, default="intake")
    file = models.FileField(upload_to=attachment_upload_to)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    gate_unit_q = staticmethod(lambda unit: case_scope_q(unit, "case__"))

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class RoutingModel(models.Model):
    """A trained routing classifier (suggests the lead unit of a new case from the office's
    own history of dispatches). The newest row is the one in use."""

    trained_at = models.DateTimeField(_("训练时间"))
    samples = models.PositiveIntegerField(_("训练样本数"))
    units = models.PositiveIntegerField(_("单位数"))
    accuracy = models.FloatField(_("留出集准确率"), null=True, blank=True)
    top3_accuracy = models.FloatField(_("留出集前三命中率"), null=True, blank=True)
    blob = models.BinaryField()  # the fitted pipeline, pickled and compressed
    note = models.CharField(max_length=300, blank=True)

    gate_unit_field = None

    class Meta:
        ordering = ["-trained_at", "-id"]
        verbose_name = _("派单模型")
        verbose_name_plural = _("派单模型")

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} ({self.samples})"


class RankingSnapshot(models.Model):
    """The "three rates" ranking of one month, frozen with the policy version that made it."""

    month = models.DateField(_("月份"), unique=True)  # the first day of the month
    policy_version = models.ForeignKey("core.PolicyVersion", on_delete=models.PROTECT, related_name="+")
    rows = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    gate_unit_field = None

    class Meta:
        ordering = ["-month"]
        verbose_name = _("三率排名")
        verbose_name_plural = _("三率排名")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
