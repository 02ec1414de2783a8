"""Pages of the roster."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from core import permissions as gate
from core.viewkit import FilteredListView, GateMixin
from org.views import FormPage
from supervisors import selectors, services
from supervisors.filters import SupervisorFilter
from supervisors.forms import SupervisorForm
from supervisors.models import Supervisor


class SupervisorListView(FilteredListView):
    permission = "supervisors.supervisor.view"
    template_name = "supervisors/supervisor_list.html"
    filterset_class = SupervisorFilter
    queryset_method = selectors.supervisor_list


class SupervisorDetailView(GateMixin, View):
    permission = "supervisors.supervisor.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        supervisor = gate.get_object(request.user, self.permission, selectors.supervisor_list(request.user), pk=pk)
        return render(request, "supervisors/supervisor_detail.html", {"supervisor": supervisor})


class SupervisorCreateView(FormPage):
    permission = "supervisors.supervisor.change"
    form_class = SupervisorForm
    title = _("新增监督员")

    def save(self, form: Any, obj: Any) -> Any:
        return services.supervisor_create(actor=self.request.user, **form.cleaned_data)

    def success_url(self, result: Any) -> str:
        return reverse("supervisors:supervisor", args=[result.pk])


class SupervisorEditView(SupervisorCreateView):
    title = _("编辑监督员")

    def get_object(self) -> Any:
        return gate.get_object(self.request.user, self.permission, Supervisor, pk=self.kwargs["pk"])

    def initial(self, obj: Any) -> dict[str, Any]:
        return {f: getattr(obj, f) for f in services.FIELDS}

    def save(self, form: Any, obj: Any) -> Any:
        return services.supervisor_update(actor=self.request.user, supervisor=obj, **form.cleaned_data)
