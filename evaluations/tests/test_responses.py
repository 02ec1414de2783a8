"""Answering: one answer per device or phone per target per campaign, fast, identical and
burst answers flagged and left out of scores until reviewed, and bad input refused with a
clear message and nothing saved."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.audit import audit_verify
from evaluations import services
from evaluations.choices import Channel, ResponseFlag, ResponseStatus
from evaluations.models import Answer, Response
from evaluations.tests import helpers

pytestmark = pytest.mark.django_db


def _public(
    c: Any, target: Any, scores: tuple[int, ...], *, device: str = "device-aaaaaaaaaaaaaaaaaaaa", seconds: int = 60, **kw: Any
) -> Response:
    now = timezone.now()
    return services.response_submit(
        campaign=c,
        target=target,
        answers=helpers.answers_for(c, *scores),
        channel=Channel.QR,
        device=device,
        started_at=now - timedelta(seconds=seconds),
        now=now,
        **kw,
    )


def test_public_answer_is_recorded_anonymously_in_the_public_group(world: Any) -> None:
    c = helpers.campaign(world)
    target = c.targets.get()
    response = _public(c, target, (80,), phone="13800138000", ip="10.0.0.1")
    assert response.status == ResponseStatus.VALID
    assert response.score == 80 and response.group.code == "public"
    assert response.phone_key and "13800138000" not in response.phone_key  # only a keyed digest
    assert "device-aaaa" not in response.device_key
    assert audit_verify().ok


def test_one_answer_per_device_per_target(world: Any) -> None:
    c = helpers.campaign(world)
    target = c.targets.get()
    _public(c, target, (100,))
    with pytest.raises(ValidationError) as exc:
        _public(c, target, (40,))
    assert "已经评价过" in exc.value.messages[0]
    assert Response.objects.filter(campaign=c).count() == 1


def test_one_answer_per_phone_even_from_another_device(world: Any) -> None:
    c = helpers.campaign(world)
    target = c.targets.get()
    _public(c, target, (100,), phone="13800138000")
    with pytest.raises(ValidationError):
        _public(c, target, (100,), device="another-device-bbbbbbbbbbbb", phone="138 0013 8000")
    assert Response.objects.filter(campaign=c).count() == 1


def test_the_same_device_may_rate_another_target_and_another_campaign(world: Any) -> None:
    c = helpers.campaign(world, units=[world.window_a, *helpers.extra_windows(world, 1)])
    first, second = c.targets.all()
    _public(c, first, (100,))
    _public(c, second, (100,))
    other = helpers.campaign(world, units=[world.window_a])
    _public(other, other.targets.get(), (100,))
    assert Response.objects.count() == 3


def test_policy_can_turn_the_device_rule_off(world: Any, settings: Any) -> None:
    from core.models import PolicyVersion

    version = PolicyVersion.objects.get(policy__is_current=True)
    version.document["evaluations"] = {"one_answer_per_device": False}
    version.save()
    c = helpers.campaign(world)
    target = c.targets.get()
    _public(c, target, (100,))
    _public(c, target, (100,))
    assert Response.objects.filter(campaign=c).count() == 2


def test_answer_faster_than_min_answer_seconds_is_flagged(world: Any) -> None:
    c = helpers.campaign(world)
    target = c.targets.get()
    fast = _public(c, target, (100,), seconds=19)  # policy default: 20 seconds
    slow = _public(c, target, (100,), device="device-bbbbbbbbbbbbbbbbbbbb", seconds=20)
    assert (fast.status, fast.flags) == (ResponseStatus.FLAGGED, [ResponseFlag.FAST])
    assert (slow.status, slow.flags) == (ResponseStatus.VALID, [])
    assert fast.duration_seconds == 19


def test_identical_answers_across_all_questions_are_flagged(world: Any) -> None:
    c = helpers.campaign(world, satisfaction=3)
    target = c.targets.get()
    same = _public(c, target, (80, 80, 80))
    varied = _public(c, target, (80, 100, 80), device="device-bbbbbbbbbbbbbbbbbbbb")
    assert same.flags == [ResponseFlag.IDENTICAL] and same.status == ResponseStatus.FLAGGED
    assert varied.status == ResponseStatus.VALID


def test_identical_rule_needs_the_policy_number_of_questions(world: Any) -> None:
    c = helpers.campaign(world, satisfaction=2)  # fewer than identical_min_questions (3)
    response = _public(c, c.targets.get(), (100, 100))
    assert response.status == ResponseStatus.VALID


def test_burst_from_one_network_address_is_flagged(world: Any) -> None:
    windows = helpers.extra_windows(world, 21)
    c = helpers.campaign(world, units=windows)
    targets = list(c.targets.all())
    results = [_public(c, t, (100,), device=f"burst-device-{i:04d}-xxxxxxxx", ip="10.1.1.1") for i, t in enumerate(targets)]
    # policy default: at most 20 answers an hour from one address; the 21st is flagged
    assert [r.status for r in results[:20]] == [ResponseStatus.VALID] * 20
    assert results[20].flags == [ResponseFlag.BURST]


def test_flagged_answers_do_not_count_until_accepted(world: Any) -> None:
    c = helpers.campaign(world)
    target = c.targets.get()
    _public(c, target, (60,), seconds=60)
    flagged = _public(c, target, (100,), device="device-bbbbbbbbbbbbbbbbbbbb", seconds=2)
    services.campaign_compute(actor=world.office, campaign=c)
    assert c.results.get().n == 1 and c.results.get().mean == 60
    with pytest.raises(ValidationError) as exc:
        services.response_review(actor=world.office, response=flagged, accept=False)
    assert "理由" in exc.value.messages[0]
    services.response_review(actor=world.office, response=flagged, accept=True, note="核实为真实答卷")
    services.campaign_compute(actor=world.office, campaign=c)
    assert c.results.get().n == 2 and c.results.get().mean == 80
    with pytest.raises(ValidationError):
        services.response_review(actor=world.office, response=flagged, accept=False, note="再次")


def test_staff_entries_are_not_screened(world: Any) -> None:
    c = helpers.campaign(world, satisfaction=3)
    response = helpers.answer(c, c.targets.get(), 100, actor=world.office)
    assert response.status == ResponseStatus.VALID and response.entered_by == world.office


# --- bad input -----------------------------------------------------------------------------
def test_answer_to_a_closed_campaign_is_refused(world: Any) -> None:
    c = helpers.campaign(world)
    services.campaign_close(actor=world.office, campaign=c)
    with pytest.raises(ValidationError) as exc:
        _public(c, c.targets.get(), (100,))
    assert "已结束" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        helpers.answer(c, c.targets.get(), 100)
    assert not Response.objects.exists()


def test_answer_after_the_end_date_is_refused(world: Any) -> None:
    today = timezone.localdate()
    c = helpers.campaign(world, start=today - timedelta(days=10), end=today - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        _public(c, c.targets.get(), (100,))
    assert "已结束" in exc.value.messages[0]


def test_a_missing_required_answer_is_refused_and_nothing_saved(world: Any) -> None:
    c = helpers.campaign(world, extra=True)
    target = c.targets.get()
    satisfaction, single, multiple, _text = c.questionnaire.questions.all()
    with pytest.raises(ValidationError) as exc:
        services.response_submit(campaign=c, target=target, answers={satisfaction.pk: "satisfied"}, channel=Channel.PAPER)
    assert exc.value.message_dict == {f"q{single.pk}": ["第2题为必答题，请作答。"]}
    with pytest.raises(ValidationError) as exc:
        services.response_submit(
            campaign=c,
            target=target,
            answers={satisfaction.pk: "great", single.pk: "一次办成", multiple.pk: ["态度", "价格"]},
            channel=Channel.PAPER,
        )
    assert set(exc.value.message_dict) == {f"q{satisfaction.pk}", f"q{multiple.pk}"}
    assert not Response.objects.exists() and not Answer.objects.exists()
    ok = services.response_submit(
        campaign=c,
        target=target,
        answers={satisfaction.pk: "satisfied", single.pk: "一次办成", multiple.pk: ["态度", "效率"]},
        channel=Channel.PAPER,
    )
    assert ok.answers.count() == 3 and ok.score == 80


def test_a_target_of_another_campaign_is_refused(world: Any) -> None:
    c = helpers.campaign(world)
    other = helpers.campaign(world, units=helpers.extra_windows(world, 1))
    with pytest.raises(ValidationError) as exc:
        _public(c, other.targets.get(), (100,))
    assert "评议对象不存在" in exc.value.messages[0]
    assert not Response.objects.exists()


def test_a_bad_phone_number_is_refused(world: Any) -> None:
    c = helpers.campaign(world)
    with pytest.raises(ValidationError) as exc:
        _public(c, c.targets.get(), (100,), phone="12345")
    assert "phone" in exc.value.message_dict
    assert not Response.objects.exists()


def test_an_invitation_records_its_group_and_allows_one_answer_per_target(world: Any) -> None:
    c = helpers.campaign(world, kind="departments", units=[world.unit_a, world.unit_b], open_=False)
    deputies = services.group_save(actor=world.office, campaign=c, code="deputies", name="人大代表", weight=2)
    services.campaign_open(actor=world.office, campaign=c)
    invitation = services.invitation_create(actor=world.office, campaign=c, group=deputies, name="王代表")
    a, b = c.targets.all()
    first = services.response_submit(campaign=c, target=a, answers=helpers.answers_for(c, 100), channel=Channel.LINK, invitation=invitation)
    assert first.group == deputies
    services.response_submit(campaign=c, target=b, answers=helpers.answers_for(c, 80), channel=Channel.LINK, invitation=invitation)
    with pytest.raises(ValidationError):
        services.response_submit(campaign=c, target=a, answers=helpers.answers_for(c, 60), channel=Channel.LINK, invitation=invitation)
    services.invitation_revoke(actor=world.office, invitation=invitation)
    invitation.refresh_from_db()
    other = services.invitation_create(actor=world.office, campaign=c, group=deputies, name="李代表")
    with pytest.raises(ValidationError) as exc:
        services.response_submit(campaign=c, target=a, answers=helpers.answers_for(c, 60), channel=Channel.LINK, invitation=invitation)
    assert "作废" in exc.value.messages[0]
    services.response_submit(campaign=c, target=a, answers=helpers.answers_for(c, 60), channel=Channel.LINK, invitation=other)
