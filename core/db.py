"""The seam for PostgreSQL read replicas (DATABASE_REPLICA_URLS).

Reads go to the primary by default, so that a user always sees what they just wrote.
Heavy read-only work (reports, statistics, exports) opts in with ``with reading_replica():``
and then reads from a replica; writes always go to the primary.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


@contextmanager
def reading_replica() -> Iterator[None]:
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _use_replica.get():
            return None
        replicas = [alias for alias in settings.DATABASES if alias.startswith("replica")]
        return random.choice(replicas) if replicas else None  # noqa: S311 (load spreading, not security)

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
