"""Forms of the accounts pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TOKEN_SCOPES, User
from core.forms import DateTimeInput, StyledForm, StyledFormMixin
from core.notify import CHANNELS, kinds
from core.permissions import Role
from org.forms import UnitChoiceField
from org.models import Unit


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("登录名或密码不正确。连续失败5次，账号将被锁定30分钟。"),
        "inactive": _("该账号已停用。"),
    }


class OtpForm(StyledForm):
    token = forms.CharField(
        label=_("动态验证码"),
        max_length=8,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少8位，须同时包含大写字母、小写字母、数字和符号；不能与最近用过的密码相同。"),
    )
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


class UserForm(StyledForm):
    username = forms.CharField(label=_("登录名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=40)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    unit = UnitChoiceField(
        label=_("所属单位"), queryset=Unit.objects.filter(is_active=True), required=False, help_text=_("单位联络员、单位主要负责人必填")
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)


class TokenForm(StyledForm):
    user = forms.ModelChoiceField(label=_("所属账号"), queryset=User.objects.filter(is_active=True))
    name = forms.CharField(label=_("用途"), max_length=80, help_text=_("如：12345 平台推送工单"))
    scopes = forms.MultipleChoiceField(label=_("权限范围"), choices=TOKEN_SCOPES, widget=forms.CheckboxSelectMultiple)
    expires_at = forms.DateTimeField(label=_("过期时间"), widget=DateTimeInput(), initial=lambda: timezone.now() + timedelta(days=180))


class PreferencesForm(StyledForm):
    """One multiple choice per kind of message: which outward channels to use."""

    def __init__(self, *args: Any, current: dict[str, list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, kind in sorted(kinds().items()):
            self.fields[code] = forms.MultipleChoiceField(
                label=kind.label,
                choices=list(CHANNELS.items()),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=current.get(code, list(kind.default_channels)),
            )
