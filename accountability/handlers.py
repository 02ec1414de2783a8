"""What accountability does when the cases and inspections modules publish (core.events).

The handlers run inside the publisher's transaction, so the charge and the proposals it
brings commit or roll back with the judgement that caused them. They only call the
services: record or withdraw the charge; the services evaluate the rules.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accountability import services
from accountability.choices import ChargeStatus
from accountability.models import Charge
from core import events


def on_complaint_valid(case: Any, **_kwargs: Any) -> None:
    services.charge_complaint(case=case)


def on_complaint_invalidated(case: Any, **_kwargs: Any) -> None:
    for charge in Charge.objects.filter(case_id=case.pk, status=ChargeStatus.ACTIVE):
        services.charge_withdraw(charge=charge, reason=_("有效投诉认定已撤销"))


def on_finding_verified_true(finding: Any, **_kwargs: Any) -> None:
    services.charge_finding(finding=finding)


def on_finding_untrue(finding: Any, **_kwargs: Any) -> None:
    for charge in Charge.objects.filter(finding_id=finding.pk, status=ChargeStatus.ACTIVE):
        services.charge_withdraw(charge=charge, reason=_("问题经复核认定不属实"))


def subscribe() -> None:
    events.subscribe("cases.complaint.valid", on_complaint_valid)
    events.subscribe("cases.complaint.invalidated", on_complaint_invalidated)
    events.subscribe("inspections.finding.verified_true", on_finding_verified_true)
    events.subscribe("inspections.finding.untrue_on_review", on_finding_untrue)
