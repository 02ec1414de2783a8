"""What every app's views share: the gate check, filtered and paginated lists, and
writing through a service with Chinese error messages.

Views stay thin: they parse input with a form, call a service, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views import View

from core import permissions as gate

PAGE_SIZES = (25, 50, 100)


class GateMixin(LoginRequiredMixin):
    """Refuses (403) a role that does not hold ``permission``; anonymous users log in."""

    permission: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        gate.check(request.user, self.permission)
        return super().dispatch(request, *args, **kwargs)


def paginate(request: HttpRequest, queryset: QuerySet | list, default_size: int = 25) -> dict[str, Any]:
    try:
        size = int(request.GET.get("size", default_size))
    except ValueError:
        size = default_size
    size = size if size in PAGE_SIZES else default_size
    paginator = Paginator(queryset, size)
    page = paginator.get_page(request.GET.get("page"))
    return {"page_obj": page, "paginator": paginator, "object_list": page.object_list, "page_size": size}


class FilteredListView(GateMixin, View):
    """A list page: the app's FilterSet (shared with the API) over the gate's rows."""

    template_name = ""
    filterset_class: Any = None
    queryset_method: Any = None  # callable (user) -> QuerySet, a selector

    def get_queryset(self) -> QuerySet:
        return type(self).queryset_method(self.request.user)

    def extra_context(self) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from django.shortcuts import render

        filterset = self.filterset_class(request.GET or None, queryset=self.get_queryset(), request=request)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        context = {"filter": filterset, **paginate(request, qs), **self.extra_context()}
        template = self.template_name
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "list-results":
            template = template.replace(".html", "_results.html")
        return render(request, template, context)


def form_errors_from(exc: ValidationError, form: Form) -> None:
    """Put a service's ValidationError onto the form so the page shows it beside the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def run_service(request: HttpRequest, form: Form | None, call: Any, success: str = "") -> Any:
    """Call ``call()``; on ValidationError attach the messages to ``form`` (or flash them)
    and return None; on success flash ``success`` and return the result."""
    try:
        result = call()
    except ValidationError as exc:
        if form is not None:
            form_errors_from(exc, form)
        else:
            for message in exc.messages:
                messages.error(request, message)
        return None
    if success:
        messages.success(request, success)
    return result
