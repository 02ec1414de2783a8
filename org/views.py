"""Pages of the organisation registry: thin views over org.selectors and org.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core import permissions as gate
from core.jobs import job_start
from core.uploads import check_upload
from core.viewkit import FilteredListView, GateMixin, run_service
from org import selectors, services, transfer
from org.filters import EnterpriseFilter, PostFilter, StaffFilter, UnitFilter, WhereaboutsFilter
from org.forms import CategoryForm, EnterpriseForm, ImportForm, PostForm, StaffForm, UnitForm, WhereaboutsForm
from org.models import Enterprise, Post, UnitCategory, Whereabouts


class FormPage(GateMixin, View):
    """GET shows the form; POST parses it and calls ``save`` (a service); errors from the
    service appear beside the fields and nothing is saved."""

    template_name = "org/form.html"
    form_class: Any = None
    title: Any = ""

    def get_object(self) -> Any:
        return None

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {}

    def save(self, form: Any, obj: Any) -> Any:
        raise NotImplementedError

    def success_url(self, result: Any) -> str:
        raise NotImplementedError

    def render_form(self, form: Any, obj: Any, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, "object": obj, "title": self.title}, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        return self.render_form(self.form_class(initial=self.initial(obj), **self.form_kwargs()), obj)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.form_class(request.POST, **self.form_kwargs())
        if form.is_valid():
            result = run_service(request, form, lambda: self.save(form, obj), success=_("已保存。"))
            if result is not None:
                return redirect(self.success_url(result))
        return self.render_form(form, obj, status=400)


# --- units --------------------------------------------------------------------------------
class UnitListView(FilteredListView):
    permission = "org.unit.view"
    template_name = "org/unit_list.html"
    filterset_class = UnitFilter
    queryset_method = selectors.unit_list


class UnitDetailView(GateMixin, View):
    permission = "org.unit.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = selectors.unit_get(request.user, pk)
        context = {"unit": unit, **selectors.unit_detail(request.user, unit)}
        context["board_url"] = request.build_absolute_uri(reverse("org:board", args=[unit.board_token]))
        return render(request, "org/unit_detail.html", context)


class UnitCreateView(FormPage):
    permission = "org.unit.change"
    form_class = UnitForm
    title = _("新建单位")

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"parent": self.request.GET.get("parent")}

    def save(self, form: Any, obj: Any) -> Any:
        return services.unit_create(actor=self.request.user, **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("org:unit", args=[result.pk])


class UnitEditView(UnitCreateView):
    title = _("编辑单位")

    def get_object(self) -> Any:
        return selectors.unit_get(self.request.user, self.kwargs["pk"], "org.unit.change")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {f: getattr(obj, f) for f in services.UNIT_FIELDS}

    def save(self, form: Any, obj: Any) -> Any:
        return services.unit_update(actor=self.request.user, unit=obj, **form.cleaned_data)


class UnitActiveView(GateMixin, View):
    permission = "org.unit.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = selectors.unit_get(request.user, pk, self.permission)
        active = request.POST.get("active") == "1"
        run_service(
            request,
            None,
            lambda: services.unit_set_active(actor=request.user, unit=unit, active=active),
            _("已启用。") if active else _("已停用。"),
        )
        return redirect("org:unit", pk=unit.pk)


class UnitBoardResetView(GateMixin, View):
    permission = "org.whereabouts.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = selectors.unit_get(request.user, pk, self.permission)
        services.unit_board_token_reset(actor=request.user, unit=unit)
        messages.success(request, _("告示屏地址已更换，旧地址即刻失效。"))
        return redirect("org:unit", pk=unit.pk)


def board(request: HttpRequest, token: str) -> HttpResponse:
    """The whereabouts board a window's screen shows (no login; unguessable address)."""
    context = selectors.board(token)
    if context is None:
        raise Http404
    response = render(request, "org/board.html", context)
    response["Refresh"] = "60"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- categories --------------------------------------------------------------------------
class CategoryListView(GateMixin, View):
    permission = "org.category.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CategoryForm() if gate.can(request.user, "org.category.change") else None
        return render(request, "org/category_list.html", {"categories": selectors.category_list(request.user), "form": form})


class CategoryCreateView(FormPage):
    permission = "org.category.change"
    form_class = CategoryForm
    title = _("考评类别")

    def get_object(self) -> Any:
        pk = self.kwargs.get("pk")
        return gate.get_object(self.request.user, self.permission, UnitCategory, pk=pk) if pk else None

    def initial(self, obj: Any) -> dict[str, Any]:
        return {f: getattr(obj, f) for f in ("code", "name", "description", "sort_order")} if obj else {}

    def save(self, form: Any, obj: Any) -> Any:
        return services.category_save(actor=self.request.user, category=obj, **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("org:categories")


# --- staff --------------------------------------------------------------------------------
class StaffListView(FilteredListView):
    permission = "org.staff.view"
    template_name = "org/staff_list.html"
    filterset_class = StaffFilter
    queryset_method = selectors.staff_list


class StaffDetailView(GateMixin, View):
    permission = "org.staff.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff = selectors.staff_get(request.user, pk)
        context = {
            "staff": staff,
            "posts_held": staff.posts_held.select_related("backup"),
            "posts_backed": staff.posts_backed.select_related("holder"),
            "whereabouts": staff.whereabouts.all()[:10],
            "can_reveal": gate.allows(request.user, "org.staff.reveal_phone", staff),
            "can_change": gate.allows(request.user, "org.staff.change", staff),
        }
        return render(request, "org/staff_detail.html", context)


class StaffRevealPhoneView(GateMixin, View):
    """Shows the full phone number (htmx fragment); every reveal is audited."""

    permission = "org.staff.reveal_phone"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff = selectors.staff_get(request.user, pk, self.permission)
        phone = services.staff_phone_reveal(actor=request.user, staff=staff)
        return render(request, "org/phone_revealed.html", {"phone": phone})


class StaffCreateView(FormPage):
    permission = "org.staff.change"
    form_class = StaffForm
    title = _("新增工作人员")

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"unit": self.request.GET.get("unit")}

    def save(self, form: Any, obj: Any) -> Any:
        return services.staff_create(actor=self.request.user, **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("org:staff", args=[result.pk])


class StaffEditView(StaffCreateView):
    title = _("编辑工作人员")

    def get_object(self) -> Any:
        return selectors.staff_get(self.request.user, self.kwargs["pk"], "org.staff.change")

    def initial(self, obj: Any) -> dict[str, Any]:
        data = {f: getattr(obj, f) for f in services.STAFF_FIELDS}
        data["id_number"] = ""  # never sent back to the browser; blank keeps it
        return data

    def save(self, form: Any, obj: Any) -> Any:
        data = dict(form.cleaned_data)
        if not data.get("id_number"):
            data.pop("id_number", None)
        return services.staff_update(actor=self.request.user, staff=obj, **data)


class StaffActiveView(GateMixin, View):
    permission = "org.staff.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff = selectors.staff_get(request.user, pk, self.permission)
        active = request.POST.get("active") == "1"
        services.staff_set_active(actor=request.user, staff=staff, active=active)
        messages.success(request, _("已恢复在职。") if active else _("已设为离职，其岗位已空出。"))
        return redirect("org:staff", pk=staff.pk)


# --- posts --------------------------------------------------------------------------------
class PostListView(FilteredListView):
    permission = "org.post.view"
    template_name = "org/post_list.html"
    filterset_class = PostFilter
    queryset_method = selectors.post_list


class PostCreateView(FormPage):
    permission = "org.post.change"
    form_class = PostForm
    title = _("新增岗位")

    def unit(self) -> Any:
        return selectors.unit_get(self.request.user, self.kwargs["unit_pk"], self.permission)

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user, "unit": self.unit()}

    def save(self, form: Any, obj: Any) -> Any:
        data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
        return services.post_create(actor=self.request.user, unit=self.unit(), **data)

    def success_url(self, result: Any) -> str:
        return reverse("org:unit", args=[result.unit_id])


class PostEditView(FormPage):
    permission = "org.post.change"
    form_class = PostForm
    title = _("编辑岗位")

    def get_object(self) -> Any:
        return gate.get_object(self.request.user, self.permission, Post.objects.select_related("unit"), pk=self.kwargs["pk"])

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user, "unit": self.get_object().unit}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"name": obj.name, "duties": obj.duties, "holder": obj.holder_id, "backup": obj.backup_id, "is_active": obj.is_active}

    def save(self, form: Any, obj: Any) -> Any:
        return services.post_update(actor=self.request.user, post=obj, **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("org:unit", args=[result.unit_id])


# --- whereabouts -----------------------------------------------------------------------------
class WhereaboutsListView(FilteredListView):
    permission = "org.whereabouts.view"
    template_name = "org/whereabouts_list.html"
    filterset_class = WhereaboutsFilter
    queryset_method = selectors.whereabouts_list


class WhereaboutsCreateView(FormPage):
    permission = "org.whereabouts.change"
    form_class = WhereaboutsForm
    title = _("登记离岗")

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"staff": self.request.GET.get("staff")}

    def save(self, form: Any, obj: Any) -> Any:
        return services.whereabouts_create(actor=self.request.user, **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("org:whereabouts")


class WhereaboutsEndView(GateMixin, View):
    permission = "org.whereabouts.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = gate.get_object(request.user, self.permission, Whereabouts, pk=pk)
        run_service(request, None, lambda: services.whereabouts_end(actor=request.user, notice=notice), _("已登记返岗。"))
        return redirect("org:whereabouts")


# --- enterprises ---------------------------------------------------------------------------
class EnterpriseListView(FilteredListView):
    permission = "org.enterprise.view"
    template_name = "org/enterprise_list.html"
    filterset_class = EnterpriseFilter
    queryset_method = selectors.enterprise_list


class EnterpriseDetailView(GateMixin, View):
    permission = "org.enterprise.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = gate.get_object(request.user, self.permission, Enterprise, pk=pk)
        return render(request, "org/enterprise_detail.html", {"enterprise": enterprise})


class EnterpriseCreateView(FormPage):
    permission = "org.enterprise.change"
    form_class = EnterpriseForm
    title = _("登记企业")

    def save(self, form: Any, obj: Any) -> Any:
        return services.enterprise_create(actor=self.request.user, **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("org:enterprise", args=[result.pk])


class EnterpriseEditView(EnterpriseCreateView):
    title = _("编辑企业")

    def get_object(self) -> Any:
        return gate.get_object(self.request.user, self.permission, Enterprise, pk=self.kwargs["pk"])

    def initial(self, obj: Any) -> dict[str, Any]:
        return {f: getattr(obj, f) for f in services.ENTERPRISE_FIELDS}

    def save(self, form: Any, obj: Any) -> Any:
        return services.enterprise_update(actor=self.request.user, enterprise=obj, **form.cleaned_data)


class EnterpriseActiveView(GateMixin, View):
    permission = "org.enterprise.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = gate.get_object(request.user, self.permission, Enterprise, pk=pk)
        active = request.POST.get("active") == "1"
        services.enterprise_set_active(actor=request.user, enterprise=enterprise, active=active)
        messages.success(request, _("已恢复。") if active else _("已停用。"))
        return redirect("org:enterprise", pk=enterprise.pk)


# --- import and export -----------------------------------------------------------------------
def _transfer(what: str) -> tuple[str, str]:
    if what not in transfer.JOBS:
        raise Http404
    perm, _importer, _exporter, label = transfer.JOBS[what]
    return perm, label


class ImportView(GateMixin, View):
    permission = "org.unit.view"  # refined per kind below

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        perm, _label = _transfer(kwargs["what"])
        self.permission = f"{perm}.import"
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, what: str) -> HttpResponse:
        if request.GET.get("template"):
            response = HttpResponse(
                transfer.template_workbook(what),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{what}-template.xlsx"
            return response
        return render(request, "org/import.html", {"form": ImportForm(), "what": what, "label": _transfer(what)[1]})

    def post(self, request: HttpRequest, what: str) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        label = _transfer(what)[1]
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_upload(upload, ("spreadsheet",))
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                job = job_start(kind=f"org.import_{what}", title=_("导入%(label)s") % {"label": label}, user=request.user, upload=upload)
                return redirect("core:job", pk=job.pk)
        return render(request, "org/import.html", {"form": form, "what": what, "label": label}, status=400)


class ExportView(GateMixin, View):
    permission = "org.unit.view"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        perm, _label = _transfer(kwargs["what"])
        self.permission = f"{perm}.export"
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, what: str) -> HttpResponse:
        label = _transfer(what)[1]
        job = job_start(kind=f"org.export_{what}", title=_("导出%(label)s") % {"label": label}, user=request.user)
        return redirect("core:job", pk=job.pk)
