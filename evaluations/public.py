"""The public answering pages (no login, under /public/rate/): a campaign target's page
opened from its QR poster or link, an invited rater's personal pages, and the
on-the-spot service rating of a window. Built for a phone with a poor connection: one
short form, no script needed, answered in well under a minute.

A long-lived random cookie identifies the device (only its keyed digest is stored); the
time the page was served travels signed in the form, so the answering time cannot be
forged. Public answers are anonymous: a phone number, if given, is kept only as a digest.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.context import client_ip
from core.selectors import policy_document
from evaluations import services
from evaluations.choices import CampaignStatus, Channel
from evaluations.models import CampaignTarget, Invitation, Response
from org.models import Unit

DEVICE_COOKIE = "xn_rater"
DEVICE_COOKIE_AGE = 400 * 24 * 3600  # browsers cap cookies at about 400 days
_START_SALT = "evaluations.started"
_UNIT_SALT = "evaluations.service-rating"


def target_url(target: CampaignTarget) -> str:
    return reverse("evaluations_public:target", args=[target.token])


def public_rating_url(unit: Unit) -> str:
    """The service-rating address of a unit: its id, signed, so that it cannot be altered."""
    return reverse("evaluations_public:service", args=[signing.Signer(salt=_UNIT_SALT, sep=".").sign(str(unit.pk))])


def _device(request: HttpRequest) -> tuple[str, bool]:
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    if 20 <= len(raw) <= 64 and raw.replace("-", "").replace("_", "").isalnum():
        return raw, False
    return secrets.token_urlsafe(24), True


def _with_device(response: HttpResponse, device: str, new: bool) -> HttpResponse:
    if new:
        response.set_cookie(DEVICE_COOKIE, device, max_age=DEVICE_COOKIE_AGE, httponly=True, samesite="Lax", secure=_secure_cookies())
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


def _secure_cookies() -> bool:
    from django.conf import settings

    return bool(settings.SESSION_COOKIE_SECURE)


def _started(request: HttpRequest) -> datetime:
    """When the form was served; a missing or forged stamp counts as 'just now', so that
    such an answer is flagged as too fast rather than trusted."""
    try:
        stamp = signing.loads(request.POST.get("started", ""), salt=_START_SALT, max_age=24 * 3600)
        return datetime.fromtimestamp(float(stamp), tz=timezone.get_current_timezone())
    except (signing.BadSignature, TypeError, ValueError):
        return timezone.now()


def _stamp() -> str:
    return signing.dumps(timezone.now().timestamp(), salt=_START_SALT)


def _invalid(request: HttpRequest, message: str, status: int = 404) -> HttpResponse:
    return render(request, "evaluations/public/message.html", {"title": _("无法打开"), "message": message}, status=status)


def _answer_context(target: CampaignTarget, **extra: Any) -> dict[str, Any]:
    campaign = target.campaign
    _version, doc = policy_document()
    return {
        "campaign": campaign,
        "target": target,
        "questions": list(campaign.questionnaire.questions.all()) if campaign.questionnaire else [],
        "levels": doc.evaluations.levels,
        "started": _stamp(),
        "errors": {},
        "values": {},
        **extra,
    }


def _closed_message(campaign: Any) -> str | None:
    if campaign.accepts_answers:
        return None
    if campaign.status == CampaignStatus.OPEN and timezone.localdate() < campaign.start:
        return _("该评议活动尚未开始（%(start)s 开始），欢迎届时参与。") % {"start": campaign.start}
    return _("该评议活动已结束，不再接受答卷。感谢您的关注！")


def _answer(
    request: HttpRequest, target: CampaignTarget, *, channel: str, invitation: Invitation | None, action: str, back: str = ""
) -> HttpResponse:
    device, new = _device(request)
    closed = _closed_message(target.campaign)
    if closed:
        return _with_device(
            render(request, "evaluations/public/message.html", {"title": _("活动已结束"), "message": closed}, status=410), device, new
        )
    template = "evaluations/public/answer.html"
    if request.method == "GET":
        if invitation is not None:
            answered = Response.objects.filter(invitation=invitation, target=target).exists()
        else:
            answered = not new and Response.objects.filter(target=target, device_key=services.device_digest(device)).exists()
        if answered:
            return _with_device(
                render(
                    request, "evaluations/public/already.html", {"target": target, "message": services.duplicate_message(), "back": back}
                ),
                device,
                new,
            )
        return _with_device(render(request, template, _answer_context(target, action=action, invitation=invitation)), device, new)
    questions = list(target.campaign.questionnaire.questions.all()) if target.campaign.questionnaire else []
    answers = {q.pk: request.POST.getlist(f"q{q.pk}") for q in questions}
    try:
        services.response_submit(
            campaign=target.campaign,
            target=target,
            answers=answers,
            channel=channel,
            invitation=invitation,
            device=device if invitation is None else "",
            phone=request.POST.get("phone", ""),
            ip=client_ip(request),
            started_at=_started(request),
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "duplicate" or (not hasattr(exc, "error_dict") and exc.messages == [services.duplicate_message()]):
            page = render(
                request,
                "evaluations/public/already.html",
                {"target": target, "message": services.duplicate_message(), "back": back},
                status=409,
            )
            return _with_device(page, device, new)
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        context = _answer_context(target, action=action, invitation=invitation, errors=errors, values=request.POST)
        return _with_device(render(request, template, context, status=400), device, new)
    thanks = reverse("evaluations_public:thanks")
    if back:
        thanks += f"?back={back}"
    return _with_device(redirect(thanks), device, new)


@never_cache
@require_http_methods(["GET", "POST"])
def target_page(request: HttpRequest, token: str) -> HttpResponse:
    """The page a target's QR poster or link opens."""
    target = CampaignTarget.objects.select_related("campaign__questionnaire", "unit").filter(token=token).first()
    if target is None:
        return _invalid(request, _("二维码或链接无效：没有找到该评议对象。请核对后重新扫码。"))
    channel = Channel.LINK if request.GET.get("via") == "link" else Channel.QR
    return _answer(request, target, channel=channel, invitation=None, action=request.get_full_path())


@never_cache
@require_http_methods(["GET"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """An invited rater's list of targets to rate, with what they already answered."""
    invitation = Invitation.objects.select_related("campaign", "group").filter(token=token, revoked_at__isnull=True).first()
    if invitation is None:
        return _invalid(request, _("邀请链接无效或已作废，请联系效能办。"))
    answered = set(Response.objects.filter(invitation=invitation).values_list("target_id", flat=True))
    targets = [(t, t.pk in answered) for t in invitation.campaign.targets.all()]
    context = {"invitation": invitation, "targets": targets, "closed": _closed_message(invitation.campaign), "done": len(answered)}
    response = render(request, "evaluations/public/invitation.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_target_page(request: HttpRequest, token: str, target_id: int) -> HttpResponse:
    invitation = Invitation.objects.select_related("campaign", "group").filter(token=token, revoked_at__isnull=True).first()
    if invitation is None:
        return _invalid(request, _("邀请链接无效或已作废，请联系效能办。"))
    target = (
        CampaignTarget.objects.select_related("campaign__questionnaire", "unit").filter(pk=target_id, campaign=invitation.campaign).first()
    )
    if target is None:
        return _invalid(request, _("评议对象不存在，请从邀请页面重新进入。"))
    back = reverse("evaluations_public:invitation", args=[token])
    return _answer(request, target, channel=Channel.LINK, invitation=invitation, action=request.path, back=back)


@never_cache
@require_http_methods(["GET"])
def thanks(request: HttpRequest) -> HttpResponse:
    back = request.GET.get("back", "")
    if not back.startswith("/public/rate/") or back.startswith("//"):
        back = ""
    return render(request, "evaluations/public/thanks.html", {"back": back})


@never_cache
@require_http_methods(["GET", "POST"])
def service_page(request: HttpRequest, signed: str) -> HttpResponse:
    """On-the-spot rating of a window or service (好差评, 一次一评)."""
    try:
        unit_id = int(signing.Signer(salt=_UNIT_SALT, sep=".").unsign(signed))
    except (signing.BadSignature, ValueError):
        return _invalid(request, _("二维码无效：请扫描窗口张贴的评价二维码。"))
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not unit.is_active:
        return _invalid(request, _("该窗口已停用，暂不接受评价。"))
    device, new = _device(request)
    levels = policy_document()[1].ratings.levels
    context: dict[str, Any] = {"unit": unit, "levels": levels, "errors": {}, "values": {}}
    if request.method == "POST":
        try:
            rating = services.rating_submit(
                unit=unit,
                level=request.POST.get("level", ""),
                comment=request.POST.get("comment", ""),
                service=request.POST.get("service", ""),
                contact_name=request.POST.get("contact_name", ""),
                contact_phone=request.POST.get("contact_phone", ""),
                device=device,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            context.update(errors=exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}, values=request.POST)
            return _with_device(render(request, "evaluations/public/service.html", context, status=400), device, new)
        page = render(request, "evaluations/public/thanks.html", {"rating": rating, "back": request.path})
        return _with_device(page, device, new)
    return _with_device(render(request, "evaluations/public/service.html", context), device, new)
