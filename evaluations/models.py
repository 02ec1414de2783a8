"""Evaluations (评议, RULES.md §3) and service ratings (好差评, RULES.md §2a).

This app owns: questionnaires and their questions (frozen once published), campaigns of
the four kinds with their targets, rater groups and invitations, responses and answers
(screened for fraud), the frozen results and awards of a campaign, the population of
handled cases and the sample drawn from it for follow-up calls, and on-the-spot service
ratings with their call-back, rectification and appeal.

Rater details (device, phone digest, network address) are stored only as far as the
fraud controls need them, and no unit role is ever granted a permission that reads them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedCharField
from core.masking import mask_phone
from evaluations.choices import (
    COUNTED_STATUSES,
    AppealStatus,
    CampaignKind,
    CampaignStatus,
    CaseSource,
    Channel,
    QuestionKind,
    QuestionnaireStatus,
    RatingStatus,
    Resolution,
    ResponseStatus,
    SampleStatus,
)


def _token() -> str:
    return secrets.token_urlsafe(18)


# --- questionnaires -----------------------------------------------------------------------
class Questionnaire(models.Model):
    """A questionnaire (测评问卷). Once published it never changes: an edit makes a new
    version (``based_on``), so every answer stays tied to the exact questions it answered."""

    title = models.CharField(_("标题"), max_length=100)
    intro = models.TextField(_("说明"), blank=True, help_text=_("答卷页顶部显示的一两句话"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=10, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("上一版本"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    gate_unit_field = None  # office data

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("测评问卷")
        verbose_name_plural = _("测评问卷")

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    @property
    def is_published(self) -> bool:
        return self.status == QuestionnaireStatus.PUBLISHED


class Question(models.Model):
    """One question of a questionnaire: five-level satisfaction (scored from the policy),
    single or multiple choice, or free text."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("题型"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SATISFACTION)
    text = models.CharField(_("题目"), max_length=200)
    options = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=True)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "position"], name="evaluations_question_position_unique")]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    @property
    def is_scored(self) -> bool:
        return self.kind == QuestionKind.SATISFACTION


# --- campaigns ----------------------------------------------------------------------------
class Campaign(models.Model):
    """An evaluation campaign (EvaluationCampaign): one kind, one period, its targets,
    questionnaire, rater groups and channels. Its results are computed from the answers,
    confirmed by the office head (then frozen) and published."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=CampaignKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("同比按年度与类别对照上一年"))
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns", verbose_name=_("问卷")
    )
    status = models.CharField(_("状态"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    weighted = models.BooleanField(_("按评议群体加权"), default=False)
    channels = models.JSONField(_("渠道"), default=list, blank=True)
    sample_per_unit = models.PositiveSmallIntegerField(_("每单位抽样件数"), default=10, help_text=_("千项办件看效能：每个单位抽取的办件数"))
    sample_seed = models.BigIntegerField(_("抽样种子"), null=True, blank=True)
    sample_start = models.DateField(_("抽样办结起始日"), null=True, blank=True)
    sample_end = models.DateField(_("抽样办结截止日"), null=True, blank=True)
    sampled_at = models.DateTimeField(_("抽样时间"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    results_policy_version = models.ForeignKey(
        "core.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("计分所依政策版本")
    )
    results_computed_at = models.DateTimeField(_("计分时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "kind", "-id"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="evaluations_campaign_period_order")]
        indexes = [models.Index(fields=["kind", "year"]), models.Index(fields=["status"])]
        verbose_name = _("评议活动")
        verbose_name_plural = _("评议活动")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def gate_unit_q(unit: object) -> Q:
        # a unit sees a campaign in which one of its own units is a target
        targets = CampaignTarget.objects.filter(unit__path__startswith=unit.path).values("campaign_id")  # type: ignore[attr-defined]
        return Q(pk__in=targets)

    @property
    def is_frozen(self) -> bool:
        return self.status in (CampaignStatus.CONFIRMED, CampaignStatus.PUBLISHED)

    @property
    def accepts_answers(self) -> bool:
        today = timezone.localdate()
        return self.status == CampaignStatus.OPEN and self.start <= today <= self.end


class RaterGroup(models.Model):
    """A group of raters in a campaign (人大代表、党代表、政协委员、监督员、企业、群众…) with
    its weight when the campaign is weighted."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="groups")
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=40)
    weight = models.FloatField(_("权重"), default=1)
    is_public = models.BooleanField(_("公开答卷归入此群体"), default=False)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="evaluations_ratergroup_code_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="evaluations_ratergroup_weight_nonnegative"),
        ]
        verbose_name = _("评议群体")
        verbose_name_plural = _("评议群体")

    def __str__(self) -> str:
        return self.name


class CampaignTarget(models.Model):
    """Something rated in a campaign: a division (its head), a window, a unit whose handled
    cases are followed up, or a department. ``token`` is the unguessable part of the
    address its QR poster opens."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="evaluation_targets", verbose_name=_("单位"))
    label = models.CharField(_("名称"), max_length=120, help_text=_("如：处室负责人姓名，或窗口名称"))
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    position = models.PositiveIntegerField(_("排序"), default=0)

    gate_unit_field = "unit"

    class Meta:
        ordering = ["campaign", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="evaluations_target_unit_unique")]
        verbose_name = _("评议对象")
        verbose_name_plural = _("评议对象")

    def __str__(self) -> str:
        return self.label


class Invitation(models.Model):
    """A personal link for an invited rater (a deputy, a CPPCC member…): it records the
    rater's group and allows one answer per target."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    group = models.ForeignKey(RaterGroup, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("评议群体"))
    name = models.CharField(_("受邀人"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluation_invitations"
    )
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    gate_unit_field = None
    gate_own_q = staticmethod(lambda user: Q(user=user, revoked_at__isnull=True))

    class Meta:
        ordering = ["campaign", "group", "name"]
        verbose_name = _("评议邀请")
        verbose_name_plural = _("评议邀请")

    def __str__(self) -> str:
        return f"{self.group.name} · {self.name}"


# --- responses ----------------------------------------------------------------------------
class Response(models.Model):
    """One rater's answers about one target (答卷). Screened when submitted: a flagged
    response is left out of every score until the office accepts it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    target = models.ForeignKey(CampaignTarget, on_delete=models.PROTECT, related_name="responses")
    group = models.ForeignKey(RaterGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="responses")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="responses")
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.VALID)
    flags = models.JSONField(_("标记"), default=list, blank=True)
    score = models.FloatField(_("得分"), null=True, blank=True)
    fully_satisfied = models.BooleanField(_("满分"), default=False)
    # fraud controls: keyed digests only, never the raw cookie or phone number
    device_key = models.CharField(max_length=64, blank=True)
    phone_key = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    duration_seconds = models.PositiveIntegerField(_("用时（秒）"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("复核意见"), max_length=200, blank=True)

    gate_unit_field = "target__unit"

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "target", "device_key"], condition=~Q(device_key=""), name="evaluations_response_one_per_device"
            ),
            models.UniqueConstraint(
                fields=["campaign", "target", "phone_key"], condition=~Q(phone_key=""), name="evaluations_response_one_per_phone"
            ),
            models.UniqueConstraint(
                fields=["invitation", "target"], condition=Q(invitation__isnull=False), name="evaluations_response_one_per_invitation"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "target", "status"]),
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["ip", "submitted_at"]),
        ]
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")

    def __str__(self) -> str:
        return f"#{self.pk} {self.target}"

    @property
    def counted(self) -> bool:
        return self.status in COUNTED_STATUSES


class Answer(models.Model):
    """The answer to one question: a five-level code and its score, choices, or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    level = models.CharField(_("等级"), max_length=30, blank=True)
    score = models.FloatField(_("得分"), null=True, blank=True)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    text = models.TextField(_("文字"), blank=True)

    class Meta:
        ordering = ["response", "question__position"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="evaluations_answer_unique")]
        verbose_name = _("答案")
        verbose_name_plural = _("答案")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.level or self.choices or self.text[:20]}"


class CampaignResult(models.Model):
    """A target's computed result in a campaign, recorded with the policy version that
    produced it. Frozen once the office head confirms the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="results")
    target = models.ForeignKey(CampaignTarget, on_delete=models.CASCADE, related_name="results")
    n = models.PositiveIntegerField(_("有效答卷"))
    mean = models.FloatField(_("得分"), null=True, blank=True)
    ci_low = models.FloatField(_("置信区间下限"), null=True, blank=True)
    ci_high = models.FloatField(_("置信区间上限"), null=True, blank=True)
    weighted = models.BooleanField(_("加权"), default=False)
    below_min_sample = models.BooleanField(_("样本不足"), default=False)
    fully_satisfied = models.PositiveIntegerField(_("满分答卷"), default=0)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    awarded = models.BooleanField(_("获评"), default=False)
    previous_mean = models.FloatField(_("上年得分"), null=True, blank=True)
    policy_version = models.ForeignKey("core.PolicyVersion", on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(default=timezone.now)

    gate_unit_field = "target__unit"

    class Meta:
        ordering = ["campaign", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "target"], name="evaluations_result_unique")]
        verbose_name = _("评议结果")
        verbose_name_plural = _("评议结果")

    def __str__(self) -> str:
        return f"{self.target} {self.mean}"

    @property
    def change(self) -> float | None:
        if self.mean is None or self.previous_mean is None:
            return None
        return self.mean - self.previous_mean


# --- handled cases (千项办件看效能) ------------------------------------------------------------
class HandledCase(models.Model):
    """A closed case of a unit (办件), the population the follow-up sample is drawn from:
    imported from a unit's .xlsx or pulled from the cases app."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="handled_cases", verbose_name=_("办理单位"))
    ref = models.CharField(_("办件编号"), max_length=40, unique=True)
    case_id = models.BigIntegerField(_("诉求系统编号"), null=True, blank=True)
    summary = models.CharField(_("事项"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = EncryptedCharField(_("联系电话"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"))
    source = models.CharField(_("来源"), max_length=8, choices=CaseSource.choices, default=CaseSource.IMPORT)
    created_at = models.DateTimeField(default=timezone.now)

    gate_unit_field = "unit"

    class Meta:
        ordering = ["unit", "-closed_at"]
        indexes = [models.Index(fields=["unit", "closed_at"])]
        verbose_name = _("办件")
        verbose_name_plural = _("办件")

    def __str__(self) -> str:
        return self.ref

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)


class SampledCase(models.Model):
    """A handled case drawn for a follow-up call in a campaign, and how the call went."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="samples")
    case = models.ForeignKey(HandledCase, on_delete=models.PROTECT, related_name="samples")
    target = models.ForeignKey(CampaignTarget, on_delete=models.PROTECT, related_name="samples")
    status = models.CharField(_("状态"), max_length=12, choices=SampleStatus.choices, default=SampleStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("拨打次数"), default=0)
    response = models.OneToOneField(Response, on_delete=models.PROTECT, null=True, blank=True, related_name="sample")
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    called_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    gate_unit_field = "target__unit"

    class Meta:
        ordering = ["campaign", "target", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "case"], name="evaluations_sample_unique")]
        indexes = [models.Index(fields=["campaign", "status"])]
        verbose_name = _("抽样办件")
        verbose_name_plural = _("抽样办件")

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.case.ref}"


# --- service ratings (好差评) ------------------------------------------------------------------
class ServiceRating(models.Model):
    """An on-the-spot rating of a window or service (一次一评), outside any campaign. A bad
    rating (差评) from a rater who left a contact is called back, verified, then fixed at
    once, fixed by a deadline in working days, or explained; the rater rates the fix. The
    unit may appeal; the office decides."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="service_ratings", verbose_name=_("窗口或服务单位"))
    service = models.CharField(_("办理事项"), max_length=100, blank=True)
    level = models.CharField(_("评价"), max_length=30)
    score = models.FloatField(_("得分"))
    is_bad = models.BooleanField(_("差评"), default=False)
    comment = models.TextField(_("意见"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = EncryptedCharField(_("联系电话"), blank=True)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices, default=Channel.QR)
    device_key = models.CharField(max_length=64, blank=True)
    phone_key = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    flags = models.JSONField(_("标记"), default=list, blank=True)
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)
    policy_version = models.ForeignKey("core.PolicyVersion", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=RatingStatus.choices, default=RatingStatus.RECORDED)
    # call-back and verification (office)
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    callback_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    callback_note = models.CharField(_("回访记录"), max_length=300, blank=True)
    due_date = models.DateField(_("整改期限"), null=True, blank=True)
    # the unit's answer
    resolution = models.CharField(_("处理方式"), max_length=16, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(_("处理情况"), blank=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    fixed_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    # the rater's rating of the fix
    fix_level = models.CharField(_("对整改的评价"), max_length=30, blank=True)
    fix_rated_at = models.DateTimeField(null=True, blank=True)
    # appeal (申诉复核)
    appeal_status = models.CharField(_("申诉"), max_length=10, choices=AppealStatus.choices, blank=True, default=AppealStatus.NONE)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)
    appealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    appeal_decision_note = models.CharField(_("复核意见"), max_length=300, blank=True)
    appeal_decided_at = models.DateTimeField(null=True, blank=True)
    appeal_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status_before_appeal = models.CharField(max_length=16, choices=RatingStatus.choices, blank=True)
    excluded = models.BooleanField(_("不计入统计"), default=False)

    gate_unit_field = "unit"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RatingStatus.FIXING) | Q(due_date__isnull=False), name="evaluations_rating_fixing_has_due"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "created_at"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["unit", "device_key", "created_at"]),
            models.Index(fields=["ip", "created_at"]),
        ]
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")

    def __str__(self) -> str:
        return f"#{self.pk} {self.unit} {self.level}"

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_phone)
