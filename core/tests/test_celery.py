"""Production's task path: Celery over Redis, with a real worker (skipped without Redis)."""

from __future__ import annotations

import socket

import pytest
from django.db import transaction

from core.models import Delivery, DeliveryStatus, NotificationPreference


def _redis_up() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379"),
]


def test_notification_delivered_by_a_celery_worker_after_commit(settings) -> None:
    from celery.contrib.testing.worker import start_worker

    from core import notify
    from core.testing import build_world
    from xiaoneng.celery import app

    settings.XN_TASKS = "celery"
    world = build_world()
    NotificationPreference.objects.create(user=world.office, kind="core.message", channels=["log"])
    app.conf.broker_url = "redis://127.0.0.1:6379/15"
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        with transaction.atomic():
            notify.notify(recipients=[world.office], kind="core.message", title="经由Celery")
            # nothing is sent before the transaction commits
            assert Delivery.objects.get().status == DeliveryStatus.PENDING
        import time

        for _ in range(100):
            if Delivery.objects.get().status == DeliveryStatus.SENT:
                break
            time.sleep(0.1)
    assert Delivery.objects.get().status == DeliveryStatus.SENT
