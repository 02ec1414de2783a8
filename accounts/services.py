"""Writes of the accounts app: accounts, passwords, second factors, API tokens.
Every change of state leaves an audit record."""

from __future__ import annotations

import secrets
import string
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, PasswordHistory, User
from core.audit import audit_record
from core.permissions import UNIT_ROLES, Role
from core.queries import excluding
from core.writes import require_known, update_audited
from org.validators import clean_phone_field

USER_FIELDS = ("username", "full_name", "role", "unit", "email", "phone", "staff")


def generate_password(length: int = 14) -> str:
    """A random password that satisfies the policy (all four classes)."""
    pools = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "!@#$%^&*-_+="]
    chars = [secrets.choice(pool) for pool in pools]
    everything = "".join(pools)
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _validate_user(fields: dict[str, Any], user: User | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    username = (fields.get("username") or "").strip()
    if not username:
        errors["username"] = _("请填写登录名。")
    elif excluding(User.objects.filter(username__iexact=username), user).exists():
        errors["username"] = _("登录名“%(u)s”已被使用（每人一个账号）。") % {"u": username}
    role = fields.get("role")
    if role not in Role.values:
        errors["role"] = _("请选择角色。")
    elif role in UNIT_ROLES and fields.get("unit") is None:
        errors["unit"] = _("单位联络员和单位主要负责人必须属于一个单位。")
    clean_phone_field(fields, "phone", errors, mobile_only=True)
    staff = fields.get("staff")
    if staff is not None and excluding(User.objects.filter(staff=staff), user).exists():
        errors["staff"] = _("该工作人员已有账号。")
    if errors:
        raise ValidationError(errors)
    fields["username"] = username
    return fields


def user_create(*, actor: Any, password: str | None = None, audit: bool = True, **fields: Any) -> tuple[User, str]:
    """Make an account. Returns it with its first password (generated unless given),
    which the user must change at first login."""
    require_known(fields, USER_FIELDS)
    fields = _validate_user(dict(fields), None)
    initial = password or generate_password()
    user = User(**fields)
    try:
        validate_password(initial, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    with transaction.atomic():
        user.set_password(initial)
        user.must_change_password = password is None
        try:
            user.save()
        except IntegrityError as exc:
            raise ValidationError(_("账号信息与已有账号冲突。")) from exc
        if audit:
            audit_record(action="accounts.user.create", actor=actor, obj=user, detail={"role": user.role, "unit": user.unit_id})
    return user, initial


def user_update(*, actor: Any, user: User, **fields: Any) -> User:
    require_known(fields, USER_FIELDS)
    merged = _validate_user({k: fields.get(k, getattr(user, k)) for k in USER_FIELDS}, user)
    return update_audited(actor=actor, obj=user, fields={k: merged[k] for k in fields}, action="accounts.user.update")


def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    if user.pk == getattr(actor, "pk", None) and not active:
        raise ValidationError(_("不能停用自己的账号。"))
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        if not active:
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_record(action="accounts.user.activate" if active else "accounts.user.deactivate", actor=actor, obj=user)
    return user


def user_reset_password(*, actor: Any, user: User) -> str:
    """A new temporary password, to be changed at next login."""
    temporary = generate_password()
    with transaction.atomic():
        _remember(user)
        user.set_password(temporary)
        user.must_change_password = True
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit_record(action="accounts.user.reset_password", actor=actor, obj=user)
    return temporary


def user_unlock(*, actor: Any, user: User) -> None:
    """Lift a lockout after failed logins before its 30 minutes are up."""
    from axes.utils import reset

    with transaction.atomic():
        reset(username=user.get_username())
        audit_record(action="accounts.user.unlock", actor=actor, obj=user)


def user_reset_otp(*, actor: Any, user: User) -> None:
    """Remove the user's second factor (lost phone); they enrol again at next login."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(action="accounts.user.reset_otp", actor=actor, obj=user)


def _remember(user: User) -> None:
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("pk", flat=True)[10:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """The user's own change of password (checked against the policy and history)."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("原密码不正确。")})
    if old_password == new_password:
        raise ValidationError({"new_password1": _("新密码不能与原密码相同。")})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    with transaction.atomic():
        _remember(user)
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit_record(action="accounts.password.change", actor=user, obj=user)
    return user


def password_expired(user: User, max_age_days: int) -> bool:
    if user.must_change_password:
        return True
    changed = user.password_changed_at
    return changed is None or changed < timezone.now() - timedelta(days=max_age_days)


# --- second factor ------------------------------------------------------------------------------
def otp_device_for(user: User) -> TOTPDevice:
    """The user's TOTP device, made (unconfirmed) if they have none."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


def otp_throttled(device: TOTPDevice) -> bool:
    """Wrong codes slow the next attempt down (django-otp doubles the wait each time)."""
    allowed, _info = device.verify_is_allowed()
    return not allowed


def otp_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm enrolment with a first valid code."""
    if not device.verify_token(token.strip()):
        audit_record(action="accounts.otp.confirm", actor=user, obj=user, success=False)
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        audit_record(action="accounts.otp.confirm", actor=user, obj=user)
    device.confirmed = True
    return True


# --- API tokens -------------------------------------------------------------------------------------
def token_create(*, actor: Any, user: User, name: str, scopes: list[str], expires_at: datetime) -> tuple[ApiToken, str]:
    """A new API token; the raw key is returned once and never stored."""
    from accounts.models import TOKEN_SCOPES

    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("请填写用途。")
    known = {code for code, _label in TOKEN_SCOPES}
    if not scopes or set(scopes) - known:
        errors["scopes"] = _("请至少选择一个有效的权限范围。")
    if expires_at <= timezone.now():
        errors["expires_at"] = _("过期时间必须晚于现在。")
    elif expires_at > timezone.now() + timedelta(days=366):
        errors["expires_at"] = _("令牌有效期最长一年。")
    if not user.is_active:
        errors["user"] = _("该账号已停用。")
    if errors:
        raise ValidationError(errors)
    raw, prefix, digest = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip(), prefix=prefix, digest=digest, scopes=sorted(scopes), expires_at=expires_at, created_by=actor
        )
        audit_record(action="accounts.token.create", actor=actor, obj=token, detail={"user": user.pk, "scopes": token.scopes})
    return token, raw


def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if not updated:
            raise ValidationError(_("该令牌已经吊销。"))
        token.refresh_from_db()
        audit_record(action="accounts.token.revoke", actor=actor, obj=token)
    return token
