"""The demo city's inspections: a year (2025, whose calendar is known) that reproduces
seed 000's figures from its own records — 11 regular rounds and 8 special ones, 145 tasks
dispatched with 299 supervisor-task assignments of which 262 attended (87.63%), 136 tasks
attended of which 104 produced a submitted finding (76.47%) — with findings in every
state and two published circulars; and the last two months up to today, so that the
phone pages and the home panels have work in them: the ``supervisor`` account has tasks
coming this month, the liaison of G10 (人社局) a finding to verify, another overdue.

The rows are written directly (as the other demo modules do), following the same rules
as the services: teams drawn among supervisors in term without conflicts of interest,
spreading the load and avoiding the same unit in consecutive rounds; deadlines counted
in working days with the numbers of the policy in force. Everything comes from
``ctx.rng``; a second run changes nothing.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from core import calendar
from core.demo import CITY, DemoContext
from core.selectors import policy_document
from inspections.assignment import _branch, conflicting_units
from inspections.choices import (
    AssignmentSource,
    AssignmentStatus,
    CircularStatus,
    FindingStatus,
    InspectionMode,
    RectificationDecision,
    RoundKind,
    RoundStatus,
    TaskStatus,
    Verdict,
)
from inspections.models import (
    Circular,
    Evidence,
    Finding,
    FindingEvent,
    InspectionBatch,
    InspectionRound,
    InspectionTask,
    Rectification,
    TaskAssignment,
)
from org.choices import UnitKind
from org.models import Unit
from supervisors.models import Supervisor

YEAR = 2025
REGULAR_MONTHS = [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]  # February: the Spring Festival
SPECIAL = [  # month, theme, checklist codes, tasks
    (3, "社会评窗口专项暗访", ["on_post", "attitude", "quality", "whereabouts_notice"], 5),
    (4, "上下班制度执行情况专项抽查", ["punctuality"], 5),
    (5, "社会评窗口专项暗访", ["on_post", "attitude", "quality", "whereabouts_notice"], 5),
    (6, "拎早点上班专项整治", ["conduct", "punctuality"], 4),
    (9, "上下班制度执行情况专项抽查", ["punctuality"], 4),
    (10, "社会评窗口专项暗访", ["on_post", "attitude", "quality", "whereabouts_notice"], 4),
    (11, "拎早点上班专项整治", ["conduct", "punctuality"], 4),
    (12, "社会评窗口专项暗访", ["on_post", "attitude", "quality", "whereabouts_notice"], 4),
]
# seed 000's year, from the records below: 299 assignments dispatched over 145 tasks (136
# teams of two, 9 of three), 18 + 19 not attended; 136 tasks attended, 104 with findings
TASKS_UNATTENDED = 9
TASKS_OF_THREE = 9
PARTIAL_ABSENCES = 19
TASKS_WITH_FINDINGS = 104
OTHER_SCOPE = ["G01", "G05", "G09", "G21", "G25"]  # departments without windows, also visited

DESCRIPTIONS = {
    "punctuality": ["8:45仍未到岗，窗口无人受理", "17:05提前离岗，窗口已关闭", "上午9:10才到岗，群众已排队等候"],
    "on_post": ["工作时间离开窗口约25分钟，未放置离岗告示", "窗口无人值守，群众等候10余分钟", "午休后14:30仍有两个窗口无人"],
    "conduct": [
        "上班时间用手机玩游戏",
        "上班时间在工位观看影视剧",
        "上班时间网购",
        "身着制服在大厅嬉笑打闹",
        "拎早点进入办公区并在窗口用餐",
        "上班时间浏览股票行情",
    ],
    "whereabouts_notice": ["离岗告示牌显示“开会”，经核实人员在休息室", "离岗告示牌未填写返回时间"],
    "ab_post": ["A角请假，B角未到岗补位，群众等候", "A、B角同时外出，窗口暂停受理"],
    "attitude": ["对群众咨询态度生硬、不耐烦", "群众询问时只顾看手机，未抬头回应"],
    "quality": ["未一次性告知所需材料，群众往返两次补材料", "受理后未出具回执"],
}
DECLINE_REASONS = ["临时出差", "身体不适", "本单位有紧急任务", "家中有事"]
VERIFY_TEXT = {
    Verdict.TRUE: "经调查核实，情况属实。已对当事人进行批评教育并责令作出书面检查，在本系统通报批评。",
    Verdict.PARTLY_TRUE: "经调查，当事人当时确不在岗，但系经批准外出办理业务，离岗告示未及时更新。已责令改正。",
    Verdict.UNTRUE: "经调取监控核实，当事人当时在后台办理业务，窗口已放置暂停受理告示牌，情况不属实。",
}
RECTIFY_TEXT = [
    "已召开全体干部职工会议通报问题，修订考勤和离岗登记制度，每日由科室负责人抽查。",
    "已对当事人诫勉谈话，调整窗口AB岗安排，离岗告示牌统一登记去向和返回时间。",
    "已在本系统通报批评，建立窗口服务“日检查、周讲评”制度。",
]


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), timezone.get_current_timezone())


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _working_days(first: date, last: date) -> list[date]:
    out, day = [], first
    while day <= last:
        if calendar.is_working_day(day):
            out.append(day)
        day += timedelta(days=1)
    return out


def _month_end(first: date) -> date:
    return (first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)) - timedelta(days=1)


def _weeks(first: date) -> list[tuple[date, date]]:
    """The weeks (Monday to Sunday) of a month, cut at its ends: its batches."""
    last, out = _month_end(first), []
    start = first
    while start <= last:
        end = min(start + timedelta(days=6 - start.weekday()), last)
        out.append((start, end))
        start = end + timedelta(days=1)
    return out


def _photo(rng: Any) -> bytes:
    from PIL import Image, ImageDraw  # reportlab's own dependency

    image = Image.new("RGB", (320, 240), tuple(rng.randint(150, 230) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 280), rng.randint(0, 200)
        draw.rectangle([x, y, x + rng.randint(20, 90), y + rng.randint(20, 70)], fill=tuple(rng.randint(20, 200) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


@dataclass
class _Plan:
    """The demo's state while it writes: who is where, and the rows to write."""

    ctx: DemoContext
    supervisors: list[Supervisor]
    office: User
    head: User
    unit_users: dict[int, User]  # top unit id → its liaison
    load: Counter = field(default_factory=Counter)
    busy: set[tuple[int, date, int]] = field(default_factory=set)  # supervisor, day, half-day
    visited: dict[int, dict[int, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))  # round → sup → branches
    previous_round: int | None = None

    @property
    def rng(self) -> Any:
        return self.ctx.rng

    def draw(self, round_id: int, units: list[Unit], day: date, slot: int, size: int) -> list[Supervisor]:
        branches = {_branch(u.path) for u in units}
        ok = [
            s
            for s in self.supervisors
            if not conflicting_units(s, units)
            and (s.pk, day, slot) not in self.busy
            and not (self.visited[round_id][s.pk] & branches)
            and not (self.previous_round and self.visited[self.previous_round][s.pk] & branches)
        ]
        self.rng.shuffle(ok)
        ok.sort(key=lambda s: self.load[s.pk])
        team = ok[:size]
        assert len(team) == size, "the demo roster is large enough for every team"
        for s in team:
            self.load[s.pk] += 1
            self.busy.add((s.pk, day, slot))
            self.visited[round_id][s.pk] |= branches
        return team

    def unit_user(self, unit: Unit) -> User | None:
        return self.unit_users.get(int(unit.path.strip("/").split("/")[0]))


def build(ctx: DemoContext) -> None:
    if InspectionRound.objects.exists():
        _report(ctx)
        return
    supervisors = list(Supervisor.objects.select_related("employer", "user").order_by("code"))
    if not supervisors:
        return
    users = {u.username: u for u in User.objects.filter(username__in=["office", "officehead", "liaison", "liaison2"])}
    unit_users = {}
    for name in ("liaison", "liaison2"):
        unit = users[name].unit if name in users else None
        if unit is not None:
            unit_users[unit.top().pk] = users[name]
    plan = _Plan(ctx=ctx, supervisors=supervisors, office=users["office"], head=users["officehead"], unit_users=unit_users)
    _build_year(plan)
    try:
        _build_recent(plan)
    except calendar.CalendarUnknownYear as exc:  # late December: next year's holidays are not yet known
        ctx.write(f"  （未生成近期数据：{exc}）")
    _report(ctx)


# --- the year 2025 -----------------------------------------------------------------------------
def _scope_units() -> tuple[list[Unit], dict[str, list[Unit]]]:
    windows: dict[str, list[Unit]] = defaultdict(list)
    for window in Unit.objects.filter(kind=UnitKind.WINDOW).select_related("parent").order_by("code"):
        assert window.parent is not None, "a window belongs to its department"
        windows[window.parent.code].append(window)
    departments = list(Unit.objects.filter(code__in=[*windows, *OTHER_SCOPE]).order_by("code"))
    return departments, windows


def _targets(plan: _Plan, departments: list[Unit], windows: dict[str, list[Unit]]) -> list[Unit]:
    """Where a task goes in a department: one of its windows if it has any, else itself."""
    return [plan.rng.choice(windows[d.code]) if d.code in windows else d for d in departments]


def _build_year(plan: _Plan) -> None:
    rng = plan.rng
    version, document = policy_document(date(YEAR, 1, 1))
    checklist = [item.model_dump() for item in document.inspections.checklist]
    departments, windows = _scope_units()
    window_departments = [d for d in departments if d.code in windows]
    specs = [(date(YEAR, m, 1), RoundKind.REGULAR, "", [i["code"] for i in checklist], 10) for m in REGULAR_MONTHS]
    specs += [(date(YEAR, m, 1), RoundKind.SPECIAL, theme, codes, n) for m, theme, codes, n in SPECIAL]
    specs.sort(key=lambda s: (s[0], s[1] != RoundKind.REGULAR))
    # the outcomes, decided before the draw: who came, which tasks produced findings
    total = sum(spec[4] for spec in specs)
    indices = list(range(total))
    unattended = set(rng.sample(indices, TASKS_UNATTENDED))
    attended = [i for i in indices if i not in unattended]
    of_three = set(rng.sample(attended, TASKS_OF_THREE))
    partial = set(rng.sample(attended, PARTIAL_ABSENCES))
    with_findings = set(rng.sample(attended, TASKS_WITH_FINDINGS))
    findings: list[Finding] = []
    counter = 0
    for month, kind, theme, codes, n_tasks in specs:
        title = f"{month.year}年{month.month}月常态暗访" if kind == RoundKind.REGULAR else f"{month.year}年{month.month}月专项暗访：{theme}"
        round_ = InspectionRound.objects.create(
            title=title,
            kind=kind,
            theme=theme,
            month=month,
            checklist=[i for i in checklist if i["code"] in codes],
            status=RoundStatus.CLOSED,
            policy_version=version,
            created_by=plan.office,
            created_at=_aware(month - timedelta(days=5), 10),
            closed_at=_aware(_month_end(month) + timedelta(days=3), 17),
        )
        scope = departments if kind == RoundKind.REGULAR else rng.sample(window_departments, n_tasks * 2)
        round_.scope.set(scope)
        order = list(scope)
        rng.shuffle(order)
        per_task = len(order) // n_tasks
        weeks = [w for w in _weeks(month) if _working_days(*w)]
        weeks = weeks[:4] if kind == RoundKind.REGULAR else [weeks[len(weeks) // 2]]
        batches = [
            InspectionBatch.objects.create(
                round=round_, number=i, start_date=a, end_date=b, created_by=plan.office, created_at=round_.created_at
            )
            for i, (a, b) in enumerate(weeks, start=1)
        ]
        for index in range(n_tasks):
            i, counter = counter, counter + 1
            batch = batches[index % len(batches)]
            day = rng.choice(_working_days(batch.start_date, batch.end_date))
            slot = rng.choice([0, 1])
            start = _aware(day, 8, 30) if slot == 0 else _aware(day, 14, 30)
            units = _targets(plan, order[index * per_task : (index + 1) * per_task], windows)
            size = 3 if i in of_three else 2
            task = InspectionTask.objects.create(
                round=round_,
                batch=batch,
                mode=rng.choice([InspectionMode.COVERT] * 3 + [InspectionMode.OPEN, InspectionMode.WALKTHROUGH]),
                window_start=start,
                window_end=start + timedelta(hours=2, minutes=30),
                team_size=size,
                status=TaskStatus.DISPATCHED,
                policy_version=version,
                dispatched_at=start - timedelta(days=2),
                dispatched_by=plan.office,
                created_by=plan.office,
                created_at=start - timedelta(days=3),
            )
            task.units.set(units)
            team = plan.draw(round_.pk, units, day, slot, size)
            absent = set(team) if i in unattended else ({team[-1]} if i in partial else set())
            present = [s for s in team if s not in absent]
            for member in team:
                _assignment(plan, task, member, attended=member in present, no_problem=i not in with_findings)
            if i in with_findings:
                reporter = rng.choice(present)
                for _n in range(1 + (rng.random() < 0.3)):
                    findings.append(_finding(plan, task, reporter, units))
        plan.previous_round = round_.pk
    _fates(plan, findings)
    _circulars(plan)


def _assignment(plan: _Plan, task: InspectionTask, supervisor: Supervisor, *, attended: bool, no_problem: bool) -> TaskAssignment:
    rng = plan.rng
    start, dispatched = task.window_start, task.dispatched_at
    assert dispatched is not None
    values: dict[str, Any] = {"created_at": task.created_at, "created_by": plan.office, "source": AssignmentSource.AUTO}
    if attended:
        arrived = start + timedelta(minutes=rng.randint(0, 40))
        values.update(
            status=AssignmentStatus.REPORTED,
            responded_at=dispatched + timedelta(hours=rng.randint(1, 20)),
            arrived_at=arrived,
            reported_at=arrived + timedelta(minutes=rng.randint(30, 90)),
            no_problem=no_problem,
        )
    elif rng.random() < 0.5:
        values.update(
            status=AssignmentStatus.DECLINED,
            decline_reason=rng.choice(DECLINE_REASONS),
            responded_at=dispatched + timedelta(hours=3),
        )
    else:
        values.update(status=AssignmentStatus.ACCEPTED, responded_at=dispatched + timedelta(hours=5))  # accepted, never came
    return TaskAssignment.objects.create(task=task, supervisor=supervisor, **values)


def _finding(
    plan: _Plan, task: InspectionTask, supervisor: Supervisor, units: list[Unit], *, status: str = FindingStatus.SUBMITTED
) -> Finding:
    rng = plan.rng
    round_ = task.round
    item = rng.choice([i for i in round_.checklist if i["code"] in DESCRIPTIONS] or round_.checklist)
    unit = rng.choice(units)
    now = timezone.now()
    observed = min(task.window_start + timedelta(minutes=rng.randint(5, 100)), now - timedelta(minutes=2))
    submitted = None if status == FindingStatus.DRAFT else min(observed + timedelta(minutes=rng.randint(30, 180)), now)
    finding = Finding.objects.create(
        task=task,
        recorded_by=supervisor,
        unit=unit,
        item_code=item["code"],
        item_name=item["name"],
        description=rng.choice(DESCRIPTIONS.get(item["code"], ["未按规定执行相关制度"])),
        observed_at=observed,
        place=unit.location or f"{unit.name}办公区",
        staff_hint=f"工牌{rng.randint(1, 60):03d}" if rng.random() < 0.6 else "",
        status=status,
        created_at=observed,
        submitted_at=submitted,
    )
    for _n in range(1 if not item.get("requires_evidence") else rng.choice([1, 1, 2])):
        content = _photo(rng)
        evidence = Evidence(
            finding=finding,
            kind="image",
            content_type="image/jpeg",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            original_name=f"IMG_{rng.randint(1000, 9999)}.jpg",
            captured_at=observed,
            uploaded_at=observed + timedelta(minutes=2),
            uploaded_by=supervisor.user,
            locked_at=submitted,
        )
        evidence.file.save("photo.jpg", ContentFile(content), save=False)
        evidence.save()
    return finding


def _event(finding: Finding, action: str, label: str, at: datetime, actor: User | None, note: str = "", for_unit: bool = False) -> None:
    FindingEvent.objects.create(finding=finding, action=action, label=label, at=at, actor=actor, note=note, for_unit=for_unit)


def _fates(plan: _Plan, findings: list[Finding]) -> None:
    """Everything that happened to the year's findings after they were submitted."""
    version, document = policy_document(date(YEAR, 1, 1))
    policy = document.inspections
    # a few left at each stage at the end of the year (the latest ones), most closed
    findings.sort(key=lambda f: f.observed_at)
    late = findings[-6:]
    stuck = {
        late[0].pk: FindingStatus.CONFIRMED,
        late[1].pk: FindingStatus.FED_BACK,
        late[2].pk: FindingStatus.DISPUTED,
        late[3].pk: FindingStatus.RECTIFYING,
    }
    stuck |= {late[4].pk: FindingStatus.RECTIFIED, late[5].pk: FindingStatus.RECTIFIED}
    for finding in findings:
        _fate(plan, finding, version, policy, stuck.get(finding.pk))


def _fate(plan: _Plan, finding: Finding, version: Any, policy: Any, stop: str | None) -> None:
    rng = plan.rng
    submitted = finding.submitted_at
    assert submitted is not None
    day = timezone.localtime(submitted).date()
    office, liaison = plan.office, plan.unit_user(finding.unit)
    changes: dict[str, Any] = {}
    _event(finding, "submit", "监督员提交", submitted, finding.recorded_by.user)
    roll = rng.random()
    if stop is None and roll < 0.09:
        reviewed = _aware(calendar.add_working_days(day, 1), 10)
        changes.update(
            status=FindingStatus.DISMISSED,
            review_note="照片无法辨认当事人及所在单位，证据不足",
            reviewed_by=office,
            reviewed_at=reviewed,
            closed_at=reviewed,
        )
        _event(finding, "dismiss", "不予采用", reviewed, office, changes["review_note"])
        Finding.objects.filter(pk=finding.pk).update(**changes)
        return
    if stop is None and roll < 0.16:
        changes["return_count"] = 1
        _event(finding, "return", "退回补充证据", submitted + timedelta(hours=20), office, "请补充能看清工位号的照片")
    confirmed = _aware(calendar.add_working_days(day, rng.randint(1, 2)), 10)
    changes.update(status=FindingStatus.CONFIRMED, confirmed_at=confirmed, reviewed_by=office, reviewed_at=confirmed)
    _event(finding, "confirm", "效能办确认", confirmed, office)
    if stop == FindingStatus.CONFIRMED:
        Finding.objects.filter(pk=finding.pk).update(**changes)
        return
    fed_day = calendar.add_working_days(confirmed.date(), rng.randint(0, 2))
    fed = _aware(fed_day, 15)
    verify_due = calendar.add_working_days(fed_day, policy.verify_days)
    changes.update(status=FindingStatus.FED_BACK, fed_back_at=fed, fed_back_by=office, verify_due=verify_due, policy_version=version)
    _event(finding, "feed_back", "效能办反馈", fed, office, f"请于{_cn(verify_due)}前核查（{policy.verify_days}个工作日）。", True)
    if stop == FindingStatus.FED_BACK:
        Finding.objects.filter(pk=finding.pk).update(**changes)
        return
    verified = _aware(calendar.add_working_days(fed_day, rng.randint(1, policy.verify_days)), 11)
    verdict = (
        Verdict.UNTRUE if stop == FindingStatus.DISPUTED or rng.random() < 0.06 else rng.choice([Verdict.TRUE] * 4 + [Verdict.PARTLY_TRUE])
    )
    changes.update(verdict=verdict, verification_text=VERIFY_TEXT[verdict], verified_at=verified, verified_by=liaison)
    _event(finding, "verify", f"单位核查：{verdict.label}", verified, liaison, VERIFY_TEXT[verdict], True)
    if verdict == Verdict.UNTRUE:
        changes["status"] = FindingStatus.DISPUTED
        if stop != FindingStatus.DISPUTED:
            decided = _aware(calendar.add_working_days(verified.date(), 2), 16)
            changes.update(status=FindingStatus.UNTRUE, decision_note="经复核监控录像，同意单位意见", closed_at=decided)
            _event(finding, "untrue_accept", "效能办认定不属实，办结", decided, office, changes["decision_note"], True)
        Finding.objects.filter(pk=finding.pk).update(**changes)
        return
    rectify_due = calendar.add_working_days(verified.date(), policy.rectify_days)
    changes.update(status=FindingStatus.RECTIFYING, rectify_due=rectify_due)
    if stop == FindingStatus.RECTIFYING:
        Finding.objects.filter(pk=finding.pk).update(**changes)
        return
    late = rng.random() < 0.08  # missed the deadline and got a new one
    if late:
        rectify_due = calendar.add_working_days(rectify_due, 5)
        changes.update(rectify_late=True, rectify_due=rectify_due)
        _event(
            finding,
            "deadline",
            f"效能办重新限期：整改期限改为{_cn(rectify_due)}",
            _aware(rectify_due, 9),
            office,
            "单位逾期未报送，重新限期",
            True,
        )
    reported = _aware(calendar.add_working_days(verified.date(), rng.randint(3, policy.rectify_days)) if not late else rectify_due, 16)
    report = Rectification.objects.create(
        finding=finding, text=rng.choice(RECTIFY_TEXT), due=rectify_due, reported_at=reported, reported_by=liaison or office
    )
    _event(finding, "rectify", "单位报送整改情况", reported, liaison, report.text, True)
    changes["status"] = FindingStatus.RECTIFIED
    if stop != FindingStatus.RECTIFIED:
        accepted = _aware(calendar.add_working_days(reported.date(), rng.randint(1, 3)), 10)
        Rectification.objects.filter(pk=report.pk).update(
            decision=RectificationDecision.ACCEPTED, decided_at=accepted, decided_by=office, decision_note="同意验收"
        )
        changes.update(status=FindingStatus.CLOSED, closed_at=accepted)
        _event(finding, "accept", "整改验收通过，办结", accepted, office, "同意验收", True)
    Finding.objects.filter(pk=finding.pk).update(**changes)


def _circulars(plan: _Plan) -> None:
    """The year's two circulars, published as the office would (stored files, SHA-256)."""
    from inspections.documents import circular_docx, circular_pdf, draft_body

    issuer = f"{CITY}市效能建设领导小组办公室"
    closed = list(
        Finding.objects.filter(status=FindingStatus.CLOSED, verdict=Verdict.TRUE, task__round__month__year=YEAR)
        .select_related("unit", "task__round", "staff")
        .order_by("observed_at")
    )
    first, second = [f for f in closed if f.observed_at.month <= 6], [f for f in closed if f.observed_at.month > 6]
    halves = [  # six problems spread over each half-year
        (1, "上半年", first[:: max(1, len(first) // 6)][:6], date(YEAR, 7, 8)),
        (2, "下半年", second[:: max(1, len(second) // 6)][:6], date(YEAR + 1, 1, 12)),
    ]
    for seq, half, chosen, issued in halves:
        circular = Circular(
            number=f"临效办通〔{issued.year}〕{seq}号",
            title=f"关于{YEAR}年{half}明查暗访发现问题的通报",
            issuer=issuer,
            addressee="各市直单位：",
            body=draft_body(chosen),
            issue_date=issued,
            copy_to="市委办公室，市人大常委会办公室，市政府办公室，市政协办公室，市纪委监委。",
            created_by=plan.office,
            created_at=_aware(issued, 9),
        )
        circular.save()
        circular.findings.set(chosen)
        docx, pdf = circular_docx(circular), circular_pdf(circular)
        circular.docx.save("circular.docx", ContentFile(docx), save=False)
        circular.pdf.save("circular.pdf", ContentFile(pdf), save=False)
        Circular.objects.filter(pk=circular.pk).update(
            status=CircularStatus.PUBLISHED,
            docx=circular.docx.name,
            docx_sha256=hashlib.sha256(docx).hexdigest(),
            pdf=circular.pdf.name,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            published_by=plan.head,
            published_at=_aware(issued, 16),
        )
        for finding in chosen:
            _event(finding, "circular", f"列入通报{circular.number}", _aware(issued, 16), plan.head, for_unit=True)


# --- the last two months, up to today -----------------------------------------------------------
def _working_day_before(day: date, count: int) -> date:
    while count > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


def _build_recent(plan: _Plan) -> None:
    rng = plan.rng
    now = timezone.localtime()
    today = now.date()
    this_month = today.replace(day=1)
    version, document = policy_document(today)
    policy = document.inspections
    checklist = [item.model_dump() for item in policy.checklist]
    departments, windows = _scope_units()
    by_code = {u.code: u for u in Unit.objects.filter(kind=UnitKind.WINDOW)}
    me = next(s for s in plan.supervisors if s.user and s.user.username == "supervisor")
    plan.visited.clear()
    plan.previous_round = None
    rounds: dict[date, InspectionRound] = {}

    def round_for(day: date) -> InspectionRound:
        month = day.replace(day=1)
        if month not in rounds:
            rounds[month] = InspectionRound.objects.create(
                title=f"{month.year}年{month.month}月常态暗访",
                kind=RoundKind.REGULAR,
                month=month,
                checklist=checklist,
                policy_version=version,
                status=RoundStatus.OPEN if month == this_month else RoundStatus.CLOSED,
                created_by=plan.office,
                created_at=min(_aware(month, 9) - timedelta(days=3), now),
            )
            rounds[month].scope.set(departments)
        return rounds[month]

    def team_for(unit: Unit, day: date, slot: int, first: Supervisor | None = None) -> list[Supervisor]:
        others = [s for s in plan.supervisors if s != first and not conflicting_units(s, [unit]) and (s.pk, day, slot) not in plan.busy]
        rng.shuffle(others)
        others.sort(key=lambda s: plan.load[s.pk])
        team = ([first] if first else []) + others[: 2 - (1 if first else 0)]
        for s in team:
            plan.load[s.pk] += 1
            plan.busy.add((s.pk, day, slot))
        return team

    def visit(day: date, unit: Unit, team: list[Supervisor], hour: int = 8, dispatched: bool = True) -> InspectionTask:
        round_ = round_for(day)
        week = next(w for w in _weeks(round_.month) if w[0] <= day <= w[1])
        batch, _created = InspectionBatch.objects.get_or_create(
            round=round_,
            start_date=week[0],
            defaults={
                "end_date": week[1],
                "number": round_.batches.count() + 1,
                "created_by": plan.office,
                "created_at": round_.created_at,
            },
        )
        start = _aware(day, hour, 30)
        task = InspectionTask.objects.create(
            round=round_,
            batch=batch,
            mode=InspectionMode.COVERT,
            window_start=start,
            window_end=start + timedelta(hours=2, minutes=30),
            team_size=2,
            status=TaskStatus.DISPATCHED if dispatched else TaskStatus.PLANNED,
            policy_version=version,
            dispatched_at=min(start - timedelta(days=1), now) if dispatched else None,
            dispatched_by=plan.office if dispatched else None,
            created_by=plan.office,
            created_at=min(start - timedelta(days=2), now),
        )
        task.units.set([unit])
        for s in team:
            plan.visited[round_.pk][s.pk].add(_branch(unit.path))
        return task

    def recorded(day: date, unit: Unit, fate: str, fed_day: date | None, first: Supervisor | None = None) -> None:
        team = team_for(unit, day, 0, first)
        task = visit(day, unit, team)
        for member in team:
            _assignment(plan, task, member, attended=True, no_problem=member != team[0])
        draft = fate == "draft"
        finding = _finding(plan, task, team[0], [unit], status=FindingStatus.DRAFT if draft else FindingStatus.SUBMITTED)
        if draft:  # still being written on the phone
            TaskAssignment.objects.filter(task=task, supervisor=team[0]).update(status=AssignmentStatus.ARRIVED, reported_at=None)
        else:
            _recent_fate(plan, finding, fate, version, policy, fed_day)

    # findings still with their units, each visited two working days before it was fed back
    back = {"rectifying_overdue": policy.verify_days + policy.rectify_days + 2, "fed_back_overdue": policy.verify_days + 2}
    back |= {"rectified": policy.rectify_days, "disputed": 4, "closed": 6, "rectifying": 2, "fed_back": 0}
    for code, fate in (
        ("G10-W1", "rectifying_overdue"),
        ("G24-W1", "fed_back_overdue"),
        ("G06-W1", "rectified"),
        ("G13-W1", "disputed"),
        ("G37-W1", "closed"),
        ("G24-W2", "rectifying"),
        ("G10-W2", "fed_back"),
    ):
        fed_day = _working_day_before(today, back[fate])
        recorded(_working_day_before(fed_day, 2), by_code[code], fate, fed_day)
    # fresh ones: to review, to feed back, and the demo supervisor's own (returned, a draft)
    mine = [w for code in ("G35", "G19", "G26", "G18", "G03", "G07") for w in windows[code] if not conflicting_units(me, [w])]
    yesterday = _working_day_before(today, 1)
    recorded(yesterday, rng.choice(windows["G18"]), "submitted", None)
    recorded(yesterday, rng.choice(windows["G26"]), "confirmed", None)
    recorded(yesterday, mine[0], "returned", None, first=me)
    recorded(today if calendar.is_working_day(today) and now.hour >= 11 else yesterday, mine[1], "draft", None, first=me)
    # visits to come this month for the demo supervisor (the phone pages), and one being planned
    month_end = _month_end(this_month)
    coming = _working_days(today + timedelta(days=1), month_end)[:3]
    hours = [9] * len(coming)
    if not coming:  # the last day of the month: this evening
        coming, hours = [today], [min(max(now.hour + 1, 14), 20)]
    targets = [windows[code][0] for code in ("G11", "G14", "G20", "G03", "G07", "G12") if not conflicting_units(me, windows[code][:1])]
    for index, (day, hour) in enumerate(zip(coming, hours, strict=True)):
        unit = targets[index % len(targets)]
        team = team_for(unit, day, int(hour >= 12), first=me)
        task = visit(day, unit, team, hour=hour)
        for member in team:
            TaskAssignment.objects.create(
                task=task,
                supervisor=member,
                status=AssignmentStatus.ACCEPTED if index == 0 and member == me else AssignmentStatus.PENDING,
                source=AssignmentSource.AUTO,
                created_by=plan.office,
                created_at=task.created_at,
            )
    visit(coming[-1], rng.choice(windows["G27"]), [], hour=14, dispatched=False)


def _recent_fate(plan: _Plan, finding: Finding, fate: str, version: Any, policy: Any, fed_day: date | None) -> None:
    """Put a finding of the last weeks where the demo wants it, with deadlines that make
    sense today (overdue ones really overdue, open ones still open)."""
    office, liaison = plan.office, plan.unit_user(finding.unit)
    now, submitted = timezone.now(), finding.submitted_at
    assert submitted is not None
    changes: dict[str, Any] = {}
    if fate == "returned":
        changes.update(
            status=FindingStatus.RETURNED,
            review_note="照片看不清窗口编号，请补充近景照片",
            reviewed_by=office,
            reviewed_at=now,
            return_count=1,
        )
        _event(finding, "submit", "监督员提交", submitted, finding.recorded_by.user)
        _event(finding, "return", "退回补充证据", now, office, changes["review_note"])
    if fate in ("submitted", "returned"):
        Finding.objects.filter(pk=finding.pk).update(**changes)
        return
    changes.update(
        status=FindingStatus.CONFIRMED,
        confirmed_at=min(submitted + timedelta(hours=20), now),
        reviewed_by=office,
        reviewed_at=now,
    )
    if fate == "confirmed":
        Finding.objects.filter(pk=finding.pk).update(**changes)
        return
    assert fed_day is not None
    fed = min(_aware(fed_day, 10), now)
    verify_due = calendar.add_working_days(fed_day, policy.verify_days)
    changes.update(status=FindingStatus.FED_BACK, confirmed_at=min(changes["confirmed_at"], fed), fed_back_at=fed, fed_back_by=office)
    changes.update(verify_due=verify_due, policy_version=version)
    _event(finding, "feed_back", "效能办反馈", fed, office, f"请于{_cn(verify_due)}前核查（{policy.verify_days}个工作日）。", True)
    if fate in ("fed_back", "fed_back_overdue"):
        Finding.objects.filter(pk=finding.pk).update(**changes)
        return
    verified_day = calendar.add_working_days(fed_day, 1)
    verified = min(_aware(verified_day, 11), now)
    verdict = Verdict.UNTRUE if fate == "disputed" else Verdict.TRUE
    changes.update(verdict=verdict, verification_text=VERIFY_TEXT[verdict], verified_at=verified, verified_by=liaison)
    _event(finding, "verify", f"单位核查：{verdict.label}", verified, liaison, VERIFY_TEXT[verdict], True)
    if fate == "disputed":
        changes["status"] = FindingStatus.DISPUTED
        Finding.objects.filter(pk=finding.pk).update(**changes)
        return
    rectify_due = calendar.add_working_days(verified_day, policy.rectify_days)
    changes.update(status=FindingStatus.RECTIFYING, rectify_due=rectify_due)
    if fate in ("rectifying", "rectifying_overdue"):
        Finding.objects.filter(pk=finding.pk).update(**changes)
        return
    reported = min(_aware(calendar.add_working_days(verified_day, 3), 16), now)
    report = Rectification.objects.create(
        finding=finding, text=RECTIFY_TEXT[0], due=rectify_due, reported_at=reported, reported_by=liaison or office
    )
    _event(finding, "rectify", "单位报送整改情况", reported, liaison, report.text, True)
    changes["status"] = FindingStatus.RECTIFIED
    if fate == "closed":
        Rectification.objects.filter(pk=report.pk).update(
            decision=RectificationDecision.ACCEPTED, decided_at=now, decided_by=office, decision_note="同意验收"
        )
        changes.update(status=FindingStatus.CLOSED, closed_at=now)
    Finding.objects.filter(pk=finding.pk).update(**changes)


# --- what the demo shows ---------------------------------------------------------------------
def _report(ctx: DemoContext) -> None:
    from inspections.figures import Dataset, Period

    fig = Dataset.load(Period(year=YEAR)).figures()
    states = Counter(Finding.objects.values_list("status", flat=True))
    ctx.write(
        f"  {YEAR}年明查暗访：常态 {fig.rounds} 轮、专项 {fig.special_rounds} 轮，派发任务 {fig.tasks_dispatched} 个，"
        f"出勤率 {fig.attendance}（{fig.assignments_attended}/{fig.assignments_dispatched}），"
        f"线索反馈率 {fig.lead_feedback}（{fig.tasks_with_findings}/{fig.tasks_attended}），"
        f"核查属实 {fig.findings_verified_true} 个；问题线索共 {sum(states.values())} 个，状态 {len(states)} 种"
    )
    ctx.write("  " + "，".join(f"{FindingStatus(k).label} {n}" for k, n in sorted(states.items())))
