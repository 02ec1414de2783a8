"""Background work: the one seam every app uses to queue a task, and long jobs with
progress (imports, exports, reports).

``enqueue(task, *args)`` runs a Celery task the way ``settings.XN_TASKS`` says:
``celery`` sends it to the workers after the transaction commits; ``inprocess`` hands it
to the in-process thread pool after commit; ``eager`` (tests) runs it at once.

A job handler is registered under a kind with ``register_handler``; it receives the
``Job`` and a ``Progress`` and returns nothing; it fills ``job.report``, ``job.result_file``
and may set ``job.status`` to REJECTED (an import refused as a whole).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.models import Job, JobStatus

log = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], None]
_handlers: dict[str, Handler] = {}


def enqueue(task: Any, *args: Any) -> None:
    mode = settings.XN_TASKS
    if mode == "eager":
        task(*args)
    elif mode == "celery":
        transaction.on_commit(lambda: task.delay(*args))
    else:
        from core import inprocess

        transaction.on_commit(lambda: inprocess.submit(task, *args))


def register_handler(kind: str, handler: Handler) -> None:
    _handlers[kind] = handler


def progress_key(job_id: int) -> str:
    return f"core:job:{job_id}:progress"


class Progress:
    """Reports progress of a running job through the cache, not the database: the job's
    own writes may sit in a transaction the page cannot see until it commits."""

    def __init__(self, job: Job, step: int = 20) -> None:
        self.job = job
        self.step = step
        self._last = 0

    def total(self, total: int) -> None:
        self.job.total = total
        cache.set(progress_key(self.job.pk), (0, total, ""), 3600)

    def advance(self, done: int, message: str = "") -> None:
        self.job.progress = done
        if done - self._last >= self.step or done >= self.job.total:
            self._last = done
            cache.set(progress_key(self.job.pk), (done, self.job.total, message[:300]), 3600)


def job_live(job: Job) -> Job:
    """The job with its live progress while it runs."""
    if job.status == JobStatus.RUNNING:
        live = cache.get(progress_key(job.pk))
        if live:
            job.progress, job.total, job.message = live
    return job


def job_start(*, kind: str, title: str, user: Any, params: dict[str, Any] | None = None, upload: File | None = None) -> Job:
    """Create a job and queue it. The caller has checked the user's permission."""
    if kind not in _handlers:
        raise ValueError(f"unknown job kind {kind}")
    from core.tasks import run_job

    with transaction.atomic():
        job = Job.objects.create(kind=kind, title=title, created_by=user, params=params or {})
        if upload is not None:
            job.input_file.save(getattr(upload, "name", "upload.bin").rsplit("/", 1)[-1], upload, save=True)
        audit_record(action="core.job.start", actor=user, obj=job, detail={"kind": kind})
        enqueue(run_job, job.pk)
    return job


def job_run(job_id: int) -> None:
    """Run one job (called by the task). A failure is recorded on the job, never raised."""
    updated = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING, started_at=timezone.now())
    if not updated:
        return  # already taken by another worker
    job = Job.objects.get(pk=job_id)
    handler = _handlers[job.kind]
    try:
        handler(job, Progress(job))
    except Exception as exc:  # the job page must say what happened
        log.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, message=_("处理失败：%(error)s") % {"error": str(exc)[:250]}, finished_at=timezone.now()
        )
        return
    status = job.status if job.status == JobStatus.REJECTED else JobStatus.DONE
    job.status = status
    job.finished_at = timezone.now()
    job.progress = job.total
    job.save(update_fields=["status", "finished_at", "progress", "total", "report", "result_file", "result_name", "message"])
    cache.delete(progress_key(job.pk))
    from core.notify import notify

    notify(
        recipients=[job.created_by],
        kind="core.job_finished",
        title=_("%(title)s：%(status)s") % {"title": job.title, "status": job.get_status_display()},
        url=f"/jobs/{job.pk}/",
    )


def attach_result(job: Job, name: str, content: bytes) -> None:
    job.result_name = name
    job.result_file.save(name, ContentFile(content), save=False)
