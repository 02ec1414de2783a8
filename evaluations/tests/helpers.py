"""Factories of the evaluation tests: questionnaires, campaigns with targets, answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from core.testing import World, make_unit
from evaluations import services
from evaluations.choices import CampaignKind, Channel, QuestionKind
from evaluations.models import Campaign, CampaignTarget, Questionnaire
from org.choices import UnitKind

LEVEL = {100: "very_satisfied", 80: "satisfied", 60: "basically_satisfied", 40: "dissatisfied", 0: "very_dissatisfied"}


def questionnaire(office: Any, *, satisfaction: int = 1, extra: bool = False, publish: bool = True) -> Questionnaire:
    questions: list[dict[str, Any]] = [{"kind": QuestionKind.SATISFACTION, "text": f"满意度{i + 1}"} for i in range(satisfaction)]
    if extra:
        questions += [
            {"kind": QuestionKind.SINGLE, "text": "办事次数", "options": ["一次办成", "两次", "三次及以上"]},
            {"kind": QuestionKind.MULTIPLE, "text": "哪些方面好", "options": ["态度", "效率", "环境"], "required": False},
            {"kind": QuestionKind.TEXT, "text": "意见建议", "required": False},
        ]
    q = services.questionnaire_create(actor=office, title="测试问卷", questions=questions)
    return services.questionnaire_publish(actor=office, questionnaire=q) if publish else q


def campaign(
    world: World,
    *,
    kind: str = CampaignKind.WINDOW,
    units: list[Any] | None = None,
    year: int | None = None,
    satisfaction: int = 1,
    extra: bool = False,
    open_: bool = True,
    weighted: bool = False,
    start: Any = None,
    end: Any = None,
) -> Campaign:
    today = timezone.localdate()
    c = services.campaign_create(
        actor=world.office,
        name=f"测试{kind}",
        kind=kind,
        year=year or today.year,
        start=start or today - timedelta(days=5),
        end=end or today + timedelta(days=5),
        questionnaire=questionnaire(world.office, satisfaction=satisfaction, extra=extra),
        weighted=weighted,
    )
    if units is None:
        units = {CampaignKind.WINDOW: [world.window_a], CampaignKind.DIVISION_HEAD: [world.division_a]}.get(kind, [world.unit_a])
    services.campaign_set_targets(actor=world.office, campaign=c, units=units)
    if open_:
        services.campaign_open(actor=world.office, campaign=c)
    return c


def extra_windows(world: World, n: int) -> list[Any]:
    return [make_unit(f"窗口{i}", kind=UnitKind.WINDOW, parent=world.unit_b, code=f"B-W{i}") for i in range(1, n + 1)]


def answers_for(c: Campaign, *scores: int) -> dict[int, str]:
    """Five-level answers (by score) to the campaign's satisfaction questions, in order."""
    questions = [q for q in c.questionnaire.questions.all() if q.kind == QuestionKind.SATISFACTION]
    return {q.pk: LEVEL[s] for q, s in zip(questions, scores, strict=False)}


def answer(c: Campaign, target: CampaignTarget, score: int, *, device: str = "", channel: str = Channel.PAPER, **kwargs: Any) -> Any:
    """One answer scoring ``score`` on every satisfaction question (entered on paper by default,
    so that no fraud screening applies unless a test asks for a public channel)."""
    n = sum(1 for q in c.questionnaire.questions.all() if q.kind == QuestionKind.SATISFACTION)
    return services.response_submit(
        campaign=c, target=target, answers=answers_for(c, *([score] * n)), channel=channel, device=device, **kwargs
    )
