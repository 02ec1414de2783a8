"""/healthz names the database and the task backend; 503 when the database is down."""

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthy() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True and body["database"]["vendor"] in {"sqlite", "postgresql"}
    assert body["tasks"]["backend"] == "eager"


def test_database_unreachable_gives_503() -> None:
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"vendor": response.json()["database"]["vendor"], "ok": False, "error": "OperationalError"}


def test_celery_backend_reports_the_broker(settings) -> None:
    settings.XN_TASKS = "celery"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = Client().get("/healthz")
    assert response.status_code == 200  # the site still serves pages
    assert response.json()["status"] == "degraded"
    assert response.json()["tasks"] == {"backend": "celery", "broker": "redis", "ok": False, "error": "ConnectionError"}
