"""Periodic work of evaluations: reminders for service-rating fixes past their deadline."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="evaluations.tasks.ratings_overdue")
def ratings_overdue() -> int:
    from evaluations.services import ratings_flag_overdue

    return ratings_flag_overdue()
