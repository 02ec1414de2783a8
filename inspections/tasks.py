"""Periodic work of inspections (registered in InspectionsConfig.ready)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="inspections.tasks.check_deadlines")
def check_deadlines() -> dict[str, int]:
    """Remind units of verifications and rectifications about to fall due; flag the overdue."""
    from inspections.services import deadlines_check

    return deadlines_check()
