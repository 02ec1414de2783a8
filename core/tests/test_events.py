"""Domain events reach their subscribers, inside the publisher's transaction."""

import pytest
from django.db import transaction

from core import events
from core.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_subscribers_run_in_the_publishers_transaction() -> None:
    from datetime import date

    seen: list[int] = []

    def handler(*, n: int) -> None:
        seen.append(n)
        CalendarDay.objects.create(date=date(2026, 5, n), kind="holiday")

    events.subscribe("test.event", handler)
    events.subscribe("test.event", handler)  # subscribing twice does not run twice
    events.publish("test.event", n=6)
    assert seen == [6]
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("test.event", n=7)
        raise RuntimeError("roll back")
    assert not CalendarDay.objects.filter(date=date(2026, 5, 7)).exists()
    events.publish("nobody.listens", n=1)
