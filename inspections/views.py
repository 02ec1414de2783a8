"""Pages of inspections: thin views over inspections.selectors, inspections.services and
inspections.figures. What a page shows of a finding depends on the permissions the gate
gives the user on that very finding (``gate.allows``), never on a role name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views import View

from core import permissions as gate
from core.selectors import NoPolicy, policy_document
from core.viewkit import FilteredListView, GateMixin, paginate, run_service
from inspections import figures, selectors, services
from inspections.choices import EDITABLE_STATUSES, EvidenceStage, FindingStatus
from inspections.exports import figures_workbook
from inspections.filters import AssignmentFilter, CircularFilter, FindingFilter, RoundFilter, TaskFilter
from inspections.forms import (
    BatchForm,
    CircularCreateForm,
    CircularForm,
    DeadlineForm,
    DecisionForm,
    FindingForm,
    ReasonForm,
    RectifyForm,
    ReplaceForm,
    ReviewForm,
    RoundForm,
    TaskForm,
    TeamForm,
    VerifyForm,
)
from inspections.media import without_metadata
from inspections.models import Finding, InspectionRound
from org.views import FormPage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def index(request: HttpRequest) -> HttpResponse:
    """The module's entry: the office plans rounds, a supervisor sees their tasks, a unit its findings."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    for perm, target in (
        ("inspections.round.view", "inspections:rounds"),
        ("inspections.task.respond", "inspections:my_tasks"),
        ("inspections.finding.view", "inspections:findings"),
        ("inspections.circular.view", "inspections:circulars"),
    ):
        if gate.can(request.user, perm):
            return redirect(target)
    gate.check(request.user, "inspections.finding.view")
    return redirect("core:home")


# --- rounds -------------------------------------------------------------------------------
class RoundListView(FilteredListView):
    permission = "inspections.round.view"
    template_name = "inspections/round_list.html"
    filterset_class = RoundFilter
    queryset_method = selectors.round_list


def _checklist_choices() -> list[tuple[str, str]]:
    _version, document = policy_document()
    return [(item.code, item.name) for item in document.inspections.checklist]


class RoundCreateView(FormPage):
    permission = "inspections.round.change"
    form_class = RoundForm
    template_name = "inspections/round_form.html"
    title = _("新建检查轮次")

    def form_kwargs(self) -> dict[str, Any]:
        return {"checklist": _checklist_choices()}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"month": timezone.localdate().replace(day=1), "checklist": [code for code, _name in _checklist_choices()]}

    def save(self, form: Any, obj: Any) -> Any:
        data = form.cleaned_data
        return services.round_create(
            actor=self.request.user,
            kind=data["kind"],
            month=data["month"],
            scope=form.scope(),
            theme=data["theme"],
            title=data["title"],
            checklist_codes=data["checklist"],
            note_text=data["note"],
        )

    def success_url(self, result: Any) -> str:
        return reverse("inspections:round", args=[result.pk])


class RoundEditView(RoundCreateView):
    title = _("编辑检查轮次")

    def get_object(self) -> Any:
        return selectors.round_get(self.request.user, self.kwargs["pk"], "inspections.round.change")

    def form_kwargs(self) -> dict[str, Any]:
        round_ = self.get_object()
        choices = dict(_checklist_choices())
        for item in round_.checklist:
            choices.setdefault(item["code"], item["name"])
        return {"checklist": list(choices.items())}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {
            "kind": obj.kind,
            "theme": obj.theme,
            "month": obj.month,
            "title": obj.title,
            "scope_units": list(obj.scope.all()),
            "checklist": [item["code"] for item in obj.checklist],
            "note": obj.note,
        }

    def save(self, form: Any, obj: Any) -> Any:
        data = form.cleaned_data
        return services.round_update(
            actor=self.request.user,
            round_=obj,
            title=data["title"] or obj.title,
            theme=data["theme"],
            scope=form.scope(),
            checklist_codes=data["checklist"],
            note_text=data["note"],
        )


def _round_context(round_: InspectionRound, batch_form: BatchForm | None = None) -> dict[str, Any]:
    coverage = figures.round_coverage(round_)
    return {
        "round": round_,
        "batches": selectors.round_batches(round_),
        "coverage": coverage,
        "fig": coverage["figures"],
        "round_query": {"round": round_.pk},
        "batch_form": batch_form or BatchForm(),
        "scope": list(round_.scope.all()),
    }


class RoundDetailView(GateMixin, View):
    permission = "inspections.round.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = selectors.round_get(request.user, pk)
        return render(request, "inspections/round_detail.html", _round_context(round_))


class RoundCoverageView(GateMixin, View):
    permission = "inspections.round.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = selectors.round_get(request.user, pk)
        return render(request, "inspections/round_coverage.html", {"round": round_, "coverage": figures.round_coverage(round_)})


class RoundCloseView(GateMixin, View):
    permission = "inspections.round.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = selectors.round_get(request.user, pk, self.permission)
        run_service(request, None, lambda: services.round_close(actor=request.user, round_=round_), _("轮次已结束。"))
        return redirect("inspections:round", pk=round_.pk)


class BatchCreateView(GateMixin, View):
    permission = "inspections.round.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = selectors.round_get(request.user, pk, self.permission)
        form = BatchForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            batch = run_service(
                request,
                form,
                lambda: services.batch_create(
                    actor=request.user, round_=round_, start_date=data["start_date"], end_date=data["end_date"], note_text=data["note"]
                ),
                _("已增加批次。"),
            )
            if batch is not None:
                return redirect("inspections:round", pk=round_.pk)
        return render(request, "inspections/round_detail.html", _round_context(round_, form), status=400)


# --- tasks --------------------------------------------------------------------------------
class TaskCreateView(FormPage):
    permission = "inspections.task.change"
    form_class = TaskForm
    template_name = "inspections/form.html"
    title = _("新建检查任务")

    def batch(self) -> Any:
        return selectors.batch_get(self.request.user, self.kwargs["pk"], "inspections.round.change")

    def form_kwargs(self) -> dict[str, Any]:
        return {"round_": self.batch().round}

    def initial(self, obj: Any) -> dict[str, Any]:
        batch = self.batch()
        _version, document = policy_document()
        tz = timezone.get_current_timezone()
        start = datetime.combine(batch.start_date, datetime.min.time(), tz).replace(hour=8, minute=30)
        return {"window_start": start, "window_end": start.replace(hour=12), "team_size": document.inspections.min_team_size}

    def save(self, form: Any, obj: Any) -> Any:
        return services.task_create(actor=self.request.user, batch=self.batch(), **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("inspections:task", args=[result.pk])


class TaskEditView(FormPage):
    permission = "inspections.task.change"
    form_class = TaskForm
    template_name = "inspections/form.html"
    title = _("编辑检查任务")

    def get_object(self) -> Any:
        return selectors.task_get(self.request.user, self.kwargs["pk"], self.permission)

    def form_kwargs(self) -> dict[str, Any]:
        return {"round_": self.get_object().round}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {
            "units": list(obj.units.all()),
            "mode": obj.mode,
            "window_start": timezone.localtime(obj.window_start),
            "window_end": timezone.localtime(obj.window_end),
            "team_size": obj.team_size,
            "instructions": obj.instructions,
        }

    def save(self, form: Any, obj: Any) -> Any:
        return services.task_update(actor=self.request.user, task=obj, **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("inspections:task", args=[result.pk])


class TaskListView(FilteredListView):
    permission = "inspections.task.view"
    template_name = "inspections/task_list.html"
    filterset_class = TaskFilter
    queryset_method = selectors.task_list


def _task_context(request: HttpRequest, task: Any, **extra: Any) -> dict[str, Any]:
    user = request.user
    can_change = gate.allows(user, "inspections.task.change", task)
    findings = selectors.finding_list(user).filter(task=task).order_by("observed_at")
    today = timezone.localdate()
    first, last = timezone.localtime(task.window_start).date(), timezone.localtime(task.window_end).date()
    team = selectors.task_team(task)
    members = [a for a in team if a.status != "declined"]
    context = {
        "task": task,
        "team": team,
        "short": task.status != "cancelled" and len(members) < task.team_size and today <= last,
        "can_cancel": can_change and task.status != "cancelled" and task.round.is_open and not findings.exclude(status="draft").exists(),
        "before_start": today < first,
        "on_the_day": first <= today <= last,
        "over": today > last,
        "units": list(task.units.all()),
        "can_change": can_change,
        "mine": selectors.my_assignment(user, task),
        "findings": findings,
        "decline_form": extra.pop("decline_form", None) or ReasonForm(),
        "cancel_form": extra.pop("cancel_form", None) or ReasonForm(),
        "replace_form": ReplaceForm(task=task) if can_change else None,
    }
    context.update(extra)
    return context


class TaskDetailView(GateMixin, View):
    """The office's view of a task (team, draw, dispatch), or the supervisor's (answer,
    arrival, findings) — the same page, shown by what the gate allows."""

    permission = "inspections.task.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = selectors.task_get(request.user, pk)
        return render(request, "inspections/task_detail.html", _task_context(request, task))


class TaskAssignView(GateMixin, View):
    permission = "inspections.task.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = selectors.task_get(request.user, pk, self.permission)
        result = run_service(request, None, lambda: services.task_assign(actor=request.user, task=task), _("已随机抽派监督员。"))
        if result is not None:
            for text in result.notes:
                messages.warning(request, text)
        return redirect("inspections:task", pk=task.pk)


class TaskTeamView(GateMixin, View):
    permission = "inspections.task.change"

    def _render(self, request: HttpRequest, task: Any, form: TeamForm, status: int = 200) -> HttpResponse:
        return render(request, "inspections/team_form.html", {"task": task, "form": form, "units": list(task.units.all())}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = selectors.task_get(request.user, pk, self.permission)
        current = [a.supervisor for a in selectors.task_team(task) if a.status != "declined"]
        return self._render(request, task, TeamForm(task=task, initial={"supervisors": current}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = selectors.task_get(request.user, pk, self.permission)
        form = TeamForm(request.POST, task=task)
        if form.is_valid():
            done = run_service(
                request,
                form,
                lambda: services.task_team_set(
                    actor=request.user, task=task, supervisors=list(form.cleaned_data["supervisors"]), reason=form.cleaned_data["reason"]
                ),
                _("已保存任务人员。"),
            )
            if done is not None:
                return redirect("inspections:task", pk=task.pk)
        return self._render(request, task, form, status=400)


class AssignmentReplaceView(GateMixin, View):
    permission = "inspections.task.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = selectors.assignment_get(request.user, pk, self.permission)
        form = ReplaceForm(request.POST, task=assignment.task)
        if form.is_valid():
            run_service(
                request,
                None,
                lambda: services.assignment_replace(
                    actor=request.user,
                    assignment=assignment,
                    supervisor=form.cleaned_data["supervisor"],
                    reason=form.cleaned_data["reason"],
                ),
                _("已替换。"),
            )
        else:
            messages.error(request, _("请选择监督员。"))
        return redirect("inspections:task", pk=assignment.task_id)


class TaskDispatchView(GateMixin, View):
    permission = "inspections.task.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = selectors.task_get(request.user, pk, self.permission)
        run_service(request, None, lambda: services.task_dispatch(actor=request.user, task=task), _("任务已派发，监督员已收到通知。"))
        return redirect("inspections:task", pk=task.pk)


class TaskCancelView(GateMixin, View):
    permission = "inspections.task.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = selectors.task_get(request.user, pk, self.permission)
        form = ReasonForm(request.POST)
        if form.is_valid():
            done = run_service(
                request,
                form,
                lambda: services.task_cancel(actor=request.user, task=task, reason=form.cleaned_data["reason"]),
                _("任务已取消。"),
            )
            if done is not None:
                return redirect("inspections:task", pk=task.pk)
        return render(request, "inspections/task_detail.html", _task_context(request, task, cancel_form=form), status=400)


class TaskRespondView(GateMixin, View):
    """The supervisor's answers: accept, decline (with reason), arrive, no problem found."""

    permission = "inspections.task.respond"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = selectors.task_get(request.user, pk, self.permission)
        assignment = selectors.my_assignment(request.user, task)
        if assignment is None:
            raise Http404
        action = request.POST.get("action")
        user = request.user
        if action == "decline":
            form = ReasonForm(request.POST)
            if (
                not form.is_valid()
                or run_service(
                    request,
                    form,
                    lambda: services.assignment_decline(actor=user, assignment=assignment, reason=form.cleaned_data["reason"]),
                    _("已拒绝，效能办会另行安排。"),
                )
                is None
            ):
                return render(request, "inspections/task_detail.html", _task_context(request, task, decline_form=form), status=400)
            return redirect("inspections:my_tasks")
        calls = {
            "accept": (lambda: services.assignment_accept(actor=user, assignment=assignment), _("已接受任务。")),
            "arrive": (lambda: services.assignment_arrive(actor=user, assignment=assignment), _("已登记到达。")),
            "no_problem": (lambda: services.assignment_report_no_problem(actor=user, assignment=assignment), _("已报告：未发现问题。")),
        }
        if action not in calls:
            messages.error(request, _("无法识别的操作。"))
        else:
            call, success = calls[action]
            run_service(request, None, call, success)
        return redirect("inspections:task", pk=task.pk)


class MyTasksView(GateMixin, View):
    permission = "inspections.task.respond"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "inspections/my_tasks.html", selectors.my_tasks(request.user))


class AssignmentListView(FilteredListView):
    permission = "inspections.assignment.view"
    template_name = "inspections/assignment_list.html"
    filterset_class = AssignmentFilter
    queryset_method = selectors.assignment_list


# --- findings: the supervisor ----------------------------------------------------------------
class FindingStartView(GateMixin, View):
    permission = "inspections.finding.record"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = selectors.task_get(request.user, pk, "inspections.task.respond")
        finding = run_service(request, None, lambda: services.finding_start(actor=request.user, task=task))
        if finding is None:
            return redirect("inspections:task", pk=task.pk)
        return redirect("inspections:finding_edit", pk=finding.pk)


def _edit_initial(finding: Finding) -> dict[str, Any]:
    return {
        "unit": finding.unit_id,
        "item_code": finding.item_code,
        "observed_at": timezone.localtime(finding.observed_at),
        "place": finding.place,
        "staff_hint": finding.staff_hint,
        "description": finding.description,
    }


class FindingEditView(GateMixin, View):
    """Recording a finding on a phone: the text is saved with the form (and kept in the
    browser meanwhile); files go up one by one to the draft (evidence.js), or with the
    form when the browser runs no script."""

    permission = "inspections.finding.record"

    def _finding(self, request: HttpRequest, pk: int) -> Finding:
        return selectors.finding_get(request.user, pk, self.permission)

    def _render(self, request: HttpRequest, finding: Finding, form: FindingForm, status: int = 200) -> HttpResponse:
        from django.conf import settings

        context = {
            "finding": finding,
            "form": form,
            "evidence": selectors.finding_evidence(request.user, finding).filter(stage=EvidenceStage.FINDING),
            "editable": finding.status in EDITABLE_STATUSES,
            "limits": {k: settings.XN_UPLOAD_LIMITS[k] for k in services.FINDING_KINDS},
        }
        return render(request, "inspections/finding_edit.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = self._finding(request, pk)
        if finding.status not in EDITABLE_STATUSES:
            return redirect("inspections:finding", pk=finding.pk)
        return self._render(request, finding, FindingForm(initial=_edit_initial(finding), finding=finding))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = self._finding(request, pk)
        form = FindingForm(request.POST, request.FILES, finding=finding)
        if not form.is_valid():
            return self._render(request, finding, form, status=400)
        data = form.cleaned_data
        submit = request.POST.get("action") == "submit"

        def save() -> Finding:
            services.finding_update(
                actor=request.user,
                finding=finding,
                unit=data["unit"],
                item_code=data["item_code"],
                observed_at=data["observed_at"],
                description=data["description"],
                place=data["place"],
                staff_hint=data["staff_hint"],
            )
            for upload in data["files"]:  # the form's own files, when no script uploaded them
                services.evidence_add(actor=request.user, finding=finding, upload=upload)
            return services.finding_submit(actor=request.user, finding=finding) if submit else finding

        result = run_service(request, form, save, _("已提交效能办审核。") if submit else _("已保存。"))
        if result is None:
            finding.refresh_from_db()
            return self._render(request, finding, form, status=400)
        if submit:  # the browser may forget what it kept of this finding
            return redirect(f"{reverse('inspections:task', args=[finding.task_id])}?forget={finding.pk}")
        return redirect(f"{reverse('inspections:finding_edit', args=[finding.pk])}?saved=1")


def _evidence_json(evidence: Any) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "kind": evidence.kind,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "name": evidence.original_name,
        "locked": evidence.locked,
        "url": reverse("inspections:evidence", args=[evidence.pk]),
        "delete_url": reverse("inspections:evidence_delete", args=[evidence.pk]),
    }


class EvidenceUploadView(GateMixin, View):
    """One file to a draft finding (fetch/XHR from evidence.js): JSON in Chinese either way."""

    permission = "inspections.finding.record"

    def post(self, request: HttpRequest, pk: int) -> JsonResponse:
        finding = selectors.finding_get(request.user, pk, self.permission)
        upload = request.FILES.get("file")
        if upload is None:
            return JsonResponse({"error": _("没有收到文件，请重试。")}, status=400)
        captured = parse_datetime(request.POST.get("captured_at", "") or "")
        if captured is not None and timezone.is_naive(captured):
            captured = timezone.make_aware(captured)
        try:
            evidence = services.evidence_add(
                actor=request.user, finding=finding, upload=upload, client_key=request.POST.get("client_key", ""), captured_at=captured
            )
        except ValidationError as exc:
            return JsonResponse({"error": " ".join(exc.messages)}, status=400)
        return JsonResponse(_evidence_json(evidence), status=201)


class EvidenceDeleteView(GateMixin, View):
    permission = "inspections.finding.record"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = selectors.evidence_get(request.user, pk)
        gate.get_object(request.user, self.permission, Finding, pk=evidence.finding_id)
        wants_json = request.headers.get("Accept", "").startswith("application/json")
        try:
            services.evidence_delete(actor=request.user, evidence=evidence)
        except ValidationError as exc:
            if wants_json:
                return JsonResponse({"error": " ".join(exc.messages)}, status=400)
            for message in exc.messages:
                messages.error(request, message)
        else:
            if wants_json:
                return JsonResponse({"deleted": pk})
            messages.success(request, _("已删除。"))
        return redirect("inspections:finding_edit", pk=evidence.finding_id)


class EvidenceFileView(GateMixin, View):
    """The file itself, for whoever may see it; documents download, media show inline.
    Those who may not know who recorded the finding (the unit) get photos without their
    camera metadata (inspections.media)."""

    permission = "inspections.evidence.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        evidence = selectors.evidence_get(request.user, pk)
        inline = evidence.kind in ("image", "video", "audio") or evidence.content_type == "application/pdf"
        suffix = (evidence.original_name.rsplit(".", 1)[-1] if "." in evidence.original_name else "bin")[:8]
        filename = f"{evidence.finding.reference}-{evidence.pk}.{suffix}"
        response: HttpResponseBase
        clean = None if gate.allows(request.user, "inspections.finding.view_source", evidence.finding) else without_metadata(evidence)
        if clean is not None:
            response = HttpResponse(clean, content_type=evidence.content_type)
            response["Content-Disposition"] = f'inline; filename="{filename}"'
        else:
            response = FileResponse(
                evidence.file.open("rb"), as_attachment=not inline, filename=filename, content_type=evidence.content_type
            )
        response["Cache-Control"] = "private, max-age=3600"
        return response


class FindingDiscardView(GateMixin, View):
    permission = "inspections.finding.record"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = selectors.finding_get(request.user, pk, self.permission)
        task_id = finding.task_id

        def discard() -> bool:
            services.finding_discard(actor=request.user, finding=finding)
            return True

        if run_service(request, None, discard, _("草稿已删除。")):
            return redirect("inspections:task", pk=task_id)
        return redirect("inspections:finding_edit", pk=finding.pk)


# --- findings: the office, the unit ----------------------------------------------------------
class FindingListView(FilteredListView):
    permission = "inspections.finding.view"
    template_name = "inspections/finding_list.html"
    filterset_class = FindingFilter
    queryset_method = selectors.finding_list

    def extra_context(self) -> dict[str, Any]:
        user = self.request.user
        return {"show_source": gate.can(user, "inspections.finding.view_source") and gate.can(user, "inspections.round.view")}


def _finding_context(request: HttpRequest, finding: Finding, **forms: Any) -> dict[str, Any]:
    user = request.user
    status = finding.status
    allows = {
        perm: gate.allows(user, f"inspections.finding.{perm}", finding)
        for perm in ("view_source", "review", "verify", "rectify", "accept", "overturn", "record")
    }
    staff = selectors.staff_for(finding)
    evidence = list(selectors.finding_evidence(user, finding))
    context: dict[str, Any] = {
        "finding": finding,
        "show_source": allows["view_source"],
        "evidence": [e for e in evidence if e.stage == EvidenceStage.FINDING],
        "materials": [e for e in evidence if e.stage != EvidenceStage.FINDING],
        "history": selectors.finding_history(user, finding),
        "rectifications": finding.rectifications.select_related("reported_by").prefetch_related("attachments"),
        "overdue": finding.is_overdue(),
        "can_edit": allows["record"] and status in EDITABLE_STATUSES,
        "review_form": forms.get("review_form")
        or (ReviewForm(staff=staff) if allows["review"] and status == FindingStatus.SUBMITTED else None),
        "can_feed_back": allows["review"] and status == FindingStatus.CONFIRMED,
        "verify_form": forms.get("verify_form")
        or (VerifyForm(staff=staff) if allows["verify"] and status == FindingStatus.FED_BACK else None),
        "rectify_form": forms.get("rectify_form") or (RectifyForm() if allows["rectify"] and status == FindingStatus.RECTIFYING else None),
        "acceptance_form": forms.get("acceptance_form")
        or (DecisionForm() if allows["accept"] and status == FindingStatus.RECTIFIED else None),
        "untrue_form": forms.get("untrue_form") or (DecisionForm() if allows["accept"] and status == FindingStatus.DISPUTED else None),
        "deadline_form": forms.get("deadline_form")
        or (DeadlineForm() if allows["accept"] and status in (FindingStatus.FED_BACK, FindingStatus.RECTIFYING) else None),
        "overturn_form": forms.get("overturn_form")
        or (ReasonForm() if allows["overturn"] and finding.is_verified_true and status != FindingStatus.UNTRUE else None),
    }
    return context


class FindingDetailView(GateMixin, View):
    permission = "inspections.finding.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = selectors.finding_get(request.user, pk)
        return render(request, "inspections/finding_detail.html", _finding_context(request, finding))


class FindingActionView(GateMixin, View):
    """A form on the finding page that calls one service; on error the page comes back
    with the form, its messages and what was typed."""

    form_name = ""
    success = ""

    def make_form(self, request: HttpRequest, finding: Finding) -> Any:
        raise NotImplementedError

    def call(self, request: HttpRequest, finding: Finding, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = selectors.finding_get(request.user, pk, self.permission)
        form = self.make_form(request, finding)
        if form.is_valid() and run_service(request, form, lambda: self.call(request, finding, form.cleaned_data) or True, self.success):
            return redirect("inspections:finding", pk=finding.pk)
        finding.refresh_from_db()
        context = _finding_context(request, finding, **{self.form_name: form})
        return render(request, "inspections/finding_detail.html", context, status=400)


class FindingReviewView(FindingActionView):
    permission = "inspections.finding.review"
    form_name = "review_form"
    success = _("已处理。")

    def make_form(self, request: HttpRequest, finding: Finding) -> Any:
        return ReviewForm(request.POST, staff=selectors.staff_for(finding))

    def call(self, request: HttpRequest, finding: Finding, data: dict[str, Any]) -> Any:
        user, action = request.user, data["action"]
        if action == "confirm":
            return services.finding_confirm(actor=user, finding=finding, staff=data["staff"], note_text=data["note"])
        if action == "return":
            return services.finding_return(actor=user, finding=finding, reason=data["note"])
        return services.finding_dismiss(actor=user, finding=finding, reason=data["note"])


class FindingFeedbackView(GateMixin, View):
    permission = "inspections.finding.review"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = selectors.finding_get(request.user, pk, self.permission)
        run_service(request, None, lambda: services.finding_feed_back(actor=request.user, finding=finding), _("已反馈给单位。"))
        return redirect("inspections:finding", pk=finding.pk)


class FindingVerifyView(FindingActionView):
    permission = "inspections.finding.verify"
    form_name = "verify_form"
    success = _("核查结果已报送效能办。")

    def make_form(self, request: HttpRequest, finding: Finding) -> Any:
        return VerifyForm(request.POST, request.FILES, staff=selectors.staff_for(finding))

    def call(self, request: HttpRequest, finding: Finding, data: dict[str, Any]) -> Any:
        return services.finding_verify(
            actor=request.user,
            finding=finding,
            verdict=data["verdict"],
            explanation=data["explanation"],
            staff=data["staff"],
            files=data["files"],
        )


class FindingRectifyView(FindingActionView):
    permission = "inspections.finding.rectify"
    form_name = "rectify_form"
    success = _("整改情况已报送效能办。")

    def make_form(self, request: HttpRequest, finding: Finding) -> Any:
        return RectifyForm(request.POST, request.FILES)

    def call(self, request: HttpRequest, finding: Finding, data: dict[str, Any]) -> Any:
        return services.rectification_report(actor=request.user, finding=finding, text=data["text"], files=data["files"])


class FindingAcceptanceView(FindingActionView):
    permission = "inspections.finding.accept"
    form_name = "acceptance_form"
    success = _("已处理整改验收。")

    def make_form(self, request: HttpRequest, finding: Finding) -> Any:
        return DecisionForm(request.POST)

    def call(self, request: HttpRequest, finding: Finding, data: dict[str, Any]) -> Any:
        return services.rectification_decide(
            actor=request.user, finding=finding, decision=data["decision"], note=data["note"], new_due=data["new_due"]
        )


class FindingUntrueView(FindingActionView):
    permission = "inspections.finding.accept"
    form_name = "untrue_form"
    success = _("已审核。")

    def make_form(self, request: HttpRequest, finding: Finding) -> Any:
        return DecisionForm(request.POST)

    def call(self, request: HttpRequest, finding: Finding, data: dict[str, Any]) -> Any:
        return services.finding_untrue_decide(
            actor=request.user, finding=finding, decision=data["decision"], note=data["note"], new_due=data["new_due"]
        )


class FindingDeadlineView(FindingActionView):
    permission = "inspections.finding.accept"
    form_name = "deadline_form"
    success = _("已重新限期。")

    def make_form(self, request: HttpRequest, finding: Finding) -> Any:
        return DeadlineForm(request.POST)

    def call(self, request: HttpRequest, finding: Finding, data: dict[str, Any]) -> Any:
        return services.finding_deadline_set(actor=request.user, finding=finding, new_due=data["new_due"], reason=data["reason"])


class FindingOverturnView(FindingActionView):
    permission = "inspections.finding.overturn"
    form_name = "overturn_form"
    success = _("已改判为不属实。")

    def make_form(self, request: HttpRequest, finding: Finding) -> Any:
        return ReasonForm(request.POST)

    def call(self, request: HttpRequest, finding: Finding, data: dict[str, Any]) -> Any:
        return services.finding_overturn(actor=request.user, finding=finding, reason=data["reason"])


# --- circulars ------------------------------------------------------------------------------
class CircularListView(FilteredListView):
    permission = "inspections.circular.view"
    template_name = "inspections/circular_list.html"
    filterset_class = CircularFilter
    queryset_method = selectors.circular_list


class CircularCreateView(GateMixin, View):
    permission = "inspections.circular.change"

    def _render(self, request: HttpRequest, form: CircularCreateForm, status: int = 200) -> HttpResponse:
        return render(request, "inspections/circular_create.html", {"form": form}, status=status)

    def _candidates(self, request: HttpRequest) -> Any:
        qs = selectors.circular_candidates(request.user).order_by("-verified_at")
        filterset = FindingFilter(request.GET or None, queryset=qs, request=request)
        return filterset.qs if filterset.is_bound and filterset.is_valid() else qs

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, CircularCreateForm(candidates=self._candidates(request)))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CircularCreateForm(request.POST, candidates=selectors.circular_candidates(request.user))
        if form.is_valid():
            circular = run_service(
                request,
                form,
                lambda: services.circular_create(
                    actor=request.user, findings=form.cleaned_data["findings"], title=form.cleaned_data["title"]
                ),
                _("已生成通报草稿，请修改后印发。"),
            )
            if circular is not None:
                return redirect("inspections:circular", pk=circular.pk)
        return self._render(request, form, status=400)


class CircularDetailView(GateMixin, View):
    permission = "inspections.circular.view"

    def _render(self, request: HttpRequest, circular: Any, form: CircularForm | None = None, status: int = 200) -> HttpResponse:
        can_edit = not circular.is_published and gate.can(request.user, "inspections.circular.change")
        if form is None and can_edit:
            form = CircularForm(initial={f: getattr(circular, f) for f in services.CIRCULAR_FIELDS})
        findings = circular.findings.select_related("unit")
        return render(
            request,
            "inspections/circular_detail.html",
            {"circular": circular, "form": form, "can_edit": can_edit, "findings": findings},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, selectors.circular_get(request.user, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        gate.check(request.user, "inspections.circular.change")
        circular = selectors.circular_get(request.user, pk)
        form = CircularForm(request.POST)
        if form.is_valid():
            done = run_service(
                request,
                form,
                lambda: services.circular_update(actor=request.user, circular=circular, **form.cleaned_data),
                _("草稿已保存。"),
            )
            if done is not None:
                return redirect("inspections:circular", pk=circular.pk)
        return self._render(request, circular, form, status=400)


class CircularDownloadView(GateMixin, View):
    """The published files as stored; a draft is rendered afresh for review."""

    permission = "inspections.circular.view"

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
        from inspections.documents import circular_docx, circular_pdf

        if fmt not in ("docx", "pdf"):
            raise Http404
        circular = selectors.circular_get(request.user, pk)
        content_type = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        name = f"{circular.number}{'' if circular.is_published else '-草稿'}.{fmt}"
        if circular.is_published:
            stored = circular.pdf if fmt == "pdf" else circular.docx
            return FileResponse(stored.open("rb"), as_attachment=True, filename=name, content_type=content_type)
        content = circular_pdf(circular) if fmt == "pdf" else circular_docx(circular)
        response = HttpResponse(content, content_type=content_type)
        from urllib.parse import quote

        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


class CircularPublishView(GateMixin, View):
    permission = "inspections.circular.publish"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        circular = selectors.circular_get(request.user, pk)
        run_service(
            request, None, lambda: services.circular_publish(actor=request.user, circular=circular), _("通报已印发，文件已定稿存档。")
        )
        return redirect("inspections:circular", pk=circular.pk)


# --- figures --------------------------------------------------------------------------------
def _period(request: HttpRequest) -> figures.Period:
    """``?round=`` or ``?month=2025-03`` or ``?year=2025`` (this year by default)."""
    if request.GET.get("round"):
        try:
            round_ = gate.get_object(request.user, "inspections.figures.view", InspectionRound, pk=int(request.GET["round"]))
        except (ValueError, Http404):
            raise Http404 from None
        return figures.Period(round=round_)
    if request.GET.get("month"):
        try:
            month = datetime.strptime(request.GET["month"], "%Y-%m").date()  # noqa: DTZ007 (a month, not a moment)
        except ValueError:
            month = None
        if month is not None:
            return figures.Period(month=month)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return figures.Period(year=min(max(year, 2000), 2100))


def _years() -> list[int]:
    years = {d.year for d in InspectionRound.objects.dates("month", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


class FiguresView(GateMixin, View):
    """The figures of a year, a month or a round; each number links to what it counts
    (for those who may open those lists)."""

    permission = "inspections.figures.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        from urllib.parse import urlencode

        period = _period(request)
        data = figures.period_figures(period)
        user = request.user
        context = {
            "period": period,
            "overall": data["overall"],
            "by_round": [{"round": r, "fig": f, "query": {"round": r.pk}} for r, f in data["by_round"]],
            "by_month": [{"month": m, "fig": f, "query": {"month": f"{m:%Y-%m}"}} for m, f in data["by_month"]],
            "by_unit": [{"unit": u, "fig": f} for u, f in data["by_unit"]],
            "years": _years(),
            "query": period.query(),
            "export_query": urlencode(period.query()),
            "links": all(gate.can(user, f"inspections.{noun}.view") for noun in ("round", "task", "assignment", "finding")),
        }
        return render(request, "inspections/figures.html", context)


class FiguresExportView(GateMixin, View):
    permission = "inspections.figures.export"

    def get(self, request: HttpRequest) -> HttpResponse:
        from urllib.parse import quote

        period = _period(request)
        content = figures_workbook(figures.period_figures(period))
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('明查暗访统计-' + period.label + '.xlsx')}"
        return response


class SupervisorFiguresView(GateMixin, View):
    permission = "inspections.supervisor_figures.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            year = int(request.GET.get("year", timezone.localdate().year))
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        try:  # the threshold in force at the end of that year (or today, for this year)
            _version, document = policy_document(min(date(year, 12, 31), timezone.localdate()))
            min_rate = document.supervisors.min_attendance_rate * 100
        except NoPolicy:
            min_rate = None
        rows = figures.supervisor_year(year)
        context = {**paginate(request, rows, 50), "year": year, "years": _years(), "min_rate": min_rate}
        return render(request, "inspections/supervisor_figures.html", context)
