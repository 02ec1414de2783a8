"""What every app shares: calendar corrections, versioned policies, the audit trail,
notifications and background jobs."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableError(RuntimeError):
    """Raised when code tries to change a record that must never change."""


# --- working-day calendar ---------------------------------------------------------------
class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("休息日（法定节假日）")
    WORKDAY = "workday", _("工作日（调休上班）")


class CalendarDay(models.Model):
    """An office-entered day that differs from Monday-to-Friday: a holiday on a weekday
    or a working weekend. Overrides the calendar library for that date."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("如：春节、国庆节调休"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays and adjusted days the office has entered in full, so that the
    platform may count working days in it even where the library does not know it."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    note = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year"]
        verbose_name = _("已录入年度")
        verbose_name_plural = _("已录入年度")

    def __str__(self) -> str:
        return str(self.year)


# --- policies ---------------------------------------------------------------------------
class Policy(models.Model):
    """A line of policy documents (one city's 办法); its content lives in versions."""

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    is_current = models.BooleanField(_("当前采用"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    gate_unit_field = None  # policies are not unit data

    class Meta:
        ordering = ["-is_current", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="core_policy_one_current"),
        ]
        verbose_name = _("政策")
        verbose_name_plural = _("政策")

    def __str__(self) -> str:
        return self.name


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class PolicyVersion(models.Model):
    """One version of a policy. Published versions are never edited: a change is a new
    version with its own effective date, and results record the version that made them."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions", verbose_name=_("政策"))
    version = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    document = models.JSONField(_("参数"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["policy", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "version"], name="core_policyversion_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False),
                name="core_policyversion_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["policy", "status", "effective_from"])]
        verbose_name = _("政策版本")
        verbose_name_plural = _("政策版本")

    def __str__(self) -> str:
        return f"{self.policy.name} 第{self.version}版"

    @property
    def is_published(self) -> bool:
        return self.status == PolicyStatus.PUBLISHED


# --- audit trail ------------------------------------------------------------------------
class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError("audit records are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError("audit records are append-only")


class AuditRecord(models.Model):
    """One audited event. Append-only and hash-chained: each record's ``hash`` is an HMAC
    over its content and the previous record's hash (``manage.py audit_verify``)."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    success = models.BooleanField(_("成功"), default=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "created_at"]),
        ]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("audit records are append-only")

    def payload(self) -> bytes:
        data = {
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "detail": self.detail,
            "ip": self.ip,
            "success": self.success,
            "prev": self.prev_hash,
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()

    def compute_hash(self, key: bytes) -> str:
        return hmac.new(key, self.payload(), hashlib.sha256).hexdigest()


class AuditChainHead(models.Model):
    """The single row that serialises appends to the chain and remembers its tail."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} {self.last_hash[:12]}"


# --- notifications ----------------------------------------------------------------------
class Notification(models.Model):
    """A message in a user's in-app inbox. Outward copies are ``Delivery`` rows."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类别"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    gate_own_q = staticmethod(lambda user: Q(recipient=user))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("无法发送")


class Delivery(models.Model):
    """One outward copy of a notification (email, SMS, log), sent by a background task."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "attempts"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


class NotificationPreference(models.Model):
    """Which outward channels a user wants for one kind of message."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=60)
    channels = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="core_notificationpreference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channels}"


# --- background jobs --------------------------------------------------------------------
class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    REJECTED = "rejected", _("有错误，未导入")
    FAILED = "failed", _("失败")


def job_upload_to(instance: Job, filename: str) -> str:
    return f"jobs/{timezone.now():%Y/%m}/{instance.kind}/{filename}"


class Job(models.Model):
    """A long piece of work (import, export, report) run in the background, with progress
    shown on its page and its result file offered for download."""

    kind = models.CharField(_("类别"), max_length=60)
    title = models.CharField(_("名称"), max_length=120)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    input_file = models.FileField(upload_to=job_upload_to, blank=True)
    result_file = models.FileField(upload_to=job_upload_to, blank=True)
    result_name = models.CharField(max_length=120, blank=True)
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    gate_own_q = staticmethod(lambda user: Q(created_by=user))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.REJECTED, JobStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0
