"""Template helpers of the answering forms: what a rater already chose, and the error
message of one question, after a refused submission."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def answer_of(values: Any, question: Any) -> list[str]:
    key = f"q{question.pk}"
    if hasattr(values, "getlist"):
        return values.getlist(key)
    value = (values or {}).get(key)
    return [] if value is None else ([value] if isinstance(value, str) else list(value))


@register.filter
def error_of(errors: Any, question: Any) -> str:
    messages = (errors or {}).get(f"q{question.pk}")
    if not messages:
        return ""
    return messages[0] if isinstance(messages, (list, tuple)) else str(messages)


@register.filter
def field_error(errors: Any, name: str) -> str:
    messages = (errors or {}).get(name)
    if not messages:
        return ""
    return messages[0] if isinstance(messages, (list, tuple)) else str(messages)


@register.filter
def score(value: Any) -> str:
    return "—" if value is None else f"{value:.2f}"


@register.filter
def signed(value: Any) -> str:
    return "—" if value is None else f"{value:+.2f}"
