"""The one permission gate of the platform (STYLE.md: "one permission gate").

Who may do what is *data*: every app declares, in its ``rules.py``, a table
``RULES = {"<app>.<noun>.<action>": {role: scope}}``. A role missing from a permission's
row may not use it at all (HTTP 403); a role that may use it sees only what its scope
allows (anything else is HTTP 404, never the data):

* ``ALL``  — everything (the office, city leaders);
* ``UNIT`` — the user's unit and its sub-units (unit liaisons and heads);
* ``OWN``  — only what the model says is the user's own (``gate_own_q``), e.g. a
  supervisor's own tasks.

Models say how they hang off the unit tree with ``gate_unit_field`` (a lookup path to a
``Unit``, ``""`` for ``Unit`` itself) or ``gate_unit_q(unit)`` for anything more complex.
Views and API call only ``can``, ``restrict``, ``get_object`` and ``check``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", _("效能办工作人员")
    OFFICE_HEAD = "office_head", _("效能办负责人")
    SUPERVISOR = "supervisor", _("效能监督员")
    UNIT_LIAISON = "unit_liaison", _("单位联络员")
    UNIT_HEAD = "unit_head", _("单位主要负责人")
    RATER = "rater", _("评议代表")
    VIEWER = "viewer", _("市领导（只读）")
    ACCOUNT_ADMIN = "account_admin", _("账号管理员")


OFFICE_ROLES = frozenset({Role.OFFICE_STAFF, Role.OFFICE_HEAD})
UNIT_ROLES = frozenset({Role.UNIT_LIAISON, Role.UNIT_HEAD})
# Roles that must use a second factor (RULES.md §9).
TWO_FACTOR_ROLES = OFFICE_ROLES | UNIT_ROLES | {Role.ACCOUNT_ADMIN}


class Scope(StrEnum):
    ALL = "all"
    UNIT = "unit"
    OWN = "own"


ALL, UNIT, OWN = Scope.ALL, Scope.UNIT, Scope.OWN

_RULES: dict[str, dict[str, Scope]] = {}


def register(rules: Mapping[str, Mapping[str, Scope]]) -> None:
    """Add an app's rules. Called for every ``<app>.rules`` module at start-up."""
    for perm, row in rules.items():
        if perm in _RULES:
            raise ImproperlyConfigured(f"permission {perm} is declared twice")
        for role, scope in row.items():
            if role not in Role.values:
                raise ImproperlyConfigured(f"{perm}: unknown role {role}")
            if scope not in Scope.__members__.values():
                raise ImproperlyConfigured(f"{perm}: unknown scope {scope}")
        _RULES[perm] = {str(role): Scope(scope) for role, scope in row.items()}


def rules() -> Mapping[str, Mapping[str, Scope]]:
    return _RULES


def scope_of(user: Any, perm: str) -> Scope | None:
    """The scope in which ``user`` holds ``perm``, or None if they do not hold it."""
    try:
        row = _RULES[perm]
    except KeyError as exc:
        raise ImproperlyConfigured(f"unknown permission {perm!r}") from exc
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return row.get(getattr(user, "role", ""))


def can(user: Any, perm: str) -> bool:
    """Whether the user's role may use ``perm`` at all (in some scope)."""
    return scope_of(user, perm) is not None


def check(user: Any, perm: str) -> Scope:
    """Raise PermissionDenied (HTTP 403) unless the role may use ``perm``."""
    scope = scope_of(user, perm)
    if scope is None:
        raise PermissionDenied
    return scope


def unit_q(model: type[models.Model], unit: Any) -> Q:
    """Rows of ``model`` that belong to ``unit`` or any unit below it."""
    custom = getattr(model, "gate_unit_q", None)
    if custom is not None:
        return custom(unit)
    field = getattr(model, "gate_unit_field", None)
    if field is None:
        raise ImproperlyConfigured(f"{model.__name__} declares neither gate_unit_field nor gate_unit_q")
    prefix = f"{field}__" if field else ""
    return Q(**{f"{prefix}path__startswith": unit.path})


def restrict(queryset: QuerySet, user: Any, perm: str) -> QuerySet:
    """Only the rows of ``queryset`` that ``user`` may see under ``perm``."""
    scope = scope_of(user, perm)
    if scope is None:
        return queryset.none()
    if scope is ALL:
        return queryset
    model = queryset.model
    if scope is UNIT:
        unit = getattr(user, "unit", None)
        if unit is None:
            return queryset.none()
        return queryset.filter(unit_q(model, unit))
    own = getattr(model, "gate_own_q", None)
    if own is None:
        raise ImproperlyConfigured(f"{model.__name__} has no gate_own_q for scope 'own'")
    return queryset.filter(own(user))


def get_object(user: Any, perm: str, queryset: QuerySet | type[models.Model], **lookup: Any) -> Any:
    """The object named by ``lookup`` if ``user`` may use ``perm`` on it.

    403 if the role may not use ``perm`` at all; 404 if the object does not exist *or*
    lies outside the user's scope, so that nobody learns what exists elsewhere.
    """
    check(user, perm)
    qs = queryset if isinstance(queryset, QuerySet) else queryset._default_manager.all()
    try:
        return restrict(qs, user, perm).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def allows(user: Any, perm: str, obj: models.Model) -> bool:
    """Whether ``perm`` covers this very object for ``user``."""
    if not can(user, perm):
        return False
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, perm).exists()
