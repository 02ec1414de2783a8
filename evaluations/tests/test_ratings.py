"""好差评 (RULES.md §2a): every bad rating with a contact called back, verified, fixed at
once / by a deadline in working days / explained, the fix rated; appeals decided by the
office; overdue fixes reminded; repeated ratings flagged."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Notification
from evaluations import services
from evaluations.choices import AppealStatus, RatingStatus, Resolution
from evaluations.models import ServiceRating
from evaluations.tasks import ratings_overdue

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def _bad(world: Any, **kw: Any) -> ServiceRating:
    defaults = {
        "unit": world.window_a,
        "level": "dissatisfied",
        "comment": "等了一个小时",
        "contact_phone": "13800138000",
        "device": "d" * 30,
    }
    return services.rating_submit(**{**defaults, **kw})


def test_good_ratings_are_recorded_and_bad_ones_with_a_contact_are_all_queued(world: Any) -> None:
    good = services.rating_submit(unit=world.window_a, level="very_satisfied")
    anonymous_bad = services.rating_submit(unit=world.window_a, level="very_dissatisfied", device="e" * 30)
    named_bad = [_bad(world, device=f"{i}" * 30, contact_phone=f"1380013800{i}") for i in range(5)]
    assert (good.status, good.is_bad, good.score) == (RatingStatus.RECORDED, False, 100)
    assert anonymous_bad.status == RatingStatus.RECORDED and anonymous_bad.is_bad
    assert all(r.status == RatingStatus.CALLBACK for r in named_bad)  # 100% (policy callback_ratio 1.0)
    assert Notification.objects.filter(recipient=world.office, kind="evaluations.rating_bad").count() == 5


def test_repeated_ratings_from_one_device_phone_or_address_are_flagged(world: Any) -> None:
    first = services.rating_submit(unit=world.window_a, level="satisfied", device="x" * 30, ip="10.0.0.9")
    again = services.rating_submit(unit=world.window_a, level="satisfied", device="x" * 30)
    same_ip = services.rating_submit(unit=world.window_a, level="satisfied", device="y" * 30, ip="10.0.0.9")
    later = services.rating_submit(unit=world.window_a, level="satisfied", device="x" * 30, now=timezone.now() + timedelta(hours=25))
    assert (first.flags, again.flags, same_ip.flags, later.flags) == ([], ["repeat"], ["repeat"], [])


def test_bad_input_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.rating_submit(unit=world.window_a, level="great", comment="x" * 501)
    assert set(exc.value.message_dict) == {"level", "comment"}
    with pytest.raises(ValidationError) as exc:
        services.rating_submit(unit=world.window_a, level="dissatisfied", contact_phone="123")
    assert "contact_phone" in exc.value.message_dict
    assert not ServiceRating.objects.exists()


def test_fix_deadline_is_ten_working_days_over_national_day(world: Any) -> None:
    rating = _bad(world)
    # verified Friday 26 September 2025: 28 Sep (a working Sunday) … 1–8 Oct off … 11 Oct (a working Saturday)
    services.rating_callback(actor=world.office, rating=rating, verified=True, note="电话核实属实", now=_at(date(2025, 9, 26)))
    assert rating.status == RatingStatus.VERIFIED
    assert rating.due_date == date(2025, 10, 16)
    assert Notification.objects.filter(recipient=world.liaison_a, kind="evaluations.rating_action").exists()
    assert not Notification.objects.filter(recipient=world.liaison_b).exists()


def test_fix_days_come_from_the_policy(world: Any) -> None:
    from core.models import PolicyVersion

    version = PolicyVersion.objects.get(policy__is_current=True)
    version.document["ratings"] = {"fix_days": 5}
    version.save()
    rating = _bad(world)
    services.rating_callback(actor=world.office, rating=rating, verified=True, note="属实", now=_at(date(2025, 6, 6)))
    assert rating.due_date == date(2025, 6, 13)  # Mon 9 … Fri 13 June 2025


def test_fixed_by_deadline_then_rated(world: Any) -> None:
    rating = _bad(world)
    services.rating_callback(actor=world.office, rating=rating, verified=True, note="属实")
    with pytest.raises(ValidationError):
        services.rating_resolve(actor=world.liaison_a, rating=rating, resolution=Resolution.FIX_BY_DEADLINE, note="")
    services.rating_resolve(actor=world.liaison_a, rating=rating, resolution=Resolution.FIX_BY_DEADLINE, note="增设叫号屏，下周到位")
    assert rating.status == RatingStatus.FIXING
    services.rating_fixed(actor=world.liaison_a, rating=rating, note="叫号屏已安装")
    assert rating.status == RatingStatus.AWAITING_RATING and rating.fixed_at is not None
    services.rating_fix_rate(actor=world.office, rating=rating, level="satisfied")
    assert (rating.status, rating.fix_level) == (RatingStatus.CLOSED, "satisfied")


@pytest.mark.parametrize("resolution", [Resolution.FIXED_NOW, Resolution.EXPLAINED])
def test_fixed_at_once_or_explained_go_straight_to_the_raters_rating(world: Any, resolution: str) -> None:
    rating = _bad(world)
    services.rating_callback(actor=world.office, rating=rating, verified=True, note="属实")
    services.rating_resolve(actor=world.liaison_a, rating=rating, resolution=resolution, note="已当场处理并致歉")
    assert rating.status == RatingStatus.AWAITING_RATING
    assert (rating.fixed_at is not None) == (resolution == Resolution.FIXED_NOW)


def test_not_verified_closes_the_rating(world: Any) -> None:
    rating = _bad(world)
    services.rating_callback(actor=world.office, rating=rating, verified=False, note="评价人表示误点")
    assert (rating.status, rating.resolution) == (RatingStatus.CLOSED, Resolution.NOT_VERIFIED)
    with pytest.raises(ValidationError):
        services.rating_callback(actor=world.office, rating=rating, verified=True, note="再次")


def test_overdue_fixes_are_reminded_once(world: Any) -> None:
    rating = _bad(world)
    services.rating_callback(actor=world.office, rating=rating, verified=True, note="属实", now=_at(date(2025, 6, 6)))
    services.rating_resolve(actor=world.liaison_a, rating=rating, resolution=Resolution.FIX_BY_DEADLINE, note="限期整改")
    assert services.ratings_flag_overdue(today=date(2025, 6, 20)) == 0  # due 20 June: not yet late
    assert services.ratings_flag_overdue(today=date(2025, 6, 21)) == 1
    assert services.ratings_flag_overdue(today=date(2025, 6, 22)) == 0
    notes = Notification.objects.filter(kind="evaluations.rating_overdue")
    assert {n.recipient for n in notes} >= {world.liaison_a, world.head_a, world.office}
    assert world.liaison_b not in {n.recipient for n in notes}
    assert ratings_overdue() == 0  # the periodic task; today is long after and already reminded


def test_appeal_upheld_excludes_the_rating(world: Any) -> None:
    rating = _bad(world)
    with pytest.raises(ValidationError) as exc:
        services.rating_appeal(actor=world.liaison_a, rating=rating, reason="太短")
    assert "reason" in exc.value.message_dict
    services.rating_appeal(actor=world.liaison_a, rating=rating, reason="该评价人当天未到本窗口办事，监控可证")
    assert (rating.status, rating.appeal_status, rating.status_before_appeal) == (
        RatingStatus.APPEALED,
        AppealStatus.PENDING,
        RatingStatus.CALLBACK,
    )
    assert Notification.objects.filter(recipient=world.office, kind="evaluations.rating_appeal").exists()
    with pytest.raises(ValidationError):
        services.rating_callback(actor=world.office, rating=rating, verified=True, note="x")
    services.rating_appeal_decide(actor=world.office_head, rating=rating, upheld=True, note="经调取监控，申诉成立")
    assert (rating.status, rating.appeal_status, rating.excluded) == (RatingStatus.CLOSED, AppealStatus.UPHELD, True)


def test_appeal_rejected_returns_the_rating_and_cannot_repeat(world: Any) -> None:
    rating = _bad(world)
    services.rating_callback(actor=world.office, rating=rating, verified=True, note="属实")
    services.rating_appeal(actor=world.liaison_a, rating=rating, reason="我们认为评价人有意刁难，请复核")
    services.rating_appeal_decide(actor=world.office, rating=rating, upheld=False, note="经核实评价属实")
    assert (rating.status, rating.appeal_status, rating.excluded) == (RatingStatus.VERIFIED, AppealStatus.REJECTED, False)
    with pytest.raises(ValidationError) as exc:
        services.rating_appeal(actor=world.liaison_a, rating=rating, reason="再次申诉，请再复核一次")
    assert "不能重复申诉" in exc.value.messages[0]


def test_only_bad_ratings_can_be_appealed(world: Any) -> None:
    good = services.rating_submit(unit=world.window_a, level="satisfied")
    with pytest.raises(ValidationError):
        services.rating_appeal(actor=world.liaison_a, rating=good, reason="这条好评也想申诉一下看看")
