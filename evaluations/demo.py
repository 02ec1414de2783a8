"""The demo city's evaluations: seed 000's "three evaluations" of the current year (2025)
and the year before, built from individual answers so that every reported figure is
computed by the platform from its own records:

* 满意处长群众评: 75 of the 125 division heads, average 96.66 (2024: 96.25), 11 awarded;
* 社会评窗口: all 50 windows, average 96.49 (2024: 96.12), 18 awarded;
* 千项办件看效能: 31 window-serving units, 310 sampled cases followed up, 182 fully
  satisfied;
* 1635 valid questionnaires across the three (795 + 530 + 310), plus a few answers the
  office rejected as a burst from one address;
* an open 万人评机关 campaign with seed 003's six rater groups and personal links (one
  for the demo rater), and on-the-spot service ratings at the windows in every state of
  the call-back, rectification and appeal flow.

The answers are generated deterministically from ``ctx.rng``; the number of one-level
downgrades per group of targets is solved so that the average lands on the seed's figure
at two decimals, and the awards follow from the policy's threshold and quota.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from django.utils import timezone

from accounts.models import User
from core.demo import DemoContext
from evaluations import services
from evaluations.choices import CampaignKind, Channel, QuestionKind, Resolution, ResponseStatus, SampleStatus
from evaluations.models import Answer, Campaign, HandledCase, Response, SampledCase
from evaluations.selectors import year_figures
from org.choices import UnitKind
from org.models import Unit

YEAR, PREVIOUS = 2025, 2024
CODES = {100: "very_satisfied", 80: "satisfied", 60: "basically_satisfied", 40: "dissatisfied", 0: "very_dissatisfied"}
HEADS = {YEAR: (795, "96.66"), PREVIOUS: (720, "96.25")}
WINDOWS = {YEAR: (530, "96.49"), PREVIOUS: (480, "96.12")}
CASE_UNITS_EXTRA = ["G01", "G04", "G05", "G09", "G21", "G22"]  # with the 25 window-serving departments: 31
FULLY_SATISFIED = 182
REJECTED_BURST = 6
MARKER = f"{YEAR}年满意处长群众评"


# --- answer plans ------------------------------------------------------------------------------
def split(total: int, parts: int, rng: Any) -> list[int]:
    """``total`` answers over ``parts`` targets, as even as possible, the larger shares at random."""
    base, extra = divmod(total, parts)
    larger = set(rng.sample(range(parts), extra))
    return [base + (1 if i in larger else 0) for i in range(parts)]


def solve_downgrades(counts: Sequence[int], goal: Fraction) -> dict[int, int]:
    """How many one-level downgrades (−20 points on one answer) to give the targets of
    each answer count so that the average of the target means is ``goal`` at two decimals
    (and as close to it as possible)."""
    groups: dict[int, int] = {}
    for n in counts:
        groups[n] = groups.get(n, 0) + 1
    sizes = sorted(groups)
    targets = len(counts)
    needed = (100 - goal) * targets  # Σ (deficit of target / its count)
    best: tuple[tuple[float, Fraction], dict[int, int]] | None = None
    first, rest = sizes[0], sizes[1:]
    ranges = [range(0, 3 * groups[n] * n + 1) for n in rest]

    def search(index: int, chosen: dict[int, int], used: Fraction) -> None:
        nonlocal best
        if index == len(rest):
            k = round((needed - used) * first / 20)
            for a in (k - 1, k, k + 1):
                if not 0 <= a <= 3 * groups[first] * first:
                    continue
                total = used + Fraction(20 * a, first)
                average = 100 - total / targets
                if round(float(average), 2) != float(goal):
                    continue
                plan = {**chosen, first: a}
                # spread the criticism evenly over the groups, then land as close to the goal as possible
                density = [plan[n] / groups[n] for n in plan]
                key = (round(max(density) - min(density), 1), abs(average - goal))
                if best is None or key < best[0]:
                    best = (key, plan)
            return
        n = rest[index]
        for b in ranges[index]:
            part = Fraction(20 * b, n)
            if used + part > needed + 1:
                break
            search(index + 1, {**chosen, n: b}, used + part)

    search(0, {}, Fraction(0))
    if best is None:
        raise RuntimeError(f"no plan reaches {goal}")
    return best[1]


def plan_scores(counts: Sequence[int], goal: str, rng: Any) -> list[list[int]]:
    """Per target, the scores of its answers, averaging ``goal`` over the targets."""
    plan = [[100] * n for n in counts]
    downgrades = solve_downgrades(counts, Fraction(goal))
    # some targets attract more criticism than others: weights drawn once per target
    weights = [0.3 + rng.random() for _ in counts]
    for n, how_many in downgrades.items():
        members = [i for i, c in enumerate(counts) if c == n]
        for _ in range(how_many):
            while True:
                i = rng.choices(members, weights=[weights[m] for m in members])[0]
                j = rng.randrange(n)
                if plan[i][j] >= 60:  # 100→80→60→40: each step costs exactly 20 points
                    plan[i][j] -= 20
                    break
    return plan


# --- helpers -------------------------------------------------------------------------------------
def _aware(day: date, seconds: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), timezone.get_current_timezone()) + timedelta(seconds=seconds)


def _digest(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()


def _questionnaire(office: User, title: str, questions: list[dict[str, Any]], intro: str = "") -> Any:
    q = services.questionnaire_create(actor=office, title=title, intro=intro, questions=questions)
    return services.questionnaire_publish(actor=office, questionnaire=q)


def _campaign(
    office: User, *, name: str, kind: str, year: int, start: date, end: date, questionnaire: Any, units: list[Unit], **extra: Any
) -> Campaign:
    campaign = services.campaign_create(
        actor=office, name=name, kind=kind, year=year, start=start, end=end, questionnaire=questionnaire, **extra
    )
    services.campaign_set_targets(actor=office, campaign=campaign, units=units)
    return campaign


def _bulk_answers(
    campaign: Campaign, plans: list[list[int]], rng: Any, *, channel_mix: Sequence[tuple[str, int]], office: User | None = None
) -> list[Response]:
    """Responses and their answers from score plans (one plan per target, in order)."""
    assert campaign.questionnaire is not None
    questions = list(campaign.questionnaire.questions.all())
    satisfaction = [q for q in questions if q.kind == QuestionKind.SATISFACTION]
    others = [q for q in questions if q.kind != QuestionKind.SATISFACTION]
    public = campaign.groups.filter(is_public=True).first()
    targets = list(campaign.targets.order_by("position", "id"))
    days = (campaign.end - campaign.start).days
    channels = [c for c, _w in channel_mix]
    channel_weights = [w for _c, w in channel_mix]
    rows: list[Response] = []
    for target, scores in zip(targets, plans, strict=True):
        for k, score in enumerate(scores):
            channel = rng.choices(channels, weights=channel_weights)[0]
            submitted = _aware(campaign.start + timedelta(days=rng.randrange(days + 1)), rng.randrange(8 * 3600, 20 * 3600))
            duration = rng.randrange(25, 95)
            public_channel = channel in (Channel.QR, Channel.LINK)
            rows.append(
                Response(
                    campaign=campaign,
                    target=target,
                    group=public if channel != Channel.PHONE else None,
                    channel=channel,
                    status=ResponseStatus.VALID,
                    score=score,
                    fully_satisfied=score == 100,
                    device_key=_digest("demo-device", campaign.pk, target.pk, k) if public_channel else "",
                    ip=f"10.{rng.randrange(1, 250)}.{rng.randrange(1, 250)}.{rng.randrange(1, 250)}" if public_channel else None,
                    started_at=submitted - timedelta(seconds=duration) if public_channel else None,
                    submitted_at=submitted,
                    duration_seconds=duration if public_channel else None,
                    entered_by=office if not public_channel else None,
                )
            )
    Response.objects.bulk_create(rows, batch_size=1000)
    answers: list[Answer] = []
    for response in rows:
        given = response.score
        assert given is not None
        for question in satisfaction:
            answers.append(Answer(response=response, question=question, level=CODES[int(given)], score=given))
        for question in others:
            if question.kind == QuestionKind.SINGLE:
                answers.append(Answer(response=response, question=question, choices=[rng.choice(question.options)]))
            elif question.kind == QuestionKind.TEXT and given < 100 and rng.random() < 0.4:
                answers.append(Answer(response=response, question=question, text=rng.choice(TEXTS)))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return rows


TEXTS = ["希望缩短排队时间", "材料清单可以再清楚一些", "周末能否开放预约", "电话不好打通", "工作人员解释不够耐心", "网上办理流程还可以简化"]


def _finish(campaign: Campaign, office: User, head: User) -> None:
    services.campaign_close(actor=office, campaign=campaign)
    services.campaign_confirm(actor=head, campaign=campaign)
    services.campaign_publish(actor=head, campaign=campaign)


# --- the build -----------------------------------------------------------------------------------------
def build(ctx: DemoContext) -> None:
    if Campaign.objects.filter(name=MARKER).exists():
        _report(ctx)
        return
    rng = ctx.rng
    office = User.objects.get(username="office")
    head = User.objects.get(username="officehead")
    q_heads = _questionnaire(
        office,
        "满意处长群众评测评问卷",
        [
            {"kind": QuestionKind.SATISFACTION, "text": "您对该处室负责人的工作作风和服务态度是否满意？"},
            {"kind": QuestionKind.SINGLE, "text": "您与该处室打交道的方式", "options": ["到现场办事", "电话咨询", "网上办理"]},
            {"kind": QuestionKind.TEXT, "text": "您的意见和建议", "required": False},
        ],
        intro="匿名评价，约需一分钟。",
    )
    q_windows = _questionnaire(
        office,
        "社会评窗口测评问卷",
        [
            {"kind": QuestionKind.SATISFACTION, "text": "您对本窗口的服务是否满意？"},
            {"kind": QuestionKind.SINGLE, "text": "本次事项是否一次办成", "options": ["一次办成", "跑了两次", "三次及以上"]},
            {"kind": QuestionKind.TEXT, "text": "您的意见和建议", "required": False},
        ],
        intro="匿名评价，约需一分钟。",
    )
    q_cases = _questionnaire(
        office,
        "千项办件电话回访问卷",
        [
            {"kind": QuestionKind.SATISFACTION, "text": "您对这件事的办理结果是否满意？"},
            {"kind": QuestionKind.SINGLE, "text": "是否在承诺时限内办结", "options": ["是", "否", "记不清"]},
            {"kind": QuestionKind.TEXT, "text": "回访备注", "required": False},
        ],
    )
    divisions = list(Unit.objects.filter(kind=UnitKind.DIVISION, is_active=True).order_by("code"))
    rated_divisions = sorted(rng.sample(divisions, 75), key=lambda u: u.code)
    windows = list(Unit.objects.filter(kind=UnitKind.WINDOW, is_active=True).order_by("code"))
    for year in (PREVIOUS, YEAR):
        for kind, units, questionnaire, (total, goal), label in (
            (CampaignKind.DIVISION_HEAD, rated_divisions, q_heads, HEADS[year], "满意处长群众评"),
            (CampaignKind.WINDOW, windows, q_windows, WINDOWS[year], "社会评窗口"),
        ):
            campaign = _campaign(
                office,
                name=f"{year}年{label}",
                kind=kind,
                year=year,
                start=date(year, 5, 1),
                end=date(year, 10, 31),
                questionnaire=questionnaire,
                units=units,
                channels=[Channel.QR, Channel.LINK, Channel.PAPER],
            )
            services.campaign_open(actor=office, campaign=campaign)
            plans = plan_scores(split(total, len(units), rng), goal, rng)
            _bulk_answers(campaign, plans, rng, channel_mix=[(Channel.QR, 70), (Channel.LINK, 20), (Channel.PAPER, 10)], office=office)
            if year == YEAR and kind == CampaignKind.WINDOW:
                _rejected_burst(campaign, office)
            _finish(campaign, office, head)
    _handled_cases(ctx, office, head, q_cases)
    _departments(ctx, office)
    _ratings(ctx, office)
    _report(ctx)


def _rejected_burst(campaign: Campaign, office: User) -> None:
    """A burst of answers from one address that the office reviewed and rejected."""
    target = campaign.targets.order_by("position").first()
    assert target is not None and campaign.questionnaire is not None
    question = campaign.questionnaire.questions.get(position=1)
    moment = _aware(date(campaign.year, 9, 12), 21 * 3600)
    rows = [
        Response(
            campaign=campaign,
            target=target,
            group=campaign.groups.filter(is_public=True).first(),
            channel=Channel.QR,
            status=ResponseStatus.REJECTED,
            flags=["fast", "burst"],
            score=100,
            fully_satisfied=True,
            device_key=_digest("burst", i),
            ip="10.9.9.9",
            started_at=moment + timedelta(seconds=30 * i),
            submitted_at=moment + timedelta(seconds=30 * i + 4),
            duration_seconds=4,
            reviewed_by=office,
            reviewed_at=moment + timedelta(days=1),
            review_note="同一网络地址短时集中答卷、用时4秒，经核实为刷票，剔除",
        )
        for i in range(REJECTED_BURST)
    ]
    Response.objects.bulk_create(rows)
    Answer.objects.bulk_create([Answer(response=r, question=question, level=CODES[100], score=100) for r in rows])


def _handled_cases(ctx: DemoContext, office: User, head: User, questionnaire: Any) -> None:
    rng = ctx.rng
    window_parents = Unit.objects.filter(children__kind=UnitKind.WINDOW).distinct()
    units = sorted({*window_parents, *Unit.objects.filter(code__in=CASE_UNITS_EXTRA)}, key=lambda u: u.code)
    matters = [
        "营业执照变更",
        "社保关系转移",
        "不动产登记",
        "公积金提取",
        "施工许可",
        "医保报销",
        "户籍迁移",
        "食品经营许可",
        "道路运输证",
        "婚姻登记",
    ]
    cases = []
    for unit in units:
        for i in range(1, 21):
            closed = _aware(date(YEAR, 1, 6) + timedelta(days=rng.randrange(290)), rng.randrange(9 * 3600, 17 * 3600))
            cases.append(
                HandledCase(
                    unit=unit,
                    ref=f"BJ{YEAR}-{unit.code}-{i:03d}",
                    summary=rng.choice(matters),
                    contact_name=ctx.name(),
                    contact_phone=ctx.mobile(),
                    closed_at=closed,
                )
            )
    HandledCase.objects.bulk_create(cases, batch_size=1000)
    campaign = _campaign(
        office,
        name=f"{YEAR}年千项办件看效能",
        kind=CampaignKind.HANDLED_CASES,
        year=YEAR,
        start=date(YEAR, 6, 1),
        end=date(YEAR, 11, 30),
        questionnaire=questionnaire,
        units=units,
        channels=[Channel.PHONE],
        sample_per_unit=10,
    )
    Campaign.objects.filter(pk=campaign.pk).update(sample_start=date(YEAR, 1, 1), sample_end=date(YEAR, 10, 31))
    campaign.refresh_from_db()
    services.sample_draw(actor=office, campaign=campaign, seed=ctx.seed * 1000 + YEAR)
    services.campaign_open(actor=office, campaign=campaign)
    samples = list(SampledCase.objects.filter(campaign=campaign).select_related("target").order_by("target__position", "id"))
    full = set(rng.sample(range(len(samples)), FULLY_SATISFIED))
    by_target: dict[int, list[int]] = {}
    for i, sample in enumerate(samples):
        by_target.setdefault(sample.target_id, []).append(100 if i in full else rng.choice([80, 80, 80, 60]))
    plans = [by_target.get(t.pk, []) for t in campaign.targets.order_by("position", "id")]
    responses = _bulk_answers(campaign, plans, rng, channel_mix=[(Channel.PHONE, 1)], office=office)
    # the responses come back in the samples' order (target by target)
    for sample, response in zip(samples, responses, strict=True):
        sample.status = SampleStatus.ANSWERED
        sample.response = response
        sample.attempts = 1
        sample.called_by = office
        sample.called_at = response.submitted_at
    SampledCase.objects.bulk_update(samples, ["status", "response", "attempts", "called_by", "called_at"], batch_size=500)
    _finish(campaign, office, head)


def _departments(ctx: DemoContext, office: User) -> None:
    """An open 万人评机关 with seed 003's six rater groups, weighted, and personal links."""
    today = timezone.localdate()
    questionnaire = _questionnaire(
        office,
        "万人评机关测评问卷",
        [
            {"kind": QuestionKind.SATISFACTION, "text": "工作作风"},
            {"kind": QuestionKind.SATISFACTION, "text": "办事效率"},
            {"kind": QuestionKind.SATISFACTION, "text": "服务质量"},
            {"kind": QuestionKind.TEXT, "text": "意见和建议", "required": False},
        ],
    )
    units = list(Unit.objects.filter(code__in=["G06", "G10", "G13", "G24", "G26", "G35", "P02", "P03", "S01", "S10"]).order_by("code"))
    campaign = _campaign(
        office,
        name=f"{today.year}年万人评机关",
        kind=CampaignKind.DEPARTMENTS,
        year=today.year,
        start=today - timedelta(days=14),
        end=today + timedelta(days=45),
        questionnaire=questionnaire,
        units=units,
        weighted=True,
        channels=[Channel.LINK, Channel.QR, Channel.PAPER],
    )
    groups = {}
    for code, name, weight in (
        ("deputies", "人大代表", 25),
        ("party", "党代表", 20),
        ("cppcc", "政协委员", 20),
        ("supervisors", "效能监督员", 15),
        ("enterprises", "企业代表", 10),
    ):
        groups[code] = services.group_save(actor=office, campaign=campaign, code=code, name=name, weight=weight)
    public = campaign.groups.get(code="public")
    services.group_save(actor=office, campaign=campaign, code="public", name="群众", weight=10, is_public=True, group=public)
    rater = User.objects.filter(username="rater").first()
    services.invitation_create(actor=office, campaign=campaign, group=groups["deputies"], name="市人大代表 梁春梅", user=rater)
    for code, group in groups.items():
        for _ in range(2 if code != "deputies" else 1):
            services.invitation_create(actor=office, campaign=campaign, group=group, name=f"{group.name} {ctx.name()}")
    services.campaign_open(actor=office, campaign=campaign)


def _ratings(ctx: DemoContext, office: User) -> None:
    """On-the-spot ratings at the windows over the last two months, and bad ones in every
    state of the flow (some at the demo liaison's unit G10)."""
    rng = ctx.rng
    now = timezone.now()
    windows = list(Unit.objects.filter(kind=UnitKind.WINDOW).order_by("code"))
    liaison = User.objects.filter(username="liaison").first() or office
    levels = ["very_satisfied"] * 70 + ["satisfied"] * 20 + ["basically_satisfied"] * 5 + ["dissatisfied"] * 3 + ["very_dissatisfied"] * 2
    for i in range(160):
        services.rating_submit(
            unit=rng.choice(windows),
            level=rng.choice(levels),
            device=_digest("demo-rating", i),
            ip=f"10.20.{rng.randrange(1, 250)}.{rng.randrange(1, 250)}",
            now=now - timedelta(days=rng.randrange(2, 60), minutes=rng.randrange(600)),
        )
    g10 = [w for w in windows if w.code.startswith("G10-")]
    bad_texts = ["排队一个多小时无人引导", "窗口人员态度生硬", "材料一次没说清，跑了三趟", "系统故障无人解释"]
    stories = []
    for i in range(8):
        unit = g10[i % len(g10)] if i < 5 else rng.choice(windows)
        stories.append(
            services.rating_submit(
                unit=unit,
                level=rng.choice(["dissatisfied", "very_dissatisfied"]),
                comment=bad_texts[i % len(bad_texts)],
                contact_name=ctx.name()[0] + "先生",
                contact_phone=ctx.mobile(),
                device=_digest("demo-bad", i),
                now=now - timedelta(days=20 - i),
            )
        )
    # 0 stays waiting for the call-back; 1 verified, waiting for the unit
    services.rating_callback(actor=office, rating=stories[1], verified=True, note="电话回访，评价人反映属实", now=now - timedelta(days=1))
    # 2 fixing by a deadline that has passed (the overdue reminder shows it)
    services.rating_callback(actor=office, rating=stories[2], verified=True, note="属实", now=now - timedelta(days=19))
    services.rating_resolve(
        actor=liaison, rating=stories[2], resolution=Resolution.FIX_BY_DEADLINE, note="增设导办员，限期整改", now=now - timedelta(days=18)
    )
    # 3 fixed at once, waiting for the rater's rating of the fix; 4 closed after an explanation
    services.rating_callback(actor=office, rating=stories[3], verified=True, note="属实", now=now - timedelta(days=15))
    services.rating_resolve(
        actor=liaison, rating=stories[3], resolution=Resolution.FIXED_NOW, note="当场致歉并办结", now=now - timedelta(days=15)
    )
    services.rating_callback(actor=office, rating=stories[4], verified=True, note="属实", now=now - timedelta(days=14))
    services.rating_resolve(
        actor=liaison,
        rating=stories[4],
        resolution=Resolution.EXPLAINED,
        note="系统升级停机，已张贴告示并解释",
        now=now - timedelta(days=14),
    )
    services.rating_fix_rate(actor=office, rating=stories[4], level="satisfied", now=now - timedelta(days=12))
    # 5 not verified; 6 appealed and waiting; 7 appeal upheld
    services.rating_callback(actor=office, rating=stories[5], verified=False, note="评价人表示误选", now=now - timedelta(days=13))
    services.rating_appeal(
        actor=liaison, rating=stories[6], reason="该时段窗口暂停服务，评价对象有误，附公告截图", now=now - timedelta(days=12)
    )
    services.rating_appeal(actor=liaison, rating=stories[7], reason="评价人当日未在本窗口办理业务，监控可证", now=now - timedelta(days=11))
    services.rating_appeal_decide(actor=office, rating=stories[7], upheld=True, note="经调取监控，申诉成立", now=now - timedelta(days=10))
    services.ratings_flag_overdue()


def _report(ctx: DemoContext) -> None:
    figures = year_figures(YEAR)
    previous = year_figures(PREVIOUS)
    kinds = figures["kinds"]

    def avg(data: dict[str, Any], kind: str) -> str:
        value = data["kinds"][kind]["figures"].average if kind in data["kinds"] else None
        return f"{value:.2f}" if value is not None else "—"

    heads, windows, cases = (kinds[k]["figures"] for k in (CampaignKind.DIVISION_HEAD, CampaignKind.WINDOW, CampaignKind.HANDLED_CASES))
    ctx.write(
        f"  评议{YEAR}：处长 {heads.targets} 名 平均 {avg(figures, 'division_head')}（{PREVIOUS}年 {avg(previous, 'division_head')}）获评 {heads.awarded}；"
        f"窗口 {windows.targets} 个 平均 {avg(figures, 'window')}（{PREVIOUS}年 {avg(previous, 'window')}）获评 {windows.awarded}；"
        f"办件 {cases.sample_units} 个单位 {cases.samples_answered} 件 满分 {cases.fully_satisfied}；有效问卷 {figures['questionnaires']}"
    )
