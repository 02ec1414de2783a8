"""Reads of the roster."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core import permissions as gate
from supervisors.choices import SupervisorStatus
from supervisors.models import Supervisor


def supervisor_list(user: Any) -> QuerySet[Supervisor]:
    return gate.restrict(Supervisor.objects.select_related("employer", "user"), user, "supervisors.supervisor.view")


def active_supervisors(on: date | None = None) -> QuerySet[Supervisor]:
    """Supervisors in term on ``on`` (for assigning tasks; not user-scoped)."""
    day = on or timezone.localdate()
    return Supervisor.objects.filter(status=SupervisorStatus.ACTIVE, term_start__lte=day, term_end__gte=day).select_related("employer")


def conflicted_units_q(supervisor: Supervisor) -> Any:
    """Units a supervisor must never inspect: the employer, everything above it and
    everything below it (RULES.md §1, 回避)."""
    from django.db.models import Q

    employer = supervisor.employer
    ancestors = [int(pk) for pk in employer.path.strip("/").split("/") if pk]
    return Q(pk__in=ancestors) | Q(path__startswith=employer.path)
