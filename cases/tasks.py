"""Background tasks of the cases module (Celery tasks; the periodic table is registered
in ``CasesConfig.ready``): the deadline scan, the classifier's retraining, and the frozen
monthly "three rates" ranking."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="cases.tasks.deadline_scan")
def deadline_scan() -> dict[str, int]:
    """Warnings, reminders and escalation prompts (hourly)."""
    from cases.services import deadline_scan as scan

    result = scan()
    log.info("cases deadline scan: %s", result)
    return result.__dict__


@shared_task(name="cases.tasks.routing_retrain")
def routing_retrain() -> str:
    """Retrain the routing classifier on the office's dispatch history (daily)."""
    from cases.routing import routing_train

    outcome = routing_train(actor=None)
    log.info("cases routing retrain: %s", outcome.message)
    return outcome.message


@shared_task(name="cases.tasks.ranking_snapshot")
def ranking_snapshot() -> str:
    """Freeze last month's "three rates" ranking once the month is over (daily check)."""
    from cases.figures import ranking_freeze_last_month

    snapshot = ranking_freeze_last_month()
    return str(snapshot) if snapshot else ""
