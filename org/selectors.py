"""Reads of the registry, always through the gate."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core import permissions as gate
from org.models import Enterprise, Post, Staff, Unit, UnitCategory, Whereabouts


def unit_list(user: Any) -> QuerySet[Unit]:
    return gate.restrict(Unit.objects.select_related("parent", "category"), user, "org.unit.view")


def unit_choices(user: Any, perm: str = "org.unit.view") -> QuerySet[Unit]:
    """Units the user may pick in a form (active, in scope)."""
    return gate.restrict(Unit.objects.filter(is_active=True), user, perm).order_by("path")


def unit_get(user: Any, pk: int, perm: str = "org.unit.view") -> Unit:
    return gate.get_object(user, perm, Unit.objects.select_related("parent", "category"), pk=pk)


def unit_detail(user: Any, unit: Unit) -> dict[str, Any]:
    """What the unit page shows: its sub-units, posts and current whereabouts, each only
    if the user may see it."""
    children = unit_list(user).filter(parent=unit).annotate(n_staff=Count("staff", filter=Q(staff__is_active=True)))
    posts = gate.restrict(Post.objects.filter(unit=unit).select_related("holder", "backup"), user, "org.post.view")
    away = gate.restrict(Whereabouts.objects.current(), user, "org.whereabouts.view").filter(staff__unit=unit).select_related("staff")
    staff_count = gate.restrict(Staff.objects.filter(unit=unit, is_active=True), user, "org.staff.view").count()
    return {"children": children, "posts": posts, "away": away, "staff_count": staff_count}


def category_list(user: Any) -> QuerySet[UnitCategory]:
    return gate.restrict(UnitCategory.objects.annotate(n_units=Count("units")), user, "org.category.view")


def staff_list(user: Any) -> QuerySet[Staff]:
    return gate.restrict(Staff.objects.select_related("unit"), user, "org.staff.view")


def staff_get(user: Any, pk: int, perm: str = "org.staff.view") -> Staff:
    return gate.get_object(user, perm, Staff.objects.select_related("unit"), pk=pk)


def staff_choices(user: Any, unit: Unit | None = None, perm: str = "org.staff.view") -> QuerySet[Staff]:
    qs = gate.restrict(Staff.objects.filter(is_active=True).select_related("unit"), user, perm)
    return qs.filter(unit=unit) if unit is not None else qs


def post_list(user: Any) -> QuerySet[Post]:
    return gate.restrict(Post.objects.select_related("unit", "holder", "backup"), user, "org.post.view")


def whereabouts_list(user: Any) -> QuerySet[Whereabouts]:
    return gate.restrict(Whereabouts.objects.select_related("staff", "staff__unit"), user, "org.whereabouts.view")


def enterprise_list(user: Any) -> QuerySet[Enterprise]:
    return gate.restrict(Enterprise.objects.all(), user, "org.enterprise.view")


def board(token: str) -> dict[str, Any] | None:
    """The public whereabouts board of a unit (by its unguessable board address): who of
    the unit and its sub-units is away now, until when, and who stands in."""
    unit = Unit.objects.filter(board_token=token, is_active=True).first()
    if unit is None:
        return None
    now = timezone.now()
    notices = list(
        Whereabouts.objects.current(now)
        .filter(staff__unit__path__startswith=unit.path)
        .select_related("staff", "staff__unit")
        .prefetch_related(Prefetch("staff__posts_held", queryset=Post.objects.filter(is_active=True).select_related("backup")))
        .order_by("expected_return")
    )
    return {"unit": unit, "notices": notices, "now": now}
