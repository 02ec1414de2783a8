"""The one notification service every module uses.

``notify(recipients=…, kind=…, title=…)`` puts a message in each recipient's in-app inbox
and queues its outward copies (email, SMS, log) for a background task — never sent inside
the request. Which outward channels a user gets for a kind is their preference, falling
back to the kind's default. The SMS gateway is pluggable (``XN_SMS_GATEWAY``): any class
with ``send(phone, text)``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import Delivery, DeliveryStatus, Notification, NotificationPreference

log = logging.getLogger(__name__)

CHANNELS = {"email": "电子邮件", "sms": "短信", "log": "日志（演示）"}


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    default_channels: tuple[str, ...] = field(default=())


_kinds: dict[str, Kind] = {}


def register_kind(code: str, label: str, default_channels: Iterable[str] = ()) -> None:
    _kinds[code] = Kind(code, label, tuple(default_channels))


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


register_kind("core.job_finished", "后台任务完成", ())
register_kind("core.message", "一般消息", ("log",))
register_kind("accounts.security", "账号安全提醒", ("email", "log"))


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSmsGateway:
    """The demo's SMS gateway: writes the message to the log instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone[:3] + "****" + phone[-4:], text)


def channels_for(user: Any, kind: str) -> list[str]:
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if pref is not None:
        return [c for c in pref.channels if c in CHANNELS]
    known = _kinds.get(kind)
    return list(known.default_channels) if known else []


def notify(*, recipients: Iterable[Any], kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Inbox copies now, outward copies by a background task after commit."""
    from core.jobs import enqueue
    from core.tasks import deliver

    if kind not in _kinds:
        raise ValueError(f"unknown notification kind {kind}")
    created: list[Notification] = []
    delivery_ids: list[int] = []
    with transaction.atomic():
        for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
            note = Notification.objects.create(recipient=user, kind=kind, title=title[:200], body=body, url=url)
            created.append(note)
            for channel in channels_for(user, kind):
                delivery_ids.append(Delivery.objects.create(notification=note, channel=channel).pk)
        if delivery_ids:
            enqueue(deliver, delivery_ids)
    return created


def _send(delivery: Delivery) -> str:
    """Send one copy; return the new status."""
    note = delivery.notification
    user = note.recipient
    text = f"{note.title}\n{note.body}".strip()
    if delivery.channel == "email":
        if not user.email:
            return DeliveryStatus.SKIPPED
        send_mail(note.title, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    elif delivery.channel == "sms":
        if not getattr(user, "phone", ""):
            return DeliveryStatus.SKIPPED
        gateway: SmsGateway = import_string(settings.XN_SMS_GATEWAY)()
        gateway.send(user.phone, text[:300])
    elif delivery.channel == "log":
        log.info("notification to %s: %s", user.get_username(), text)
    else:
        return DeliveryStatus.SKIPPED
    return DeliveryStatus.SENT


def deliver_now(delivery_ids: list[int]) -> None:
    for delivery in Delivery.objects.select_related("notification__recipient").filter(
        pk__in=delivery_ids, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]
    ):
        try:
            status = _send(delivery)
            error = ""
        except Exception as exc:  # a failed channel must not stop the others
            log.warning("delivery %s failed: %s", delivery.pk, exc)
            status, error = DeliveryStatus.FAILED, str(exc)[:300]
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status,
            attempts=delivery.attempts + 1,
            last_error=error,
            sent_at=timezone.now() if status == DeliveryStatus.SENT else None,
        )


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
