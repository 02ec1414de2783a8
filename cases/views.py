"""Pages of the cases module for the office, the units and city leaders: thin views over
``cases.selectors`` and ``cases.services``. The public pages are in ``cases.public``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from cases import figures as figures_module
from cases import forms, routing, selectors, services
from cases.choices import CaseStatus, ExtensionStatus, FollowUpOutcome
from cases.filters import CaseFilter
from cases.models import Attachment, Case, Channel, Extension
from core import permissions as gate
from core.jobs import job_start
from core.uploads import check_upload
from core.viewkit import FilteredListView, GateMixin, form_errors_from, paginate, run_service
from org.views import FormPage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _checked_uploads(files: list[Any], form: Any, field: str = "attachments") -> list[services.Upload] | None:
    """Check every uploaded file (type against content, size); None and the message on the
    form if any is refused."""
    uploads = []
    for upload in files:
        try:
            uploads.append(services.Upload(file=upload, checked=check_upload(upload, ("image", "document"))))
        except ValidationError as exc:
            form.add_error(field, exc.messages)
            return None
    return uploads


# --- lists ------------------------------------------------------------------------------------
class CaseListView(FilteredListView):
    permission = "cases.case.view"
    template_name = "cases/case_list.html"
    filterset_class = CaseFilter
    queryset_method = selectors.case_list

    def extra_context(self) -> dict[str, Any]:
        return {"today": timezone.localdate()}


class FollowUpQueueView(GateMixin, View):
    permission = "cases.followup.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        context = paginate(request, selectors.follow_up_queue(request.user))
        return render(request, "cases/follow_up_queue.html", context)


# --- intake -----------------------------------------------------------------------------------
class CaseCreateView(GateMixin, View):
    """The office enters a case taken by phone or letter."""

    permission = "cases.case.create"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.IntakeForm(user=request.user, initial={"channel": Channel.objects.filter(code="hotline_12345").first()})
        return render(request, "cases/case_form.html", {"form": form, "title": _("登记诉求件")})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.IntakeForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            uploads = _checked_uploads(data.pop("attachments"), form)
            if uploads is not None:
                result = run_service(request, form, lambda: services.case_create(actor=request.user, attachments=uploads, **data))
                if result is not None:
                    case, password = result
                    messages.success(
                        request,
                        _("已受理 %(n)s。请告知诉求人：查询码 %(c)s，查询密码 %(p)s（密码只显示这一次）。")
                        % {"n": case.number, "c": case.tracking_code, "p": password},
                    )
                    return redirect("cases:case", pk=case.pk)
        return render(request, "cases/case_form.html", {"form": form, "title": _("登记诉求件")}, status=400)


# --- the case page and its actions ----------------------------------------------------------------
def _action_forms(request: HttpRequest, case: Case, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """The forms of the actions this user may take on the case in its present state."""
    user = request.user
    bound = bound or {}
    out: dict[str, Any] = {}

    def offer(name: str, perm: str, when: bool, make: Any) -> None:
        if when and gate.can(user, perm):
            out[name] = bound.get(name) or make()

    status = case.status
    lead = (
        gate.allows(user, "cases.case.reply", case)
        and case.unit is not None
        and (
            gate.scope_of(user, "cases.case.reply") is gate.ALL
            or (user.is_authenticated and user.unit is not None and case.unit.path.startswith(user.unit.path))
        )
    )
    offer("triage", "cases.case.triage", status == CaseStatus.RECEIVED, forms.TriageForm)
    offer("dispatch", "cases.case.dispatch", status == CaseStatus.RECEIVED, lambda: forms.DispatchForm(user=user))
    offer("review_return", "cases.case.review_return", status == CaseStatus.RETURNED, forms.DecisionForm)
    if lead:
        offer("sign", "cases.case.sign", status == CaseStatus.DISPATCHED, lambda: forms.SignForm(case=case))
        offer("return", "cases.case.return", status in (CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS), forms.ReasonForm)
        offer(
            "extension_request",
            "cases.extension.request",
            status in (CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS)
            and not case.extended
            and case.deadline is not None
            and not case.extensions.filter(status=ExtensionStatus.PENDING).exists(),
            forms.ReasonForm,
        )
        offer("reply", "cases.case.reply", status == CaseStatus.IN_PROGRESS, forms.ReplyForm)
        offer(
            "contact",
            "cases.case.sign",
            status == CaseStatus.IN_PROGRESS and case.contact_consent and bool(case.contact_phone),
            lambda: True,
        )
    offer("extension_decide", "cases.extension.decide", case.extensions.filter(status=ExtensionStatus.PENDING).exists(), forms.DecisionForm)
    offer("check_reply", "cases.case.check_reply", status == CaseStatus.REPLIED, forms.DecisionForm)
    offer("follow_up", "cases.followup.record", status == CaseStatus.FOLLOW_UP and not case.satisfaction, forms.FollowUpForm)
    offer("reopen", "cases.case.reopen", status == CaseStatus.FOLLOW_UP and bool(case.satisfaction), forms.ReasonForm)
    offer("close", "cases.case.close", status == CaseStatus.FOLLOW_UP, forms.ReasonForm)
    judgeable = case.kind in ("complaint", "report") and status in (CaseStatus.REPLIED, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED)
    offer("judge", "cases.complaint.judge", judgeable and not case.verdict, lambda: forms.JudgeForm(case=case))
    offer("withdraw", "cases.complaint.withdraw", bool(case.verdict), forms.ReasonForm)
    return out


def render_case(request: HttpRequest, case: Case, bound: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    actions = _action_forms(request, case, bound)
    # a refused action whose form this user is not offered: show its messages at the top
    stray = [m for name, form in (bound or {}).items() if name not in actions and form is not None for m in form.errors.get("__all__", [])]
    stray += [
        m
        for name, form in (bound or {}).items()
        if name not in actions and form is not None
        for f, ms in form.errors.items()
        if f != "__all__"
        for m in ms
    ]
    context: dict[str, Any] = {"case": case, **selectors.case_detail(user, case), "actions": actions, "action_errors": stray}
    if case.status == CaseStatus.RECEIVED and gate.can(user, "cases.case.dispatch"):
        context["suggestion"] = routing.routing_suggest(case.title, case.content)
    if gate.can(user, "cases.case.merge") and case.status not in (CaseStatus.MERGED,):
        context["duplicates"] = selectors.possible_duplicates(case)
    return render(request, "cases/case_detail.html", context, status=status)


class CaseDetailView(GateMixin, View):
    permission = "cases.case.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_case(request, selectors.case_get(request.user, pk))


class CaseActionView(GateMixin, View):
    """POST one action of the case page. On a refusal the page is shown again with the
    message beside the form and what was typed kept; nothing is saved."""

    action = ""
    form_class: Any = None
    success = ""
    flash_errors = False  # actions without a form of their own on the page

    def make_form(self, request: HttpRequest, case: Case) -> Any:
        return self.form_class(request.POST, request.FILES) if self.form_class else None

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = selectors.case_get(request.user, pk, self.permission)
        form = self.make_form(request, case)
        if form is None or form.is_valid():
            data = dict(form.cleaned_data) if form is not None else {}
            try:
                self.perform(request, case, data, form)
            except ValidationError as exc:
                if form is None or self.flash_errors:
                    for message in exc.messages:
                        messages.error(request, message)
                    return redirect("cases:case", pk=case.pk)
                form_errors_from(exc, form)
            else:
                if form is None or not form.errors:
                    messages.success(request, self.success or _("已办理。"))
                    return redirect("cases:case", pk=case.pk)
        case.refresh_from_db()
        return render_case(request, case, {self.action: form}, status=400)


def _yes(data: dict[str, Any]) -> bool:
    return data.get("decision") == "yes"


class TriageView(CaseActionView):
    permission, action, form_class, success = "cases.case.triage", "triage", forms.TriageForm, _("已分诊。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.case_triage(actor=request.user, case=case, triage=data["triage"], note=data["note"])


class DispatchView(CaseActionView):
    permission, action, success = "cases.case.dispatch", "dispatch", _("已派单。")

    def make_form(self, request: HttpRequest, case: Case) -> Any:
        return forms.DispatchForm(request.POST, user=request.user)

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.case_dispatch(actor=request.user, case=case, unit=data["unit"], co_units=data["co_units"], note=data["note"])


class MergeView(CaseActionView):
    permission, action, form_class, success = "cases.case.merge", "merge", forms.MergeForm, _("已并单。")
    flash_errors = True

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        into = selectors.case_get(request.user, data["into"], self.permission)
        return services.case_merge(actor=request.user, case=case, into=into, note=data["note"])


class SignView(CaseActionView):
    permission, action, success = "cases.case.sign", "sign", _("已签收，请在办理期限内答复。")

    def make_form(self, request: HttpRequest, case: Case) -> Any:
        return forms.SignForm(request.POST, case=case)

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.case_sign(actor=request.user, case=case, first_responsible=data["first_responsible"])


class ContactView(CaseActionView):
    permission, action, success = "cases.case.sign", "contact", _("已登记联系诉求人。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.case_contact_record(actor=request.user, case=case)


class ReturnView(CaseActionView):
    permission, action, form_class, success = "cases.case.return", "return", forms.ReasonForm, _("已退单，等待效能办审核。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.case_return(actor=request.user, case=case, reason=data["reason"])


class ReviewReturnView(CaseActionView):
    permission, action, form_class, success = "cases.case.review_return", "review_return", forms.DecisionForm, _("已审核退单。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.case_return_review(actor=request.user, case=case, accept=_yes(data), note=data["note"])


class ExtensionRequestView(CaseActionView):
    permission, action, form_class, success = "cases.extension.request", "extension_request", forms.ReasonForm, _("已申请延期。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.extension_request(actor=request.user, case=case, reason=data["reason"])


class ExtensionDecideView(CaseActionView):
    permission, action, form_class, success = "cases.extension.decide", "extension_decide", forms.DecisionForm, _("已审批延期申请。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        extension = Extension.objects.filter(case=case, status=ExtensionStatus.PENDING).first()
        if extension is None:
            raise ValidationError(_("没有待审批的延期申请。"))
        return services.extension_decide(actor=request.user, extension=extension, grant=_yes(data), note=data["note"])


class ReplyView(CaseActionView):
    permission, action, form_class, success = "cases.case.reply", "reply", forms.ReplyForm, _("已答复，等待效能办审核。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        uploads = _checked_uploads(data.get("attachments") or [], form)
        if uploads is None:
            return None
        return services.case_reply(actor=request.user, case=case, text=data["reply"], attachments=uploads)


class CheckReplyView(CaseActionView):
    permission, action, form_class, success = "cases.case.check_reply", "check_reply", forms.DecisionForm, _("已审核答复。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.case_reply_check(actor=request.user, case=case, approve=_yes(data), note=data["note"])


class FollowUpView(CaseActionView):
    permission, action, form_class, success = "cases.followup.record", "follow_up", forms.FollowUpForm, _("已记录回访。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        answered = data["outcome"] == FollowUpOutcome.ANSWERED
        return services.case_follow_up(
            actor=request.user,
            case=case,
            outcome=data["outcome"],
            satisfaction=data["satisfaction"] if answered else "",
            resolved=data["resolved"] if answered else None,
            note=data["note"],
        )


class ReopenView(CaseActionView):
    permission, action, form_class, success = "cases.case.reopen", "reopen", forms.ReasonForm, _("已重办，已通知承办单位。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.case_reopen(actor=request.user, case=case, reason=data["reason"])


class CloseView(CaseActionView):
    permission, action, form_class, success = "cases.case.close", "close", forms.ReasonForm, _("已结案。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.case_close(actor=request.user, case=case, reason=data["reason"])


class JudgeView(CaseActionView):
    permission, action, success = "cases.complaint.judge", "judge", _("已认定。")

    def make_form(self, request: HttpRequest, case: Case) -> Any:
        return forms.JudgeForm(request.POST, case=case)

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.complaint_judge(
            actor=request.user,
            case=case,
            valid=data["verdict"] == "valid",
            reason=data["reason"],
            first_responsible=data["first_responsible"],
        )


class WithdrawVerdictView(CaseActionView):
    permission, action, form_class, success = "cases.complaint.withdraw", "withdraw", forms.ReasonForm, _("已撤销认定。")

    def perform(self, request: HttpRequest, case: Case, data: dict[str, Any], form: Any) -> Any:
        return services.complaint_verdict_withdraw(actor=request.user, case=case, reason=data["reason"])


class RevealPhoneView(GateMixin, View):
    """The full phone number (htmx fragment); every unmasking is audited."""

    permission = "cases.identity.reveal"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = selectors.case_get(request.user, pk, self.permission)
        try:
            phone = services.case_phone_reveal(actor=request.user, case=case)
        except ValidationError as exc:
            return HttpResponse(exc.messages[0], status=403)
        return render(request, "cases/phone_revealed.html", {"phone": phone})


class AttachmentView(GateMixin, View):
    """An attachment, to those who may see its case (never a public URL)."""

    permission = "cases.case.view"

    def get(self, request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
        case = selectors.case_get(request.user, pk)
        attachment = Attachment.objects.filter(case=case, pk=attachment_pk).first()
        if attachment is None:
            raise Http404
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# --- figures ------------------------------------------------------------------------------------
def _figures_params(request: HttpRequest) -> dict[str, Any]:
    form = forms.FiguresForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {
        "form": form,
        "dimension": data.get("dimension") or "unit",
        "year": data.get("year") or timezone.localdate().year,
        "month": data.get("month"),
        "channel": data.get("channel"),
        "kind": data.get("kind") or None,
    }


def _figure_rows(result: figures_module.Figures, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Each row of the figures with the links to its cases."""
    from urllib.parse import urlencode

    base: dict[str, Any] = {"year": result.year}
    if result.month:
        base["month"] = result.month
    if params.get("channel"):
        base["channel"] = params["channel"].pk
    if params.get("kind"):
        base["kind"] = params["kind"]
    list_url = reverse("cases:list")
    rows = []
    for row in [*result.rows, result.total]:
        total = row is result.total
        own = dict(base)
        dispatch = dict(base)
        key = row.key
        if not total:
            if result.dimension == "unit":
                own["lead_unit"] = key or 0
                if key:
                    dispatch["dispatch_unit"] = key
            elif result.dimension == "channel":
                own["channel"] = dispatch["channel"] = key
            elif result.dimension == "kind":
                own["kind"] = dispatch["kind"] = key
            elif result.dimension == "month":
                own["month"] = dispatch["month"] = key.month
        rows.append(
            {
                **{name: getattr(row, name) for name in ("label", "received", "dispatched", "completed", "followed")},
                **{
                    name: getattr(row, name)
                    for name in (
                        "completion_rate",
                        "on_time_rate",
                        "satisfaction_rate",
                        "reopened_rate",
                        "signed_on_time_rate",
                        "returned_rate",
                    )
                },
                "total": total,
                "key_str": "total" if total else str(key),
                "link": f"{list_url}?{urlencode(own)}",
                "link_dispatch": f"{list_url}?{urlencode(dispatch)}",
                "level_cells": [{"code": lv.code, "label": lv.label, "count": row.levels.get(lv.code, 0)} for lv in result.levels],
            }
        )
    return rows


class FiguresView(GateMixin, View):
    permission = "cases.figures.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        params = _figures_params(request)
        form = params.pop("form")
        result = figures_module.case_figures(request.user, **params)
        context = {
            "form": form,
            "figures": result,
            "rows": _figure_rows(result, params),
            "dimension_label": figures_module.DIMENSIONS[result.dimension],
        }
        return render(request, "cases/figures.html", context)


class FiguresExportView(GateMixin, View):
    permission = "cases.figures.export"

    def get(self, request: HttpRequest) -> HttpResponse:
        params = _figures_params(request)
        params.pop("form")
        result = figures_module.case_figures(request.user, **params)
        period = f"{result.year}" + (f"-{result.month:02d}" if result.month else "")
        return _xlsx_response(figures_module.figures_workbook(result), f"诉求统计-{period}.xlsx")


def _month(request: HttpRequest) -> date:
    """The month asked for; by default the last finished month (rankings are published
    once a month is over)."""
    form = forms.MonthForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("month"):
        return form.cleaned_data["month"].replace(day=1)
    return figures_module.first_of_month(timezone.localdate().replace(day=1) - timedelta(days=1))


class RankingView(GateMixin, View):
    permission = "cases.ranking.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        month = _month(request)
        ranking = figures_module.ranking_for(month)
        _version, document = figures_module.policy_document()
        context = {
            "ranking": ranking,
            "form": forms.MonthForm(initial={"month": month}),
            "weights": document.cases.three_rates_weights,
            "red": [r for r in ranking["rows"] if r.list == "red"],
            "black": [r for r in ranking["rows"] if r.list == "black"],
            "this_month": timezone.localdate().replace(day=1),
        }
        return render(request, "cases/ranking.html", context)


class RankingExportView(GateMixin, View):
    permission = "cases.ranking.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        month = _month(request)
        return _xlsx_response(figures_module.ranking_workbook(figures_module.ranking_for(month)), f"三率排名-{month:%Y-%m}.xlsx")


# --- channels ------------------------------------------------------------------------------------
class ChannelListView(GateMixin, View):
    permission = "cases.channel.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "cases/channel_list.html", {"channels": selectors.channel_list(request.user)})


class ChannelEditView(FormPage):
    permission = "cases.channel.change"
    form_class = forms.ChannelForm
    title = _("渠道")

    def get_object(self) -> Any:
        pk = self.kwargs.get("pk")
        return gate.get_object(self.request.user, self.permission, Channel, pk=pk) if pk else None

    def initial(self, obj: Any) -> dict[str, Any]:
        fields = ("code", "name", "is_platform", "sort_order", "is_active")
        return {f: getattr(obj, f) for f in fields} if obj else {"is_active": True}

    def save(self, form: Any, obj: Any) -> Any:
        return services.channel_save(actor=self.request.user, channel=obj, **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("cases:channels")


# --- import ------------------------------------------------------------------------------------
class ImportView(GateMixin, View):
    permission = "cases.case.import"

    def get(self, request: HttpRequest) -> HttpResponse:
        from cases import transfer

        if request.GET.get("template"):
            return _xlsx_response(transfer.template_workbook(), "诉求件导入模板.xlsx")
        return render(request, "cases/import.html", {"form": forms.ImportForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_upload(upload, ("spreadsheet",))
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                job = job_start(kind="cases.import", title=_("导入诉求件"), user=request.user, upload=upload)
                return redirect("core:job", pk=job.pk)
        return render(request, "cases/import.html", {"form": form}, status=400)


# --- routing -----------------------------------------------------------------------------------
class RoutingView(GateMixin, View):
    permission = "cases.routing.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "cases/routing.html", routing.routing_status())

    def post(self, request: HttpRequest) -> HttpResponse:
        gate.check(request.user, "cases.routing.train")
        outcome = routing.routing_train(actor=request.user)
        (messages.success if outcome.model else messages.warning)(request, outcome.message)
        return redirect("cases:routing")
