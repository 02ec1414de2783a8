"""The gate as DRF permissions, and the API's pagination. Kept apart from core.api because DRF imports the
default permission classes while it is itself being imported."""

from __future__ import annotations

from typing import Any

from rest_framework import pagination, permissions
from rest_framework.request import Request

from core import permissions as gate


def token_scope_for(perm: str) -> str:
    app, _noun, action = perm.split(".", 2)
    return f"{app}:read" if action.startswith("view") else f"{app}:write"


class GatePermission(permissions.BasePermission):
    message = "您没有权限执行此操作。"

    def has_permission(self, request: Request, view: Any) -> bool:
        perm = view_permission(view)
        if perm is None:
            return False
        if not gate.can(request.user, perm):
            return False
        token = request.auth
        if token is not None and hasattr(token, "allows"):
            return bool(token.allows(token_scope_for(perm)))
        return True


class PublicPermission(permissions.BasePermission):
    """For the public endpoints (submit, track, rate): anyone, throttled."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return True


def view_permission(view: Any) -> str | None:
    mapping = getattr(view, "permissions", None)
    if not mapping:
        return None
    action = getattr(view, "action", None) or request_method_action(view)
    return mapping.get(action) or mapping.get("*")


def request_method_action(view: Any) -> str:
    return {"GET": "list", "POST": "create", "PUT": "update", "PATCH": "partial_update", "DELETE": "destroy"}.get(view.request.method, "")


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
