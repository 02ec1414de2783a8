"""Template helpers of the inspection pages: status colours, Chinese dates, figure links."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()

FINDING_COLOURS = {
    "draft": "secondary",
    "submitted": "primary",
    "returned": "warning",
    "dismissed": "secondary",
    "confirmed": "info",
    "fed_back": "warning",
    "disputed": "danger",
    "rectifying": "warning",
    "rectified": "info",
    "closed": "success",
    "untrue": "secondary",
}
ASSIGNMENT_COLOURS = {"pending": "secondary", "accepted": "primary", "declined": "danger", "arrived": "info", "reported": "success"}
TASK_COLOURS = {"planned": "secondary", "dispatched": "primary", "cancelled": "dark"}


@register.filter
def finding_colour(status: str) -> str:
    return FINDING_COLOURS.get(status, "secondary")


@register.filter
def assignment_colour(status: str) -> str:
    return ASSIGNMENT_COLOURS.get(status, "secondary")


@register.filter
def task_colour(status: str) -> str:
    return TASK_COLOURS.get(status, "secondary")


@register.filter
def cn_date(value: date | None) -> str:
    if not value:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def filesize(value: int) -> str:
    if value >= 1048576:
        return f"{value / 1048576:.1f} MB"
    return f"{max(1, round(value / 1024))} KB"


@register.simple_tag
def list_url(name: str, query: dict[str, Any] | None = None, **extra: Any) -> str:
    """A list page filtered to what a figure counts: the period's query plus ``extra``."""
    params = {**(query or {}), **{k: v for k, v in extra.items() if v not in (None, "")}}
    return f"{reverse(f'inspections:{name}')}?{urlencode(params)}"
