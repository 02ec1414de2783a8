"""The Celery application used in production (XN_TASKS=celery).

Start workers with ``celery -A xiaoneng worker`` and the scheduler with
``celery -A xiaoneng beat``. The periodic table is the one the apps register in
``core.periodic`` — the same table the in-process scheduler of the demo reads.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")

app = Celery("xiaoneng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule(sender: Celery, **kwargs: Any) -> None:
    from datetime import timedelta

    from core.periodic import entries

    for name, entry in entries().items():
        sender.add_periodic_task(timedelta(minutes=entry.minutes), sender.signature(entry.task), name=name)
