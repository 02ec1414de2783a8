"""Background work inside the web process, for the embedded default (XN_TASKS=inprocess).

A small thread pool runs queued tasks after their transaction commits, so that no request
waits for them; a scheduler thread (started by ``make run`` through XN_SCHEDULER=1) runs
the periodic table. Production uses Celery workers and beat instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import close_old_connections
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="xn-task")
        return _executor


def _run(func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    close_old_connections()
    try:
        func(*args)
    except Exception:
        log.exception("background task %s failed", getattr(func, "name", func))
    finally:
        close_old_connections()


def submit(func: Callable[..., Any], *args: Any) -> None:
    _pool().submit(_run, func, args)


def _scheduler() -> None:
    from core.periodic import entries

    last_run: dict[str, float] = {}
    time.sleep(15)  # let the server finish starting before the first run
    while True:
        now = time.monotonic()
        for name, entry in entries().items():
            if now - last_run.get(name, -1e12) >= entry.minutes * 60:
                last_run[name] = now
                try:
                    submit(import_string(entry.task))
                except ImportError:
                    log.exception("periodic task %s not found", entry.task)
        time.sleep(30)


def start_scheduler() -> None:
    thread = threading.Thread(target=_scheduler, name="xn-scheduler", daemon=True)
    thread.start()
    log.info("in-process scheduler started")
