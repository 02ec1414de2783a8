"""Pages of the accounts app: sign in and out, second factor, password, preferences,
and the account administrator's pages (accounts, API tokens)."""

from __future__ import annotations

from typing import Any, cast

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import LoginForm, OtpForm, PasswordChangeForm, PreferencesForm, TokenForm, UserForm
from accounts.models import ApiToken, User
from core import permissions as gate
from core.models import NotificationPreference
from core.viewkit import GateMixin, paginate, run_service


def me(request: HttpRequest) -> User:
    """The signed-in user (these views require one)."""
    return cast(User, request.user)


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """What a locked-out user sees (django-axes calls this)."""
    return render(request, "accounts/locked.html", status=429)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _throttle_message(device: TOTPDevice) -> str:
    if services.otp_throttled(device):
        return _("验证码错误次数过多，请稍等片刻再输入最新的验证码。")
    return ""


class OtpSetupView(LoginRequiredMixin, View):
    """Enrol a TOTP authenticator: scan the QR code, type the first code."""

    def get(self, request: HttpRequest) -> HttpResponse:
        device = services.otp_device_for(me(request))
        return self._render(request, device, OtpForm())

    def _render(self, request: HttpRequest, device: TOTPDevice, form: OtpForm, status: int = 200) -> HttpResponse:
        qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
        import base64

        secret = base64.b32encode(device.bin_key).decode()
        return render(
            request, "accounts/otp_setup.html", {"qr": qr, "secret": secret, "form": form, "confirmed": device.confirmed}, status=status
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        device = services.otp_device_for(me(request))
        form = OtpForm(request.POST)
        if form.is_valid() and services.otp_confirm(user=me(request), device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("双因素认证已启用。"))
            return redirect("core:home")
        form.add_error("token", _throttle_message(device) or _("验证码不正确或已过期，请输入手机上显示的最新6位数字。"))
        return self._render(request, device, form, status=400)


class OtpVerifyView(LoginRequiredMixin, View):
    """The second step of signing in for users with an authenticator."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not user_has_device(request.user):
            return redirect("accounts:otp_setup")
        return render(request, "accounts/otp_verify.html", {"form": OtpForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        from core.audit import audit_record

        form = OtpForm(request.POST)
        if form.is_valid():
            for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
                if device.verify_token(form.cleaned_data["token"].strip()):
                    otp_login(request, device)
                    audit_record(action="login_otp", actor=request.user, obj=me(request))
                    return redirect(request.GET.get("next") or "core:home")
        audit_record(action="login_otp", actor=request.user, obj=me(request), success=False)
        device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
        form.add_error("token", (_throttle_message(device) if device else "") or _("验证码不正确或已过期。"))
        return render(request, "accounts/otp_verify.html", {"form": form}, status=400)


class PasswordChangeView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        expired = services.password_expired(me(request), _max_age())
        return render(request, "accounts/password_change.html", {"form": PasswordChangeForm(), "expired": expired})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PasswordChangeForm(request.POST)
        if form.is_valid():
            done = run_service(
                request,
                form,
                lambda: services.password_change(
                    user=me(request), old_password=form.cleaned_data["old_password"], new_password=form.cleaned_data["new_password1"]
                ),
                success=_("密码已修改。"),
            )
            if done is not None:
                update_session_auth_hash(request, done)
                return redirect("core:home")
        return render(request, "accounts/password_change.html", {"form": form}, status=400)


def _max_age() -> int:
    from django.conf import settings

    return settings.XN_PASSWORD_MAX_AGE_DAYS


class ProfileView(GateMixin, View):
    """The user's own settings: which messages reach them by email or SMS."""

    permission = "accounts.profile.view"

    def _current(self, user: User) -> dict[str, list[str]]:
        return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channels"))

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PreferencesForm(current=self._current(me(request)))
        return render(request, "accounts/profile.html", {"form": form, "has_device": user_has_device(request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PreferencesForm(request.POST, current=self._current(me(request)))
        if form.is_valid():
            for kind, channels in form.cleaned_data.items():
                NotificationPreference.objects.update_or_create(user=request.user, kind=kind, defaults={"channels": channels})
            messages.success(request, _("已保存。"))
            return redirect("accounts:profile")
        return render(request, "accounts/profile.html", {"form": form}, status=400)


# --- account administration ----------------------------------------------------------------
class UserListView(GateMixin, View):
    permission = "accounts.user.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = gate.restrict(User.objects.select_related("unit"), request.user, self.permission)
        q = request.GET.get("q", "").strip()
        role = request.GET.get("role", "")
        if q:
            qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
        if role:
            qs = qs.filter(role=role)
        return render(request, "accounts/user_list.html", {**paginate(request, qs), "roles": gate.Role.choices, "q": q, "role": role})


class UserCreateView(GateMixin, View):
    permission = "accounts.user.change"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/user_form.html", {"form": UserForm(), "title": _("新建账号")})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UserForm(request.POST)
        if form.is_valid():
            result = run_service(request, form, lambda: services.user_create(actor=request.user, **form.cleaned_data))
            if result is not None:
                user, password = result
                return render(request, "accounts/password_shown.html", {"account": user, "password": password})
        return render(request, "accounts/user_form.html", {"form": form, "title": _("新建账号")}, status=400)


class UserDetailView(GateMixin, View):
    permission = "accounts.user.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = gate.get_object(request.user, self.permission, User.objects.select_related("unit"), pk=pk)
        form = UserForm(initial={f: getattr(account, f) for f in ("username", "full_name", "role", "unit", "email", "phone")})
        return render(
            request,
            "accounts/user_detail.html",
            {
                "account": account,
                "form": form,
                "has_device": user_has_device(account),
                "tokens": account.api_tokens.all(),
                "can_change": gate.can(request.user, "accounts.user.change"),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        gate.check(request.user, "accounts.user.change")
        account = gate.get_object(request.user, "accounts.user.change", User, pk=pk)
        action = request.POST.get("action", "save")
        if action == "save":
            form = UserForm(request.POST)
            saved = form.is_valid() and run_service(
                request, form, lambda: services.user_update(actor=request.user, user=account, **form.cleaned_data), _("已保存。")
            )
            if saved:
                return redirect("accounts:user", pk=account.pk)
            return render(
                request,
                "accounts/user_detail.html",
                {"account": account, "form": form, "tokens": account.api_tokens.all(), "can_change": True},
                status=400,
            )
        if action == "reset_password":
            password = services.user_reset_password(actor=request.user, user=account)
            return render(request, "accounts/password_shown.html", {"account": account, "password": password})
        if action in {"activate", "deactivate"}:
            run_service(
                request,
                None,
                lambda: services.user_set_active(actor=request.user, user=account, active=action == "activate"),
                _("已启用。") if action == "activate" else _("已停用，其接口令牌已吊销。"),
            )
        elif action == "unlock":
            services.user_unlock(actor=request.user, user=account)
            messages.success(request, _("已解除锁定。"))
        elif action == "reset_otp":
            services.user_reset_otp(actor=request.user, user=account)
            messages.success(request, _("已清除双因素认证，该用户下次登录时重新绑定。"))
        return redirect("accounts:user", pk=account.pk)


class TokenListView(GateMixin, View):
    permission = "accounts.token.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        tokens = gate.restrict(ApiToken.objects.select_related("user"), request.user, self.permission)
        return render(request, "accounts/token_list.html", {**paginate(request, tokens), "form": TokenForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        gate.check(request.user, "accounts.token.change")
        if request.POST.get("revoke"):
            token = gate.get_object(request.user, "accounts.token.change", ApiToken, pk=request.POST["revoke"])
            run_service(request, None, lambda: services.token_revoke(actor=request.user, token=token), _("已吊销。"))
            return redirect("accounts:tokens")
        form = TokenForm(request.POST)
        if form.is_valid():
            result = run_service(request, form, lambda: services.token_create(actor=request.user, **form.cleaned_data))
            if result is not None:
                token, raw = result
                return render(request, "accounts/token_shown.html", {"token": token, "raw": raw})
        tokens = gate.restrict(ApiToken.objects.select_related("user"), request.user, self.permission)
        return render(request, "accounts/token_list.html", {**paginate(request, tokens), "form": form}, status=400)
