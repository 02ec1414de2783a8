"""Fixtures every app's tests use (see core.testing for the personas)."""

from __future__ import annotations

import os
from typing import Any

import pytest


def pytest_report_header(config: Any) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"xiaoneng: database {engine}, tasks {settings.XN_TASKS}"]


@pytest.fixture(scope="session", autouse=True)
def _require_postgres(django_db_setup: Any, django_db_blocker: Any) -> None:
    """CI sets XN_REQUIRE_POSTGRES=1: the suite must really run on PostgreSQL."""
    if os.environ.get("XN_REQUIRE_POSTGRES") == "1":
        from django.db import connection

        with django_db_blocker.unblock():
            if connection.vendor != "postgresql":
                pytest.exit(f"XN_REQUIRE_POSTGRES=1 but the database is {connection.vendor}", returncode=3)


@pytest.fixture(autouse=True)
def _isolated_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    from django.core.cache import cache

    from core import calendar

    cache.clear()
    calendar.reset_cache()
    yield
    cache.clear()


@pytest.fixture
def world(db: Any) -> Any:
    from core.testing import build_world

    return build_world()
