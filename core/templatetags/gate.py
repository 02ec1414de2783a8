"""Template access to the permission gate: ``{% if request.user|can:"org.unit.change" %}``."""

from __future__ import annotations

from typing import Any

from django import template

from core import permissions
from core.masking import mask_phone

register = template.Library()


@register.filter
def can(user: Any, perm: str) -> bool:
    return permissions.can(user, perm)


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value)


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
