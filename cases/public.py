"""The public's pages (no login, under /public/cases/): submit a case from a phone, track
it with the tracking code and query password, and rate the reply.

Against robots and guessing: a honeypot field, a signed time stamp (a form posted within
seconds of being shown, or hours later, is refused), and rate limits per network address
and per tracking code (``cases.ratelimit``). A wrong tracking code and a wrong password
get the same answer, so nobody learns which codes exist.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from cases import forms, ratelimit, selectors, services
from cases.models import Case, Channel
from core.context import client_ip
from core.uploads import check_upload
from core.viewkit import form_errors_from

# Humans need a few seconds to fill in the form; a page left open for half a day is stale.
MIN_FORM_SECONDS = 3
MAX_FORM_SECONDS = 6 * 3600
SESSION_RECEIPT = "cases.receipt"
SESSION_TRACKED = "cases.tracked"
PUBLIC_CHANNEL = "online"


def _ip(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _stamp_ok(stamp: str) -> bool:
    try:
        value = signing.TimestampSigner(salt="cases.public.submit").unsign(stamp, max_age=MAX_FORM_SECONDS)
    except signing.BadSignature:
        return False
    return timezone.now().timestamp() - int(value) >= MIN_FORM_SECONDS


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


class SubmitView(View):
    template_name = "cases/public/submit.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return _no_store(render(request, self.template_name, {"form": forms.PublicSubmitForm()}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.PublicSubmitForm(request.POST, request.FILES)
        if ratelimit.exhausted("public_submit", _ip(request)):
            form.is_valid()
            form.add_error(None, _("提交过于频繁，请稍后再试；紧急情况请拨打12345。"))
            return _no_store(render(request, self.template_name, {"form": form}, status=429))
        if form.is_valid():
            data = form.cleaned_data
            if data["website"] or not _stamp_ok(data["stamp"]):
                form.add_error(None, _("页面已过期或提交异常，请重新填写后提交。"))
            else:
                ratelimit.hit("public_submit", _ip(request))
                uploads = []
                for upload in data["attachments"]:
                    try:
                        uploads.append(services.Upload(file=upload, checked=check_upload(upload, ("image", "document"))))
                    except ValidationError as exc:
                        form.add_error("attachments", exc.messages)
                if not form.errors:
                    try:
                        case, password = services.case_create(
                            actor=None,
                            channel=Channel.objects.get(code=PUBLIC_CHANNEL),
                            kind=data["kind"],
                            content=data["content"],
                            concerned_unit=data["concerned_unit"],
                            anonymous=data["anonymous"],
                            contact_name=data["contact_name"],
                            contact_phone=data["contact_phone"],
                            contact_consent=data["contact_consent"],
                            attachments=uploads,
                        )
                    except (ValidationError, Channel.DoesNotExist) as exc:
                        if isinstance(exc, ValidationError):
                            form_errors_from(exc, form)
                        else:
                            form.add_error(None, _("网上受理渠道已关闭，请拨打12345。"))
                    else:
                        request.session[SESSION_RECEIPT] = {"code": case.tracking_code, "password": password}
                        return redirect("cases_public:receipt")
        # a fresh stamp, so that correcting a mistake does not trip the robot check
        stamp = signing.TimestampSigner(salt="cases.public.submit").sign(str(int(timezone.now().timestamp()) - MIN_FORM_SECONDS))
        posted = request.POST.copy()  # the form's data, made mutable
        posted["stamp"] = stamp
        form.data = posted
        return _no_store(render(request, self.template_name, {"form": form}, status=400))


def receipt(request: HttpRequest) -> HttpResponse:
    """The tracking code and query password, shown once after submitting."""
    data = request.session.pop(SESSION_RECEIPT, None)
    if data is None:
        return redirect("cases_public:track")
    return _no_store(render(request, "cases/public/receipt.html", data))


class TrackView(View):
    template_name = "cases/public/track.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        case_id = request.session.get(SESSION_TRACKED)
        case = Case.objects.filter(pk=case_id).select_related("unit", "merged_into").first() if case_id else None
        if case is not None and request.GET.get("code", "").upper() in ("", case.tracking_code):
            return self.show(request, case)
        return _no_store(render(request, self.template_name, {"form": forms.TrackForm(initial={"code": request.GET.get("code", "")})}))

    def show(self, request: HttpRequest, case: Case, rate_form: Any = None, status: int = 200) -> HttpResponse:
        context = {**selectors.public_view(case), "rate_form": rate_form or forms.RateForm()}
        return _no_store(render(request, "cases/public/status.html", context, status=status))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.TrackForm(request.POST)
        if not form.is_valid():
            return _no_store(render(request, self.template_name, {"form": form}, status=400))
        code = form.cleaned_data["code"].strip().upper()
        allowed_ip = ratelimit.hit("tracking", _ip(request))
        allowed_code = ratelimit.hit("tracking", f"code:{code}")
        if not (allowed_ip and allowed_code):
            form.add_error(None, _("查询过于频繁，请一小时后再试。"))
            return _no_store(render(request, self.template_name, {"form": form}, status=429))
        case = selectors.case_track(code, form.cleaned_data["password"])
        if case is None:
            form.add_error(None, _("查询码或查询密码不正确。"))
            return _no_store(render(request, self.template_name, {"form": form}, status=400))
        request.session.cycle_key()
        request.session[SESSION_TRACKED] = case.pk
        return redirect("cases_public:track")


class RateView(View):
    """The person rates the reply (counts as the follow-up)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        case_id = request.session.get(SESSION_TRACKED)
        case = Case.objects.filter(pk=case_id).first() if case_id else None
        if case is None:
            return redirect("cases_public:track")
        form = forms.RateForm(request.POST)
        if form.is_valid():
            try:
                services.case_rate(
                    case=case,
                    satisfaction=form.cleaned_data["satisfaction"],
                    resolved=form.cleaned_data["resolved"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                from django.contrib import messages

                messages.success(request, _("感谢您的评价！"))
                return redirect("cases_public:track")
        case.refresh_from_db()
        return TrackView().show(request, case, rate_form=form, status=400)


def leave(request: HttpRequest) -> HttpResponse:
    """Forget the tracked case on this device (a shared phone or a kiosk)."""
    if request.method == "POST":
        request.session.pop(SESSION_TRACKED, None)
    return redirect("cases_public:track")
