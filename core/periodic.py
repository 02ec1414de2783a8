"""The table of periodic work, filled by each app in its ``AppConfig.ready``.

Celery beat (production) and the in-process scheduler (demo) both read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    task: str  # dotted name of a Celery task
    minutes: int


_entries: dict[str, Entry] = {}


def register(name: str, task: str, minutes: int) -> None:
    _entries[name] = Entry(task=task, minutes=minutes)


def entries() -> dict[str, Entry]:
    return dict(_entries)
