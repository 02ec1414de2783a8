"""Login security on every request (RULES.md §9): the second factor for the roles that
need it, and the password's maximum age. Until both are satisfied a signed-in user can
reach only the pages that satisfy them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from core.permissions import TWO_FACTOR_ROLES

EXEMPT_PREFIXES = (
    "/accounts/login",
    "/accounts/logout",
    "/accounts/otp/",
    "/accounts/password/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/org/board/",
    "/media/public/",
    "/public/",
)


def needs_second_factor(user: object) -> bool:
    from django_otp import user_has_device

    return (settings.XN_REQUIRE_2FA and getattr(user, "role", None) in TWO_FACTOR_ROLES) or user_has_device(user)


class AccountSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            blocked = self._blocked(request)
            if blocked is not None:
                return blocked
        return self.get_response(request)

    def _blocked(self, request: HttpRequest) -> HttpResponse | None:
        from accounts.services import password_expired

        user = request.user
        target = None
        if needs_second_factor(user) and not user.is_verified():  # type: ignore[union-attr]
            from django_otp import user_has_device

            target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
        elif password_expired(user, settings.XN_PASSWORD_MAX_AGE_DAYS):  # type: ignore[arg-type]
            target = "accounts:password_change"
        if target is None:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "请先在网页上完成双因素认证或修改过期密码。"}, status=403)
        return redirect(target)
