"""Pages of accountability: thin views over accountability.selectors and
accountability.services. On a refusal a page is shown again with the message beside the
form and what was typed kept; nothing is saved."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accountability import exports, selectors, services
from accountability.filters import ApologyFilter, ChargeFilter, ProposalFilter, SanctionFilter
from accountability.forms import ApologyForm, DecisionForm, ExecuteForm, IncidentForm, ReasonForm, ReviewForm
from accountability.models import Apology, Proposal, Sanction
from core import permissions as gate
from core.viewkit import FilteredListView, GateMixin, form_errors_from, paginate


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return selectors.current_year()
    return year if 2000 <= year <= 2100 else selectors.current_year()


# --- proposals and decisions -----------------------------------------------------------------
class ProposalListView(FilteredListView):
    permission = "accountability.proposal.view"
    template_name = "accountability/proposal_list.html"
    filterset_class = ProposalFilter
    queryset_method = selectors.proposal_list

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.GET:  # the queue: what waits for a decision
            return redirect(f"{request.path}?status=pending")
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("status", "created_at", "pk")


def render_proposal(request: HttpRequest, proposal: Proposal, forms: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"proposal": proposal, **selectors.proposal_detail(request.user, proposal)}
    forms = forms or {}
    if context["can_decide"]:
        context["decide_form"] = forms.get("decide") or DecisionForm(proposal=proposal)
    if context["can_review"]:
        context["review_form"] = forms.get("review") or ReviewForm()
    # a refusal whose form is no longer shown (decided meanwhile, by another click) says why at the top
    shown = {"decide": "decide_form" in context, "review": "review_form" in context}
    context["action_errors"] = [str(m) for name, form in forms.items() if not shown.get(name) for m in form.non_field_errors()]
    return render(request, "accountability/proposal_detail.html", context, status=status)


class ProposalDetailView(GateMixin, View):
    permission = "accountability.proposal.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_proposal(request, selectors.proposal_get(request.user, pk))


class ProposalDecideView(GateMixin, View):
    permission = "accountability.proposal.decide"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = selectors.proposal_get(request.user, pk, self.permission)
        form = DecisionForm(request.POST, proposal=proposal)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.proposal_decide(
                    actor=request.user,
                    proposal=proposal,
                    outcome=data["outcome"],
                    reason=data["reason"],
                    measures=data.get("measures") or [],
                    staff=data.get("staff"),
                    apology_kind=data.get("apology_kind") or "",
                    term_start=data.get("term_start"),
                    term_end=data.get("term_end"),
                    due=data.get("due"),
                    to_whom=data.get("to_whom") or "",
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("已作出决定。"))
                return redirect("accountability:proposal", pk=proposal.pk)
        proposal.refresh_from_db()
        return render_proposal(request, proposal, {"decide": form}, status=400)


class DecisionReviewView(GateMixin, View):
    permission = "accountability.decision.review"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = selectors.proposal_get(request.user, pk)
        decision = selectors.decision_get(request.user, selectors.decision_of(proposal), self.permission)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.decision_review(
                    actor=request.user, decision=decision, keep=form.cleaned_data["decision"] == "keep", note_text=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("已复核。"))
                return redirect("accountability:proposal", pk=proposal.pk)
        return render_proposal(request, proposal, {"review": form}, status=400)


# --- sanctions ---------------------------------------------------------------------------------
class SanctionListView(FilteredListView):
    permission = "accountability.sanction.view"
    template_name = "accountability/sanction_list.html"
    filterset_class = SanctionFilter
    queryset_method = selectors.sanction_list


def render_sanction(request: HttpRequest, sanction: Sanction, form: Any = None, status: int = 200) -> HttpResponse:
    can_execute = (
        gate.allows(request.user, "accountability.sanction.execute", sanction)
        and sanction.status == "in_force"
        and sanction.executed_on is None
        and sanction.due is not None
    )
    context = {
        "sanction": sanction,
        "decision": sanction.decision,
        "proposal": sanction.decision.proposal,
        "evidence": selectors.evidence_of(sanction.decision),
        "execute_form": (form or ExecuteForm()) if can_execute else None,
        "can_see_proposal": gate.can(request.user, "accountability.proposal.view"),
        "overdue": sanction.is_overdue(),
    }
    return render(request, "accountability/sanction_detail.html", context, status=status)


class SanctionDetailView(GateMixin, View):
    permission = "accountability.sanction.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_sanction(request, selectors.sanction_get(request.user, pk))


class SanctionExecuteView(GateMixin, View):
    permission = "accountability.sanction.execute"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sanction = selectors.sanction_get(request.user, pk, self.permission)
        form = ExecuteForm(request.POST)
        if form.is_valid():
            try:
                services.sanction_execute(
                    actor=request.user, sanction=sanction, executed_on=form.cleaned_data["executed_on"], note_text=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("已登记落实。"))
                return redirect("accountability:sanction", pk=sanction.pk)
        return render_sanction(request, sanction, form, status=400)


# --- apologies ---------------------------------------------------------------------------------
class ApologyListView(FilteredListView):
    permission = "accountability.apology.view"
    template_name = "accountability/apology_list.html"
    filterset_class = ApologyFilter
    queryset_method = selectors.apology_list


def render_apology(request: HttpRequest, apology: Apology, form: Any = None, status: int = 200) -> HttpResponse:
    can_record = gate.allows(request.user, "accountability.apology.record", apology) and apology.status == "pending"
    context = {
        "apology": apology,
        "decision": apology.decision,
        "proposal": apology.decision.proposal,
        "evidence": selectors.evidence_of(apology.decision),
        "record_form": (form or ApologyForm(apology=apology)) if can_record else None,
        "can_see_proposal": gate.can(request.user, "accountability.proposal.view"),
        "overdue": apology.is_overdue(),
    }
    return render(request, "accountability/apology_detail.html", context, status=status)


class ApologyDetailView(GateMixin, View):
    permission = "accountability.apology.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_apology(request, selectors.apology_get(request.user, pk))


class ApologyRecordView(GateMixin, View):
    permission = "accountability.apology.record"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        apology = selectors.apology_get(request.user, pk, self.permission)
        form = ApologyForm(request.POST, request.FILES, apology=apology)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.apology_record(
                    actor=request.user,
                    apology=apology,
                    done_on=data["done_on"],
                    channel=data["channel"],
                    media_name=data.get("media_name") or "",
                    note_text=data["note"],
                    proof=data["proof"],
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("已登记道歉。"))
                return redirect("accountability:apology", pk=apology.pk)
        return render_apology(request, apology, form, status=400)


class ApologyProofView(GateMixin, View):
    """The proof of an apology, for whoever may see the apology."""

    permission = "accountability.apology.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        apology = selectors.apology_get(request.user, pk)
        if not apology.proof:
            raise Http404
        suffix = (apology.proof_name.rsplit(".", 1)[-1] if "." in apology.proof_name else "bin")[:8]
        inline = apology.proof_type.startswith("image/") or apology.proof_type == "application/pdf"
        response = FileResponse(
            apology.proof.open("rb"), as_attachment=not inline, filename=f"{apology.reference}.{suffix}", content_type=apology.proof_type
        )
        response["Cache-Control"] = "private, max-age=3600"
        return response


# --- charges and incidents --------------------------------------------------------------------------
class ChargeListView(FilteredListView):
    permission = "accountability.charge.view"
    template_name = "accountability/charge_list.html"
    filterset_class = ChargeFilter
    queryset_method = selectors.charge_list


class IncidentCreateView(GateMixin, View):
    permission = "accountability.incident.record"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accountability/incident_form.html", {"form": IncidentForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = IncidentForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = services.incident_record(
                    actor=request.user,
                    kind=data["kind"],
                    occurred_on=data["occurred_on"],
                    title=data["title"],
                    units=data["units"],
                    description=data["description"],
                    source=data["source"],
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("已登记；已按规则提出道歉建议。"))
                return redirect("accountability:incident", pk=incident.pk)
        return render(request, "accountability/incident_form.html", {"form": form}, status=400)


def render_incident(request: HttpRequest, incident: Any, form: Any = None, status: int = 200) -> HttpResponse:
    context = {"incident": incident, **selectors.incident_detail(incident)}
    if context["active"] and gate.can(request.user, "accountability.incident.record"):
        context["withdraw_form"] = form or ReasonForm()
    return render(request, "accountability/incident_detail.html", context, status=status)


class IncidentDetailView(GateMixin, View):
    permission = "accountability.charge.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_incident(request, selectors.incident_get(request.user, pk))


class IncidentWithdrawView(GateMixin, View):
    permission = "accountability.incident.record"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = selectors.incident_get(request.user, pk, self.permission)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.incident_withdraw(actor=request.user, incident=incident, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("已撤销该情形。"))
                return redirect("accountability:incident", pk=incident.pk)
        return render_incident(request, incident, form, status=400)


# --- a person's record, units ---------------------------------------------------------------------
class PersonView(GateMixin, View):
    permission = "accountability.record.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = selectors.person_get(request.user, pk)
        return render(request, "accountability/person.html", {"person": person, **selectors.person_record(request.user, person)})


class MyRecordView(GateMixin, View):
    """The signed-in person's own record (an account linked to a staff member)."""

    permission = "accountability.record.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        staff_id = getattr(request.user, "staff_id", None)
        if not staff_id:
            raise Http404
        return redirect("accountability:person", pk=staff_id)


class UnitListView(GateMixin, View):
    permission = "accountability.unit.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request)
        rows = selectors.unit_overview(request.user, year)
        return render(request, "accountability/unit_list.html", {"year": year, **paginate(request, rows)})


class UnitDetailView(GateMixin, View):
    permission = "accountability.unit.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = selectors.unit_get(request.user, pk)
        year = _year(request)
        return render(
            request, "accountability/unit_detail.html", {"unit": unit, "year": year, **selectors.unit_record(request.user, unit, year)}
        )


# --- figures ---------------------------------------------------------------------------------------
class FiguresView(GateMixin, View):
    permission = "accountability.figures.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request)
        return render(request, "accountability/figures.html", {"year": year, "f": selectors.figures(request.user, year)})


class FiguresExportView(GateMixin, View):
    permission = "accountability.figures.export"

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request)
        content = exports.figures_workbook(selectors.figures(request.user, year))
        name = _("问责统计%(year)s年.xlsx") % {"year": year}
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
