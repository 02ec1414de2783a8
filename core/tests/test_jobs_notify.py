"""Background jobs with progress and results; notifications to the inbox and outward."""

import pytest
from django.core import mail

from core import jobs, notify
from core.models import Delivery, DeliveryStatus, Job, JobStatus, Notification, NotificationPreference
from core.testing import client_for

pytestmark = pytest.mark.django_db


def _handler(job: Job, progress: jobs.Progress) -> None:
    progress.total(3)
    for i in range(1, 4):
        progress.advance(i)
    jobs.attach_result(job, "结果.xlsx", b"PK-not-really")
    job.report = {"summary": "三行"}


def _failing(job: Job, progress: jobs.Progress) -> None:
    raise RuntimeError("磁盘已满")


jobs.register_handler("test.ok", _handler)
jobs.register_handler("test.fail", _failing)


def test_job_runs_reports_and_notifies(world) -> None:
    job = jobs.job_start(kind="test.ok", title="测试任务", user=world.office)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 3 and job.total == 3
    assert job.report["summary"] == "三行" and job.result_name == "结果.xlsx"
    assert Notification.objects.filter(recipient=world.office, kind="core.job_finished").exists()
    client = client_for(world.office)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and "已完成" in page.content.decode()
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK-not-really"
    # another user cannot see or download it
    assert client_for(world.office_head).get(f"/jobs/{job.pk}/").status_code == 404
    assert client_for(world.liaison_a).get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_failing_job_is_recorded_not_raised(world) -> None:
    job = jobs.job_start(kind="test.fail", title="会失败", user=world.office)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "磁盘已满" in job.message


def test_unknown_job_kind_is_refused(world) -> None:
    with pytest.raises(ValueError):
        jobs.job_start(kind="nope", title="x", user=world.office)


def test_notify_inbox_and_channels_by_preference(world) -> None:
    world.office.email = "office@example.gov.cn"
    world.office.save()
    NotificationPreference.objects.create(user=world.office, kind="core.message", channels=["email", "sms"])
    notes = notify.notify(recipients=[world.office, world.liaison_a, None], kind="core.message", title="请核查", body="详见平台")
    assert len(notes) == 2
    assert notify.unread_count(world.office) == 1
    office_deliveries = Delivery.objects.filter(notification__recipient=world.office)
    assert {d.channel: d.status for d in office_deliveries} == {"email": DeliveryStatus.SENT, "sms": DeliveryStatus.SKIPPED}
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "请核查"
    # the liaison has no preference: the kind's default (log) applies
    assert list(Delivery.objects.filter(notification__recipient=world.liaison_a).values_list("channel", "status")) == [("log", "sent")]


def test_unknown_kind_is_refused(world) -> None:
    with pytest.raises(ValueError):
        notify.notify(recipients=[world.office], kind="nope", title="x")


def test_inbox_page_mark_read_and_header_count(world) -> None:
    note = notify.notify(recipients=[world.office], kind="core.message", title="待办一", url="/org/units/")[0]
    client = client_for(world.office)
    home = client.get("/")
    assert 'data-testid="unread-count">1<' in home.content.decode()
    response = client.get(f"/inbox/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/org/units/"
    assert notify.unread_count(world.office) == 0
    # nobody opens another's message
    assert client_for(world.liaison_a).get(f"/inbox/{note.pk}/").status_code == 404
    api = client.get("/api/v1/core/notifications/")
    assert api.status_code == 200 and api.json()["count"] == 1
    assert client_for(world.liaison_a).get("/api/v1/core/notifications/").json()["count"] == 0


def test_failed_delivery_is_retried_by_the_periodic_task(world, monkeypatch) -> None:
    from core import tasks

    world.office.email = "office@example.gov.cn"
    world.office.save()
    NotificationPreference.objects.create(user=world.office, kind="core.message", channels=["email"])

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(notify, "send_mail", broken)
    notify.notify(recipients=[world.office], kind="core.message", title="x")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1 and "SMTP down" in delivery.last_error
    monkeypatch.undo()
    tasks.deliver_pending()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
