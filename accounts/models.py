"""Accounts: users with one role each, the unit they belong to, password history for the
password policy, and API tokens for machine clients (scoped, expiring, stored hashed)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.masking import mask_phone
from core.permissions import UNIT_ROLES, Role


class User(AbstractUser):
    """An account. Unit roles (liaison, unit head) must belong to a unit; their scope is
    that unit and everything below it."""

    full_name = models.CharField(_("姓名"), max_length=40, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("所属单位"))
    staff = models.OneToOneField(
        "org.Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="user", verbose_name=_("对应工作人员")
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("下次登录须改密码"), default=False)

    gate_unit_field = "unit"
    gate_own_q = staticmethod(lambda user: Q(pk=user.pk))

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in UNIT_ROLES)) | Q(unit__isnull=False),
                name="accounts_user_unit_role_has_unit",
            ),
        ]
        indexes = [models.Index(fields=["role", "is_active"]), models.Index(fields=["unit", "role"])]
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class PasswordHistory(models.Model):
    """Hashes of a user's previous passwords, so that a new one cannot repeat them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


TOKEN_SCOPES = [
    ("org:read", _("读取组织机构")),
    ("org:write", _("维护组织机构")),
    ("core:read", _("读取日历与政策")),
    ("accounts:read", _("读取账号")),
    ("supervisors:read", _("读取监督员")),
    ("supervisors:write", _("维护监督员")),
    ("inspections:read", _("读取明查暗访")),
    ("inspections:write", _("维护明查暗访")),
    ("cases:read", _("读取诉求件与统计")),
    ("cases:write", _("推送诉求件、签收、退单、答复、回访")),
    ("evaluations:read", _("读取评议与好差评")),
    ("evaluations:write", _("提交评议答卷与维护评议")),
    ("accountability:read", _("读取问责建议、决定、问责与道歉")),
    ("accountability:write", _("作出问责决定、登记问责情形、落实问责与道歉")),
]


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    """A machine client's credential. Only its SHA-256 is stored; the raw key is shown
    once, when it is made. It acts as its user, narrowed to its scopes, until it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("所属账号"))
    name = models.CharField(_("用途"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("权限范围"), default=list)
    expires_at = models.DateTimeField(_("过期时间"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    gate_unit_field = "user__unit"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        raw = "xn_" + secrets.token_urlsafe(32)
        return raw, raw[:11], token_digest(raw)

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
