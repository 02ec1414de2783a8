"""Campaigns end to end in the services: questionnaires frozen once published, targets
from the registry, scores with weights, awards within the quota, year on year, the office
head's confirmation that freezes results, and publication to the rated units."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditRecord, Notification
from evaluations import selectors, services
from evaluations.choices import CampaignKind, CampaignStatus, Channel, QuestionnaireStatus
from evaluations.models import CampaignResult, Question
from evaluations.tests import helpers

pytestmark = pytest.mark.django_db


def test_a_published_questionnaire_is_frozen_and_a_change_makes_a_new_version(world: Any) -> None:
    q = helpers.questionnaire(world.office, extra=True)
    assert q.status == QuestionnaireStatus.PUBLISHED
    before = list(Question.objects.filter(questionnaire=q).values_list("text", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.questionnaire_update(actor=world.office, questionnaire=q, title="改", questions=[{"text": "新题"}])
    assert "已发布的问卷不能修改" in exc.value.messages[0]
    assert list(Question.objects.filter(questionnaire=q).values_list("text", flat=True)) == before
    copy = services.questionnaire_new_version(actor=world.office, source=q)
    assert (copy.version, copy.based_on, copy.status, copy.questions.count()) == (2, q, QuestionnaireStatus.DRAFT, 4)
    services.questionnaire_update(actor=world.office, questionnaire=copy, title="第二版", questions=[{"text": "总体满意度"}])
    assert copy.questions.count() == 1


def test_questionnaire_builder_refuses_bad_questions(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.questionnaire_create(
            actor=world.office, title="问卷", questions=[{"kind": "single", "text": "只有一个选项", "options": ["是"]}, {"text": ""}]
        )
    assert exc.value.message_dict["questions"] == ["第1题：选择题至少要有两个选项。", "第2题：请填写题目。"]
    with pytest.raises(ValidationError):
        services.questionnaire_create(actor=world.office, title="问卷", questions=[])


def test_campaign_needs_a_published_questionnaire_and_targets_of_its_kind(world: Any) -> None:
    draft = helpers.questionnaire(world.office, publish=False)
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            actor=world.office,
            name="x",
            kind=CampaignKind.WINDOW,
            year=2025,
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            questionnaire=draft,
        )
    assert "questionnaire" in exc.value.message_dict
    c = services.campaign_create(
        actor=world.office, name="社会评窗口", kind=CampaignKind.WINDOW, year=2025, start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    with pytest.raises(ValidationError) as exc:
        services.campaign_set_targets(actor=world.office, campaign=c, units=[world.division_a])
    assert "甲局一科" in exc.value.message_dict["units"][0]
    with pytest.raises(ValidationError) as exc:
        services.campaign_open(actor=world.office, campaign=c)
    assert len(exc.value.messages) == 2
    assert c.groups.get().is_public


def test_scores_ranks_awards_and_the_policy_version_recorded(world: Any) -> None:
    windows = helpers.extra_windows(world, 3)
    c = helpers.campaign(world, units=windows)
    t1, t2, t3 = c.targets.all()
    for score in (100, 100, 80):
        helpers.answer(c, t1, score)
    for score in (100, 100, 100, 80):
        helpers.answer(c, t2, score)
    for score in (60, 80):
        helpers.answer(c, t3, score)
    services.campaign_compute(actor=world.office, campaign=c)
    results = {r.target_id: r for r in CampaignResult.objects.filter(campaign=c)}
    assert results[t2.pk].mean == 95 and results[t2.pk].rank == 1 and results[t2.pk].awarded
    assert results[t1.pk].mean == pytest.approx(93.333, abs=1e-3) and not results[t1.pk].awarded  # below 95
    assert results[t3.pk].rank == 3 and results[t3.pk].below_min_sample
    c.refresh_from_db()
    assert c.results_policy_version.policy.is_current
    assert all(r.policy_version_id == c.results_policy_version_id for r in results.values())
    figures = selectors.campaign_figures(c)
    assert figures.average == pytest.approx((95 + 93.3333 + 70) / 3, abs=1e-3)
    assert (figures.counted, figures.awarded, figures.below_min_sample) == (9, 1, 3)


def test_weighted_campaign_uses_group_weights(world: Any) -> None:
    c = helpers.campaign(world, kind=CampaignKind.DEPARTMENTS, units=[world.unit_a], open_=False, weighted=True)
    deputies = services.group_save(actor=world.office, campaign=c, code="deputies", name="人大代表", weight=3)
    services.campaign_open(actor=world.office, campaign=c)
    target = c.targets.get()
    public = c.groups.get(code="public")
    for score in (100, 100):
        helpers.answer(c, target, score, group=deputies)
    for score in (60, 80):
        helpers.answer(c, target, score, group=public)
    services.campaign_compute(actor=world.office, campaign=c)
    result = c.results.get()
    assert result.weighted and result.mean == pytest.approx(92.5)  # (3·100 + 1·70) / 4


def test_group_weights_cannot_change_once_open(world: Any) -> None:
    c = helpers.campaign(world)
    with pytest.raises(ValidationError):
        services.group_save(actor=world.office, campaign=c, code="x", name="代表", weight=1)
    with pytest.raises(ValidationError):
        services.campaign_set_targets(actor=world.office, campaign=c, units=[world.window_a])


def test_year_on_year_per_target_and_on_average(world: Any) -> None:
    last = helpers.campaign(world, year=2024)
    helpers.answer(last, last.targets.get(), 80)
    services.campaign_close(actor=world.office, campaign=last)
    services.campaign_confirm(actor=world.office_head, campaign=last)
    this = helpers.campaign(world, year=2025)
    helpers.answer(this, this.targets.get(), 100)
    services.campaign_compute(actor=world.office, campaign=this)
    result = this.results.get()
    assert (result.previous_mean, result.change) == (80, 20)
    figures = selectors.campaign_figures(this)
    assert (figures.previous_average, figures.change) == (80, 20)


def test_confirmation_freezes_results_and_needs_flags_reviewed(world: Any) -> None:
    c = helpers.campaign(world)
    target = c.targets.get()
    helpers.answer(c, target, 100)
    flagged = services.response_submit(
        campaign=c, target=target, answers=helpers.answers_for(c, 40), channel=Channel.QR, device="x" * 30, started_at=None
    )
    flagged.refresh_from_db()
    from evaluations.models import Response

    Response.objects.filter(pk=flagged.pk).update(status="flagged", flags=["fast"])
    with pytest.raises(ValidationError):
        services.campaign_confirm(actor=world.office_head, campaign=c)  # still open
    services.campaign_close(actor=world.office, campaign=c)
    with pytest.raises(ValidationError) as exc:
        services.campaign_confirm(actor=world.office_head, campaign=c)
    assert "待复核" in exc.value.messages[0]
    flagged.refresh_from_db()
    services.response_review(actor=world.office, response=flagged, accept=False, note="重复刷票")
    services.campaign_confirm(actor=world.office_head, campaign=c)
    c.refresh_from_db()
    assert c.status == CampaignStatus.CONFIRMED and c.confirmed_by == world.office_head
    assert c.results.get().n == 1
    with pytest.raises(ValidationError):
        services.campaign_compute(actor=world.office, campaign=c)
    with pytest.raises(ValidationError):
        services.response_review(actor=world.office, response=flagged, accept=True)
    assert AuditRecord.objects.filter(action="evaluations.campaign.confirm", actor=world.office_head).exists()


def test_publication_notifies_the_rated_units(world: Any) -> None:
    c = helpers.campaign(world)
    helpers.answer(c, c.targets.get(), 100)
    services.campaign_close(actor=world.office, campaign=c)
    services.campaign_confirm(actor=world.office_head, campaign=c)
    services.campaign_publish(actor=world.office_head, campaign=c)
    assert Notification.objects.filter(recipient=world.liaison_a, kind="evaluations.campaign").exists()
    assert not Notification.objects.filter(recipient=world.liaison_b).exists()
    with pytest.raises(ValidationError):
        services.campaign_publish(actor=world.office_head, campaign=c)


def test_campaign_state_changes_happen_once(world: Any) -> None:
    c = helpers.campaign(world)
    with pytest.raises(ValidationError):
        services.campaign_open(actor=world.office, campaign=c)
    services.campaign_close(actor=world.office, campaign=c)
    with pytest.raises(ValidationError):
        services.campaign_close(actor=world.office, campaign=c)
