"""Pages of evaluations and service ratings for signed-in users: thin views over
evaluations.selectors and evaluations.services. The public answering pages are in
evaluations.public."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core import permissions as gate
from core.jobs import job_start
from core.selectors import policy_document
from core.uploads import DOCX, XLSX, check_upload
from core.viewkit import FilteredListView, GateMixin, paginate, run_service
from evaluations import documents, selectors, services
from evaluations.choices import CampaignKind, CampaignStatus, Channel, RatingStatus, ResponseStatus
from evaluations.filters import CampaignFilter, RatingFilter, ResponseFilter, SampleFilter
from evaluations.forms import (
    CallbackForm,
    CampaignForm,
    GroupForm,
    ImportForm,
    InvitationForm,
    QuestionFormSet,
    QuestionnaireForm,
    RatingAppealForm,
    RatingCallbackForm,
    RatingDecideForm,
    RatingFixedForm,
    RatingFixRateForm,
    RatingResolveForm,
    ReviewForm,
    SampleDrawForm,
    TargetsForm,
    question_initial,
    question_rows,
)
from evaluations.public import public_rating_url, target_url
from evaluations.transfer import template_workbook
from org.choices import UnitKind
from org.models import Unit
from org.views import FormPage


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- campaigns ------------------------------------------------------------------------------
class CampaignListView(FilteredListView):
    permission = "evaluations.campaign.view"
    template_name = "evaluations/campaign_list.html"
    filterset_class = CampaignFilter
    queryset_method = selectors.campaign_list


class CampaignCreateView(FormPage):
    permission = "evaluations.campaign.change"
    form_class = CampaignForm
    title = _("新建评议活动")

    def save(self, form: Any, obj: Any) -> Any:
        return services.campaign_create(actor=self.request.user, **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("evaluations:campaign", args=[result.pk])


class CampaignEditView(CampaignCreateView):
    title = _("编辑评议活动")

    def get_object(self) -> Any:
        return selectors.campaign_get(self.request.user, self.kwargs["pk"], "evaluations.campaign.change")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {f: getattr(obj, f) for f in services.CAMPAIGN_FIELDS}

    def save(self, form: Any, obj: Any) -> Any:
        return services.campaign_update(actor=self.request.user, campaign=obj, **form.cleaned_data)


class CampaignDetailView(GateMixin, View):
    permission = "evaluations.campaign.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk)
        office = gate.can(request.user, "evaluations.campaign.change")
        context: dict[str, Any] = {"campaign": campaign, "figures": selectors.campaign_figures(campaign), "office": office}
        if gate.can(request.user, "evaluations.response.view"):
            targets = campaign.targets.select_related("unit")
            context["targets"] = [(t, request.build_absolute_uri(target_url(t))) for t in targets[:200]]
            context["target_count"] = targets.count()
            context["groups"] = campaign.groups.all()
        if office:
            # personal links are credentials: only the office that hands them out sees them
            context["invitations"] = [
                (i, request.build_absolute_uri(reverse("evaluations_public:invitation", args=[i.token])))
                for i in campaign.invitations.select_related("group")[:200]
            ]
            context["group_form"] = GroupForm()
            context["invitation_form"] = InvitationForm(campaign=campaign)
        return render(request, "evaluations/campaign_detail.html", context)


class CampaignTargetsView(GateMixin, View):
    permission = "evaluations.campaign.change"
    KINDS = {
        CampaignKind.DIVISION_HEAD: [UnitKind.DIVISION],
        CampaignKind.WINDOW: [UnitKind.WINDOW],
        CampaignKind.HANDLED_CASES: [UnitKind.DEPARTMENT, UnitKind.TOWNSHIP, UnitKind.STREET],
        CampaignKind.DEPARTMENTS: [UnitKind.DEPARTMENT, UnitKind.TOWNSHIP, UnitKind.STREET],
    }

    def _form(self, campaign: Any, data: Any = None) -> TargetsForm:
        queryset = Unit.objects.filter(is_active=True, kind__in=self.KINDS[CampaignKind(campaign.kind)]).order_by("path")
        return TargetsForm(data, queryset=queryset, initial={"units": list(campaign.targets.values_list("unit_id", flat=True))})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        return render(request, "evaluations/targets.html", {"campaign": campaign, "form": self._form(campaign)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        form = self._form(campaign, request.POST)
        if form.is_valid():
            units = list(form.cleaned_data["units"])
            if run_service(
                request,
                form,
                lambda: services.campaign_set_targets(actor=request.user, campaign=campaign, units=units),
                _("已保存评议对象。"),
            ):
                return redirect("evaluations:campaign", pk=campaign.pk)
        return render(request, "evaluations/targets.html", {"campaign": campaign, "form": form}, status=400)


class CampaignGroupView(GateMixin, View):
    permission = "evaluations.campaign.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        form = GroupForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                None,
                lambda: services.group_save(actor=request.user, campaign=campaign, **form.cleaned_data),
                _("已保存评议群体。"),
            )
        else:
            from django.contrib import messages

            messages.error(request, _("请填写群体的代码、名称和不为负数的权重。"))
        return redirect("evaluations:campaign", pk=campaign.pk)


class CampaignInvitationView(GateMixin, View):
    permission = "evaluations.campaign.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        form = InvitationForm(request.POST, campaign=campaign)
        if form.is_valid():
            run_service(
                request,
                None,
                lambda: services.invitation_create(actor=request.user, campaign=campaign, **form.cleaned_data),
                _("已生成邀请链接。"),
            )
        else:
            from django.contrib import messages

            messages.error(request, _("请选择评议群体并填写受邀人。"))
        return redirect("evaluations:campaign", pk=campaign.pk)


ACTIONS = {
    "open": ("evaluations.campaign.change", services.campaign_open, _("活动已开始，可以接受答卷。")),
    "close": ("evaluations.campaign.change", services.campaign_close, _("活动已结束，不再接受答卷。")),
    "compute": ("evaluations.campaign.change", services.campaign_compute, _("已计算得分。")),
    "confirm": ("evaluations.campaign.confirm", services.campaign_confirm, _("结果已确认并冻结。")),
    "publish": ("evaluations.campaign.confirm", services.campaign_publish, _("结果已公布，被评单位可以查看本单位结果。")),
}


class CampaignActionView(GateMixin, View):
    permission = "evaluations.campaign.view"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in ACTIONS:
            raise Http404
        perm, service, message = ACTIONS[action]
        gate.check(request.user, perm)
        campaign = selectors.campaign_get(request.user, pk, perm)
        run_service(request, None, lambda: service(actor=request.user, campaign=campaign), message)
        target = "evaluations:results" if action in ("compute", "confirm", "publish") else "evaluations:campaign"
        return redirect(target, pk=campaign.pk)


class CampaignPostersView(GateMixin, View):
    """The QR posters of a campaign's targets (PDF, one page each)."""

    permission = "evaluations.campaign.change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        items = [(t.label, request.build_absolute_uri(target_url(t))) for t in campaign.targets.all()]
        if not items:
            raise Http404
        pdf = documents.qr_posters(campaign.name, items, subtitle=campaign.get_kind_display())
        return _download(pdf, "application/pdf", f"{campaign.name}-二维码.pdf")


# --- results ------------------------------------------------------------------------------
class ResultListView(GateMixin, View):
    permission = "evaluations.result.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        results = selectors.result_list(request.user, campaign)
        context = {
            "campaign": campaign,
            "figures": selectors.campaign_figures(campaign),
            **paginate(request, results, 100),
            "can_answers": gate.can(request.user, "evaluations.response.view"),
            "unit_view": selectors._unit_scoped(request.user, self.permission),
        }
        return render(request, "evaluations/results.html", context)


class ResultExportView(GateMixin, View):
    permission = "evaluations.result.export"

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        results = list(selectors.result_list(request.user, campaign))
        figures = selectors.campaign_figures(campaign)
        if fmt == "xlsx":
            responses = list(selectors.response_list(request.user).filter(campaign=campaign).order_by("target__position", "id"))
            content = documents.results_workbook(campaign, results, figures, responses)
            return _download(content, XLSX, f"{campaign.name}-结果.xlsx")
        if fmt == "docx":
            return _download(documents.results_report(campaign, results, figures), DOCX, f"{campaign.name}-报告.docx")
        raise Http404


# --- responses ----------------------------------------------------------------------------
class ResponseListView(GateMixin, View):
    permission = "evaluations.response.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        qs = selectors.response_list(request.user).filter(campaign=campaign)
        filterset = ResponseFilter(request.GET or None, queryset=qs, request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
        target = None
        if request.GET.get("target", "").isdigit():
            target = selectors.target_get(request.user, campaign, int(request.GET["target"]))
        context = {"campaign": campaign, "filter": filterset, "target": target, **paginate(request, rows.order_by("-submitted_at", "-id"))}
        template = "evaluations/response_list.html"
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "list-results":
            template = "evaluations/response_list_results.html"
        return render(request, template, context)


class ResponseDetailView(GateMixin, View):
    permission = "evaluations.response.view"

    def get(self, request: HttpRequest, pk: int, form: ReviewForm | None = None, status: int = 200) -> HttpResponse:
        response = selectors.response_get(request.user, pk)
        can_review = response.status == ResponseStatus.FLAGGED and gate.can(request.user, "evaluations.response.review")
        context = {"response": response, "form": form or (ReviewForm() if can_review else None)}
        return render(request, "evaluations/response_detail.html", context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        gate.check(request.user, "evaluations.response.review")
        response = selectors.response_get(request.user, pk, "evaluations.response.review")
        form = ReviewForm(request.POST)
        if form.is_valid() and run_service(
            request,
            form,
            lambda: services.response_review(
                actor=request.user, response=response, accept=form.cleaned_data["accept"], note=form.cleaned_data["note"]
            ),
            _("已复核。"),
        ):
            return redirect("evaluations:response", pk=response.pk)
        return self.get(request, pk, form=form, status=400)


class PaperEntryView(GateMixin, View):
    """Office staff enter a paper questionnaire (or a kiosk's printout) for one target."""

    permission = "evaluations.response.enter"

    def _context(self, request: HttpRequest, campaign: Any, **extra: Any) -> dict[str, Any]:
        _version, doc = policy_document()
        return {
            "campaign": campaign,
            "questions": campaign.questionnaire.questions.all() if campaign.questionnaire else [],
            "levels": doc.evaluations.levels,
            "targets": campaign.targets.all(),
            "groups": campaign.groups.all(),
            **extra,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        return render(request, "evaluations/paper_entry.html", self._context(request, campaign, values={}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        errors: dict[str, list[str]] = {}
        target = (
            campaign.targets.filter(pk=request.POST.get("target") or 0).first() if (request.POST.get("target") or "").isdigit() else None
        )
        group = campaign.groups.filter(pk=request.POST.get("group") or 0).first() if (request.POST.get("group") or "").isdigit() else None
        if target is None:
            errors = {"target": [_("请选择评议对象。")]}
        else:
            answers = (
                {q.pk: request.POST.getlist(f"q{q.pk}") for q in campaign.questionnaire.questions.all()} if campaign.questionnaire else {}
            )
            try:
                services.response_submit(
                    campaign=campaign, target=target, answers=answers, channel=Channel.PAPER, actor=request.user, group=group
                )
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            else:
                from django.contrib import messages

                messages.success(request, _("已录入一份纸质问卷。"))
                return redirect("evaluations:paper", pk=campaign.pk)
        return render(
            request, "evaluations/paper_entry.html", self._context(request, campaign, errors=errors, values=request.POST), status=400
        )


# --- handled cases: sample and call-backs ---------------------------------------------------------
class SampleListView(GateMixin, View):
    permission = "evaluations.sample.view"

    def get(self, request: HttpRequest, pk: int, form: SampleDrawForm | None = None, status: int = 200) -> HttpResponse:
        campaign = selectors.campaign_get(request.user, pk, self.permission)
        qs = selectors.sample_list(request.user, campaign)
        filterset = SampleFilter(request.GET or None, queryset=qs, request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
        context = {
            "campaign": campaign,
            "filter": filterset,
            "figures": selectors.campaign_figures(campaign),
            "draw_form": form or SampleDrawForm(),
            "cases_app": services_adapters_available(),
            **paginate(request, rows),
        }
        return render(request, "evaluations/sample_list.html", context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        gate.check(request.user, "evaluations.sample.change")
        campaign = selectors.campaign_get(request.user, pk, "evaluations.sample.change")
        if request.POST.get("action") == "pull":
            count = run_service(request, None, lambda: services.handled_cases_pull(actor=request.user, campaign=campaign))
            if count is not None:
                from django.contrib import messages

                messages.success(request, _("已从诉求办理系统取得 %(n)s 件办件。") % {"n": count})
            return redirect("evaluations:samples", pk=campaign.pk)
        form = SampleDrawForm(request.POST)
        if form.is_valid() and run_service(
            request,
            form,
            lambda: services.sample_draw(actor=request.user, campaign=campaign, seed=form.cleaned_data["seed"]),
            _("已抽样。"),
        ):
            return redirect("evaluations:samples", pk=campaign.pk)
        return self.get(request, pk, form=form, status=400)


def services_adapters_available() -> bool:
    from evaluations import adapters

    return adapters.cases_available()


class SampleCallbackView(GateMixin, View):
    permission = "evaluations.sample.change"

    def _render(
        self, request: HttpRequest, sample: Any, form: CallbackForm, errors: Any = None, status: int = 200, phone: str = ""
    ) -> HttpResponse:
        _version, doc = policy_document()
        questions = sample.campaign.questionnaire.questions.all() if sample.campaign.questionnaire else []
        context = {
            "sample": sample,
            "form": form,
            "questions": questions,
            "levels": doc.evaluations.levels,
            "errors": errors or {},
            "values": request.POST,
            "phone": phone or sample.case.contact_phone_masked,
        }
        return render(request, "evaluations/sample_callback.html", context, status=status)

    def _sample(self, request: HttpRequest, pk: int) -> Any:
        from evaluations.models import SampledCase

        return gate.get_object(
            request.user, self.permission, SampledCase.objects.select_related("campaign__questionnaire", "case", "target"), pk=pk
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        sample = self._sample(request, pk)
        phone = services.sample_contact_view(actor=request.user, sample=sample)  # the caller needs it; audited
        return self._render(request, sample, CallbackForm(), phone=phone)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sample = self._sample(request, pk)
        form = CallbackForm(request.POST)
        if not form.is_valid():
            return self._render(request, sample, form, status=400)
        questions = sample.campaign.questionnaire.questions.all() if sample.campaign.questionnaire else []
        answers = {q.pk: request.POST.getlist(f"q{q.pk}") for q in questions}
        try:
            services.sample_callback(
                actor=request.user, sample=sample, reached=form.cleaned_data["reached"], answers=answers, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            return self._render(request, sample, form, errors=errors, status=400)
        from django.contrib import messages

        messages.success(request, _("已记录回访。"))
        return redirect(f"{reverse('evaluations:samples', args=[sample.campaign_id])}?status=pending")


class HandledCaseImportView(GateMixin, View):
    permission = "evaluations.sample.change"

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get("template"):
            return _download(template_workbook(), XLSX, "办件导入模板.xlsx")
        count = selectors.handled_case_list(request.user).count()
        return render(request, "evaluations/import.html", {"form": ImportForm(), "count": count})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_upload(upload, ("spreadsheet",))
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                job = job_start(kind="evaluations.import_handled_cases", title=_("导入办件"), user=request.user, upload=upload)
                return redirect("core:job", pk=job.pk)
        return render(request, "evaluations/import.html", {"form": form, "count": None}, status=400)


# --- questionnaires ---------------------------------------------------------------------------
class QuestionnaireListView(GateMixin, View):
    permission = "evaluations.questionnaire.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "evaluations/questionnaire_list.html", paginate(request, selectors.questionnaire_list(request.user)))


class QuestionnaireEditView(GateMixin, View):
    """The questionnaire builder: a title and rows of questions (blank rows are ignored)."""

    permission = "evaluations.questionnaire.change"

    def _object(self) -> Any:
        pk = self.kwargs.get("pk")
        return selectors.questionnaire_get(self.request.user, pk, self.permission) if pk else None

    def _render(self, form: Any, formset: Any, obj: Any, status: int = 200) -> HttpResponse:
        _version, doc = policy_document()
        context = {"form": form, "formset": formset, "object": obj, "levels": doc.evaluations.levels}
        return render(self.request, "evaluations/questionnaire_form.html", context, status=status)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._object()
        if obj is not None and obj.is_published:
            raise PermissionDenied(_("已发布的问卷不能修改（已冻结）；如需调整，请“复制为新版本”。"))
        form = QuestionnaireForm(initial={"title": obj.title, "intro": obj.intro} if obj else None)
        formset = QuestionFormSet(initial=question_initial(list(obj.questions.all()) if obj else []), prefix="q")
        return self._render(form, formset, obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._object()
        form = QuestionnaireForm(request.POST)
        formset = QuestionFormSet(request.POST, prefix="q")
        if form.is_valid() and formset.is_valid():
            rows = question_rows(formset)
            data = form.cleaned_data
            if obj is None:
                call = lambda: services.questionnaire_create(actor=request.user, title=data["title"], intro=data["intro"], questions=rows)  # noqa: E731
            else:
                call = lambda: services.questionnaire_update(  # noqa: E731
                    actor=request.user, questionnaire=obj, title=data["title"], intro=data["intro"], questions=rows
                )
            saved = run_service(request, form, call, _("问卷已保存。"))
            if saved is not None:
                return redirect("evaluations:questionnaire", pk=saved.pk)
        return self._render(form, formset, obj, status=400)


class QuestionnaireDetailView(GateMixin, View):
    permission = "evaluations.questionnaire.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        questionnaire = selectors.questionnaire_get(request.user, pk)
        _version, doc = policy_document()
        return render(request, "evaluations/questionnaire_detail.html", {"questionnaire": questionnaire, "levels": doc.evaluations.levels})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        gate.check(request.user, "evaluations.questionnaire.change")
        questionnaire = selectors.questionnaire_get(request.user, pk, "evaluations.questionnaire.change")
        if request.POST.get("action") == "publish":
            run_service(
                request,
                None,
                lambda: services.questionnaire_publish(actor=request.user, questionnaire=questionnaire),
                _("问卷已发布并冻结。"),
            )
            return redirect("evaluations:questionnaire", pk=questionnaire.pk)
        copy = run_service(
            request, None, lambda: services.questionnaire_new_version(actor=request.user, source=questionnaire), _("已复制为新版本草稿。")
        )
        return redirect("evaluations:questionnaire_edit", pk=copy.pk) if copy else redirect("evaluations:questionnaire", pk=pk)


# --- invitations (raters with an account) ---------------------------------------------------------
class MyInvitationsView(GateMixin, View):
    permission = "evaluations.invitation.answer"

    def get(self, request: HttpRequest) -> HttpResponse:
        invitations = selectors.invitation_list(request.user).filter(campaign__status=CampaignStatus.OPEN)
        return render(request, "evaluations/my_invitations.html", {"invitations": invitations})


# --- service ratings -------------------------------------------------------------------------------
class RatingListView(FilteredListView):
    permission = "evaluations.rating.view"
    template_name = "evaluations/rating_list.html"
    filterset_class = RatingFilter
    queryset_method = selectors.rating_list

    def extra_context(self) -> dict[str, Any]:
        return {"summary": selectors.rating_summary(selectors.rating_list(self.request.user)), "today": timezone.localdate()}


RATING_FORMS = {
    "callback": ("evaluations.rating.callback", RatingCallbackForm),
    "resolve": ("evaluations.rating.resolve", RatingResolveForm),
    "fixed": ("evaluations.rating.resolve", RatingFixedForm),
    "fix_rate": ("evaluations.rating.callback", RatingFixRateForm),
    "appeal": ("evaluations.rating.appeal", RatingAppealForm),
    "decide": ("evaluations.rating.decide", RatingDecideForm),
}
RATING_STEP_STATUS = {
    "callback": [RatingStatus.CALLBACK],
    "resolve": [RatingStatus.VERIFIED],
    "fixed": [RatingStatus.FIXING],
    "fix_rate": [RatingStatus.AWAITING_RATING],
    "appeal": [RatingStatus.RECORDED, RatingStatus.CALLBACK, RatingStatus.VERIFIED, RatingStatus.FIXING, RatingStatus.AWAITING_RATING],
    "decide": [RatingStatus.APPEALED],
}


def _rating_form(step: str, data: Any = None) -> Any:
    _perm, form_class = RATING_FORMS[step]
    if form_class is RatingFixRateForm:
        return form_class(data, levels=policy_document()[1].ratings.levels)
    return form_class(data)


class RatingDetailView(GateMixin, View):
    permission = "evaluations.rating.view"

    def _forms(self, request: HttpRequest, rating: Any) -> dict[str, Any]:
        forms = {}
        for step, (perm, _form) in RATING_FORMS.items():
            if rating.status not in RATING_STEP_STATUS[step] or not gate.allows(request.user, perm, rating):
                continue
            if step == "appeal" and (not rating.is_bad or rating.appeal_status):
                continue
            forms[step] = _rating_form(step)
        return forms

    def get(self, request: HttpRequest, pk: int, bound: tuple[str, Any] | None = None, status: int = 200) -> HttpResponse:
        rating = selectors.rating_get(request.user, pk)
        forms = self._forms(request, rating)
        if bound:
            forms[bound[0]] = bound[1]
        levels = {level.code: level.label for level in policy_document()[1].ratings.levels}
        context = {
            "rating": rating,
            "forms": forms,
            "level_label": levels.get(rating.level, rating.level),
            "fix_label": levels.get(rating.fix_level, rating.fix_level),
            "office": gate.can(request.user, "evaluations.rating.reveal_contact"),
            "today": timezone.localdate(),
        }
        return render(request, "evaluations/rating_detail.html", context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = request.POST.get("step", "")
        if step not in RATING_FORMS:
            raise Http404
        perm, _form = RATING_FORMS[step]
        rating = selectors.rating_get(request.user, pk, perm)
        form = _rating_form(step, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            user = request.user
            calls = {
                "callback": lambda: services.rating_callback(actor=user, rating=rating, verified=data["verified"], note=data["note"]),
                "resolve": lambda: services.rating_resolve(actor=user, rating=rating, resolution=data["resolution"], note=data["note"]),
                "fixed": lambda: services.rating_fixed(actor=user, rating=rating, note=data["note"]),
                "fix_rate": lambda: services.rating_fix_rate(actor=user, rating=rating, level=data["level"]),
                "appeal": lambda: services.rating_appeal(actor=user, rating=rating, reason=data["reason"]),
                "decide": lambda: services.rating_appeal_decide(actor=user, rating=rating, upheld=data["upheld"], note=data["note"]),
            }
            if run_service(request, form, calls[step], _("已保存。")):
                return redirect("evaluations:rating", pk=rating.pk)
        return self.get(request, pk, bound=(step, form), status=400)


class RatingContactView(GateMixin, View):
    """The rater's full phone number for the call-back (htmx fragment); audited."""

    permission = "evaluations.rating.reveal_contact"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        rating = selectors.rating_get(request.user, pk, self.permission)
        phone = services.rating_contact_reveal(actor=request.user, rating=rating)
        return render(request, "org/phone_revealed.html", {"phone": phone})


class RatingPostersView(GateMixin, View):
    """QR posters for on-the-spot service ratings: every window (of one department)."""

    permission = "evaluations.campaign.change"

    def get(self, request: HttpRequest) -> HttpResponse:
        units = Unit.objects.filter(is_active=True, kind=UnitKind.WINDOW).order_by("path")
        if (request.GET.get("unit") or "").isdigit():
            parent = Unit.objects.filter(pk=int(request.GET["unit"])).first()
            if parent is None:
                raise Http404
            units = units.filter(path__startswith=parent.path)
        items = [(u.name, request.build_absolute_uri(public_rating_url(u))) for u in units[:500]]
        if not items:
            raise Http404
        return _download(
            documents.qr_posters(_("请为我们的服务评价"), items, subtitle=_("好差评 · 一次一评")), "application/pdf", "好差评二维码.pdf"
        )
