"""Small query helpers shared by the apps' services."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet


def excluding(queryset: QuerySet[Any], obj: Model | None) -> QuerySet[Any]:
    """``queryset`` without ``obj`` (for uniqueness checks on create and on update)."""
    return queryset.exclude(pk=obj.pk) if obj is not None and obj.pk is not None else queryset
