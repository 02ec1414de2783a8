"""Pages of the core app: home, health, policies, calendar, audit trail, inbox, jobs."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import calendar, selectors, services
from core import permissions as gate
from core.forms import CalendarDayForm, CalendarYearForm, PolicyCopyForm, PolicyEditForm, PolicyPublishForm
from core.models import CalendarDay, CalendarYear, Job, PolicyStatus, PolicyVersion
from core.notify import mark_read
from core.policy_schema import SECTION_TITLES
from core.registry import home_panels
from core.viewkit import GateMixin, paginate, run_service


# --- health -----------------------------------------------------------------------------
def _database_state() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"vendor": connection.vendor, "ok": True}
    except Exception as exc:  # any failure means unhealthy
        return {"vendor": connection.vendor, "ok": False, "error": type(exc).__name__}


def _tasks_state() -> dict[str, Any]:
    mode = settings.XN_TASKS
    if mode != "celery":
        return {"backend": mode, "ok": True}
    try:
        import redis

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return {"backend": "celery", "broker": "redis", "ok": True}
    except Exception as exc:  # the broker being down degrades, it does not kill the site
        return {"backend": "celery", "broker": "redis", "ok": False, "error": type(exc).__name__}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the state of the database and the task backend; 503 if the database is
    unreachable (load balancers take the process out)."""
    db = _database_state()
    tasks = _tasks_state()
    status = "ok" if db["ok"] and tasks["ok"] else ("degraded" if db["ok"] else "down")
    return JsonResponse({"status": status, "database": db, "tasks": tasks}, status=200 if db["ok"] else 503)


# --- home -------------------------------------------------------------------------------
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    panels = []
    for panel in home_panels():
        if not gate.can(request.user, panel.perm):
            continue
        context = panel.build(request)
        if context is not None:
            panels.append({"key": panel.key, "template": panel.template, "context": context})
    return render(request, "core/home.html", {"panels": panels})


# --- policies -----------------------------------------------------------------------------
class PolicyListView(GateMixin, View):
    permission = "core.policy.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "core/policy_list.html", {"policies": selectors.policy_list(request.user)})


class PolicyVersionView(GateMixin, View):
    permission = "core.policy.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = get_object_or_404(PolicyVersion.objects.select_related("policy", "created_by", "published_by"), pk=pk)
        sections = [
            {"key": key, "title": SECTION_TITLES.get(key, key), "json": json.dumps(value, ensure_ascii=False, indent=2)}
            for key, value in version.document.items()
        ]
        return render(
            request,
            "core/policy_version.html",
            {"version": version, "sections": sections, "publish_form": PolicyPublishForm(), "copy_form": PolicyCopyForm()},
        )


class PolicyDraftCreateView(GateMixin, View):
    permission = "core.policy.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = get_object_or_404(PolicyVersion, pk=pk)
        draft = run_service(request, None, lambda: services.policy_draft_create(actor=request.user, source=source))
        if draft is None:
            return redirect("core:policy_version", pk=source.pk)
        return redirect("core:policy_edit", pk=draft.pk)


class PolicyEditView(GateMixin, View):
    permission = "core.policy.change"

    def _version(self, pk: int) -> PolicyVersion:
        version = get_object_or_404(PolicyVersion.objects.select_related("policy"), pk=pk)
        if version.status != PolicyStatus.DRAFT:
            raise PermissionDenied(_("已发布的版本不能修改；请新建版本。"))
        return version

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(pk)
        form = PolicyEditForm(initial={"note": version.note, "document": json.dumps(version.document, ensure_ascii=False, indent=2)})
        return render(request, "core/policy_edit.html", {"version": version, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(pk)
        form = PolicyEditForm(request.POST)
        if form.is_valid():
            saved = run_service(
                request,
                form,
                lambda: services.policy_draft_update(
                    actor=request.user, version=version, document=form.cleaned_data["document"], note=form.cleaned_data["note"]
                ),
                success=_("草稿已保存。"),
            )
            if saved is not None:
                return redirect("core:policy_version", pk=version.pk)
        return render(request, "core/policy_edit.html", {"version": version, "form": form}, status=400)


class PolicyPublishView(GateMixin, View):
    permission = "core.policy.publish"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = get_object_or_404(PolicyVersion, pk=pk)
        form = PolicyPublishForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                None,
                lambda: services.policy_publish(actor=request.user, version=version, effective_from=form.cleaned_data["effective_from"]),
                success=_("已发布。"),
            )
        else:
            messages.error(request, _("请填写正确的生效日期。"))
        return redirect("core:policy_version", pk=version.pk)


class PolicyCopyView(GateMixin, View):
    permission = "core.policy.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = get_object_or_404(PolicyVersion, pk=pk)
        form = PolicyCopyForm(request.POST)
        if form.is_valid():
            copy = run_service(
                request,
                None,
                lambda: services.policy_copy(
                    actor=request.user, source=source, code=form.cleaned_data["code"], name=form.cleaned_data["name"]
                ),
                success=_("已复制为新政策的草稿。"),
            )
            if copy is not None:
                return redirect("core:policy_edit", pk=copy.pk)
        else:
            for error in form.errors.values():
                messages.error(request, error.as_text())
        return redirect("core:policy_version", pk=source.pk)


class PolicyMakeCurrentView(GateMixin, View):
    permission = "core.policy.publish"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = get_object_or_404(PolicyVersion.objects.select_related("policy"), pk=pk)
        run_service(request, None, lambda: services.policy_make_current(actor=request.user, policy=version.policy), _("已采用该政策。"))
        return redirect("core:policies")


# --- calendar -----------------------------------------------------------------------------
class CalendarView(GateMixin, View):
    permission = "core.calendar.view"

    def _context(self, request: HttpRequest, year: int, **extra: Any) -> dict[str, Any]:
        days = CalendarDay.objects.filter(date__year=year)
        try:
            working = len(calendar.working_days_in(year))
            unknown = None
        except calendar.CalendarUnknownYear as exc:
            working, unknown = None, str(exc)
        return {
            "year": year,
            "days": days,
            "working_days": working,
            "unknown": unknown,
            "library_knows": calendar.library_knows(year),
            "confirmed": CalendarYear.objects.filter(year=year).first(),
            "day_form": extra.get("day_form") or CalendarDayForm(initial={"date": date(year, 1, 1)}),
            "year_form": extra.get("year_form") or CalendarYearForm(initial={"year": year}),
            "can_change": gate.can(request.user, "core.calendar.change"),
            "years": list(range(timezone.localdate().year - 1, timezone.localdate().year + 3)),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            year = int(request.GET.get("year", timezone.localdate().year))
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        return render(request, "core/calendar.html", self._context(request, year))

    def post(self, request: HttpRequest) -> HttpResponse:
        gate.check(request.user, "core.calendar.change")
        action = request.POST.get("action")
        if action == "delete":
            day = get_object_or_404(CalendarDay, pk=request.POST.get("day"))
            services.calendar_day_delete(actor=request.user, day=day)
            messages.success(request, _("已删除。"))
            return redirect(f"{request.path}?year={day.date.year}")
        if action == "confirm":
            form = CalendarYearForm(request.POST)
            if form.is_valid():
                year = form.cleaned_data["year"]
                if run_service(
                    request,
                    form,
                    lambda: services.calendar_year_confirm(actor=request.user, year=year, note=form.cleaned_data["note"]),
                    _("已确认该年度的节假日安排。"),
                ):
                    return redirect(f"{request.path}?year={year}")
                return render(request, "core/calendar.html", self._context(request, year, year_form=form), status=400)
            return render(request, "core/calendar.html", self._context(request, timezone.localdate().year, year_form=form), status=400)
        day_form = CalendarDayForm(request.POST)
        if day_form.is_valid():
            day = day_form.cleaned_data["date"]
            services.calendar_day_set(actor=request.user, day=day, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"])
            messages.success(request, _("已保存。"))
            return redirect(f"{request.path}?year={day.year}")
        return render(request, "core/calendar.html", self._context(request, timezone.localdate().year, day_form=day_form), status=400)


# --- audit trail --------------------------------------------------------------------------
class AuditListView(GateMixin, View):
    permission = "core.audit.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        def parse_date(name: str) -> date | None:
            try:
                return date.fromisoformat(request.GET.get(name, ""))
            except ValueError:
                return None

        success = {"1": True, "0": False}.get(request.GET.get("success", ""))
        qs = selectors.audit_search(
            request.user,
            q=request.GET.get("q", "").strip(),
            action=request.GET.get("action", "").strip(),
            actor=request.GET.get("actor", "").strip(),
            success=success,
            start=parse_date("start"),
            end=parse_date("end"),
        ).select_related("actor")
        return render(request, "core/audit_list.html", {**paginate(request, qs, 50), "params": request.GET})


# --- inbox --------------------------------------------------------------------------------
class NotificationListView(GateMixin, View):
    permission = "core.notification.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        unread = request.GET.get("unread") == "1"
        qs = selectors.notification_list(request.user, unread_only=unread)
        return render(request, "core/notifications.html", {**paginate(request, qs), "unread": unread})

    def post(self, request: HttpRequest) -> HttpResponse:
        ids = request.POST.getlist("id")
        count = mark_read(request.user, [int(i) for i in ids if i.isdigit()] if ids else None)
        messages.success(request, _("已标记 %(n)s 条为已读。") % {"n": count})
        return redirect("core:notifications")


class NotificationOpenView(GateMixin, View):
    """Marks one message read and follows its link."""

    permission = "core.notification.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        note = gate.get_object(request.user, self.permission, selectors.notification_list(request.user), pk=pk)
        mark_read(request.user, [note.pk])
        target = note.url if note.url.startswith("/") and not note.url.startswith("//") else "core:notifications"
        return redirect(target)


# --- jobs ---------------------------------------------------------------------------------
class JobView(GateMixin, View):
    permission = "core.job.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = selectors.job_get(request.user, pk)
        template = "core/job_status.html" if request.headers.get("HX-Request") else "core/job.html"
        return render(request, template, {"job": job})


class JobDownloadView(GateMixin, View):
    permission = "core.job.view"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        job: Job = selectors.job_get(request.user, pk)
        if not job.result_file:
            raise Http404
        return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name or "result.xlsx")


# --- errors -------------------------------------------------------------------------------
def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else _("您没有权限访问此页面。")
    return render(request, "403.html", {"message": message}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
