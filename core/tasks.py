"""Background tasks of the core app (Celery tasks; see core.jobs.enqueue)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone


@shared_task(name="core.tasks.run_job")
def run_job(job_id: int) -> None:
    from core.jobs import job_run

    job_run(job_id)


@shared_task(name="core.tasks.deliver")
def deliver(delivery_ids: list[int]) -> None:
    from core.notify import deliver_now

    deliver_now(delivery_ids)


@shared_task(name="core.tasks.deliver_pending")
def deliver_pending() -> None:
    """Retry outward deliveries that failed or were never sent (at most 5 attempts)."""
    from core.models import Delivery, DeliveryStatus
    from core.notify import deliver_now

    ids = list(
        Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], attempts__lt=5).values_list("id", flat=True)[
            :1000
        ]
    )
    if ids:
        deliver_now(ids)


@shared_task(name="core.tasks.purge_old_jobs")
def purge_old_jobs() -> None:
    """Delete result files of jobs older than 30 days (the job rows stay)."""
    from core.models import Job

    for job in Job.objects.filter(finished_at__lt=timezone.now() - timedelta(days=30)).exclude(result_file=""):
        job.result_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result_file="")
