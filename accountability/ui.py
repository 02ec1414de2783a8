"""Accountability's places in the navigation and on home pages: the office's queue
(proposals to decide, decisions to review, overdue apologies and measures), a unit's
apologies and measures to carry out, and a person's own record."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accountability import selectors
from core import permissions as gate
from core.registry import home_panel, nav_item

ACCOUNTABILITY = _("问责")
nav_item(_("问责建议"), "accountability:proposals", "accountability.proposal.view", order=400, group=ACCOUNTABILITY)
nav_item(_("问责记录"), "accountability:sanctions", "accountability.sanction.view", order=410, group=ACCOUNTABILITY)
nav_item(_("一把手道歉"), "accountability:apologies", "accountability.apology.view", order=420, group=ACCOUNTABILITY)
nav_item(_("单位问责情况"), "accountability:units", "accountability.unit.view", order=430, group=ACCOUNTABILITY)
nav_item(_("问责事由"), "accountability:charges", "accountability.charge.view", order=440, group=ACCOUNTABILITY)
nav_item(_("问责统计"), "accountability:figures", "accountability.figures.view", order=450, group=ACCOUNTABILITY)


def _office(request: Any) -> dict[str, Any]:
    return selectors.office_panel(request.user)


def _unit(request: Any) -> dict[str, Any] | None:
    if gate.scope_of(request.user, "accountability.unit.view") is not gate.UNIT:
        return None
    return selectors.unit_panel(request.user)


def _person(request: Any) -> dict[str, Any] | None:
    return selectors.person_panel(request.user)


home_panel("accountability_office", "accountability/panels/office.html", "accountability.proposal.view", _office, order=40)
home_panel("accountability_unit", "accountability/panels/unit.html", "accountability.unit.view", _unit, order=40)
home_panel("accountability_person", "accountability/panels/person.html", "accountability.record.view", _person, order=45)
