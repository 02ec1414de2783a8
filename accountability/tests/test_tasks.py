"""The periodic tasks: the daily reconciliation with the cases and inspections modules (a
missed event never leaves a count wrong) and the follow-through reminders."""

from __future__ import annotations

from typing import Any

import pytest

from accountability import tasks
from accountability.models import Charge, Proposal
from accountability.tests.helpers import at, valid_complaint
from cases.choices import Verdict
from cases.models import Case
from core import events

pytestmark = pytest.mark.django_db


def test_the_daily_sync_charges_what_an_event_missed_and_withdraws_what_no_longer_stands(acc: Any, monkeypatch: Any) -> None:
    # the events are lost (e.g. records written by an import): nothing is charged
    monkeypatch.setattr(events, "_subscribers", {})
    first = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    second = valid_complaint(acc, acc.clerk, at(2026, 3, 9))
    assert not Charge.objects.exists()
    acc.clock.set(at(2026, 3, 10, 2))
    assert tasks.charges_sync() == {"recorded": 2, "withdrawn": 0}
    assert [p.year_count for p in Proposal.objects.filter(kind="sanction").order_by("pk")] == [1, 2]
    assert tasks.charges_sync() == {"recorded": 0, "withdrawn": 0}  # idempotent
    # the first judgement is withdrawn without telling anyone: the sync notices
    Case.objects.filter(pk=first.pk).update(verdict=Verdict.NONE, verdict_at=None, charged_unit=None)
    assert tasks.charges_sync() == {"recorded": 0, "withdrawn": 1}
    pending = Proposal.objects.get(kind="sanction", status="pending")
    assert (pending.trigger.case_id, pending.year_count) == (second.pk, 1)


def test_the_follow_through_task_reports_what_it_reminded(acc: Any) -> None:
    assert tasks.follow_through_scan() == {"apologies": 0, "sanctions": 0}
