"""The kinds of message accountability sends (core.notify), and who receives them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.notify import notify, register_kind
from core.permissions import UNIT_ROLES, Role

PROPOSAL = "accountability.proposal"
DECISION = "accountability.decision"
REVIEW = "accountability.review"
OVERDUE = "accountability.overdue"

register_kind(PROPOSAL, "问责建议待决定", ())
register_kind(DECISION, "问责决定", ())
register_kind(REVIEW, "问责决定待复核", ())
register_kind(OVERDUE, "道歉或问责措施逾期未落实", ("sms",))


def unit_users(units: Any) -> QuerySet:
    """The liaisons and heads of these units and of every unit above them."""
    from accounts.models import User

    ids: set[int] = set()
    for unit in units:
        if unit is not None:
            ids.update(int(pk) for pk in unit.path.strip("/").split("/") if pk)
    return User.objects.filter(unit_id__in=sorted(ids), role__in=sorted(UNIT_ROLES), is_active=True)


def office_users(head_only: bool = False) -> QuerySet:
    from accounts.models import User

    roles = [Role.OFFICE_HEAD] if head_only else [Role.OFFICE_HEAD, Role.OFFICE_STAFF]
    return User.objects.filter(role__in=roles, is_active=True)


def person_users(staff: Any) -> QuerySet:
    """The account of the person concerned, if they have one."""
    from accounts.models import User

    if staff is None:
        return User.objects.none()
    return User.objects.filter(Q(staff=staff), is_active=True)


def send(recipients: Any, kind: str, title: str, url: str = "", body: str = "") -> None:
    notify(recipients=list(recipients), kind=kind, title=title, url=url, body=body)
