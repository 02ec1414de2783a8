"""What every app's API shares: the gate as a DRF permission, pagination, Chinese error
bodies, and the base viewset that scopes every queryset through the gate.

A viewset names the permission of each action in ``permissions``; the gate refuses a role
(403) and scopes the rows (404 outside the scope). Machine clients' API tokens add their
scopes on top: ``<app>:read`` covers ``<app>.*.view*``, ``<app>:write`` everything else.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core import permissions as gate
from core.api_permissions import GatePermission, Pagination, PublicPermission, view_permission

__all__ = ["GatePermission", "PublicPermission", "GateViewSetMixin", "Pagination", "exception_handler", "validated"]


def validated(serializer_class: Any, request: Any, **kwargs: Any) -> dict[str, Any]:
    """Parse a request body with ``serializer_class``; a bad body is HTTP 400 in Chinese."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class GateViewSetMixin:
    """``get_queryset`` returns only rows the caller may see for this action."""

    permissions: dict[str, str] = {}
    base_queryset: QuerySet | None = None

    def get_queryset(self) -> QuerySet:
        perm = view_permission(self) or ""
        qs = self.base_queryset.all() if self.base_queryset is not None else super().get_queryset()  # type: ignore[misc]
        return gate.restrict(qs, self.request.user, perm)  # type: ignore[attr-defined]


class GateReadOnlyViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class GateModelViewSet(GateViewSetMixin, viewsets.ModelViewSet):
    pass


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus a service's Django ValidationError as HTTP 400 in Chinese."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到，或您无权查看。")
    return drf_exception_handler(exc, context)
