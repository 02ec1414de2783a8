"""Background tasks of accountability (Celery tasks; the periodic table is registered in
``AccountabilityConfig.ready``)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

log = logging.getLogger(__name__)


@shared_task(name="accountability.tasks.follow_through_scan")
def follow_through_scan() -> dict[str, int]:
    """Reminders for apologies not made and measures not carried out by their due date (daily)."""
    from accountability.services import follow_through_scan as scan

    result = scan()
    log.info("accountability follow-through: %s", result)
    return result.__dict__


@shared_task(name="accountability.tasks.charges_sync")
def charges_sync() -> dict[str, int]:
    """Reconcile charges with the cases and inspections modules (daily)."""
    from accountability.ladder import months_before
    from accountability.services import charges_sync as sync
    from core.selectors import policy_document

    today = timezone.localdate()
    _version, document = policy_document(on=today)
    # far enough back for every count the rules can still use: the rolling window and a year
    start = months_before(today, document.accountability.dismissal_window_months + 12)
    result = sync(start=start)
    log.info("accountability sync: %s", result)
    return result.__dict__
