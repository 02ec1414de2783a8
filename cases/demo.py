"""The demo city's cases: a year (2025, whose calendar is known) across every channel,
plus open work this month, so that every page has something to show.

The records are built so that seed 002's and seed 003's figures come out of them when
the figures module counts them (nothing here stores a figure):
- 12345 hotline: completion 99.6% (996 of 1000), satisfaction 98% (882 of 900 answered);
- leaders' mobile messages: 468 handled, 460 closed (98.3%);
- complaint centre: 47 complaints, all closed, none repeated.
The year is written with bulk_create (fast, no audit records: it is history); this
month's cases go through the services, as real work would. The routing classifier is
trained on the year's dispatches. Idempotent: nothing is added once cases exist.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cases import services
from cases.choices import CaseStatus, EventKind, FollowUpOutcome, Triage, Verdict
from cases.models import Case, CaseEvent, Channel, Dispatch, FollowUp
from core import calendar
from core.demo import DemoContext
from core.selectors import policy_document
from org.models import Staff, Unit

YEAR = 2025
# Every demo case can be tracked with this query password (one hash, computed once: a
# hash per case would make the demo take minutes).
DEMO_QUERY_PASSWORD = "123456"  # noqa: S105 (a demo password, printed for the demo)

# unit code → (subjects, problems): how people write about that unit's matters
TOPICS: dict[str, tuple[list[str], list[str]]] = {
    "G10": (
        ["养老保险待遇", "社保卡补办", "失业保险金", "工伤认定", "公司拖欠工资", "劳动合同", "社保关系转移", "退休手续"],
        ["迟迟没有到账", "材料反复要求补交", "窗口说办不了", "单位拒不支付", "来回跑了好几趟"],
    ),
    "G24": (
        ["超市过期食品", "餐馆卫生", "虚假宣传", "菜市场缺斤少两", "网购商品退款", "营业执照办理", "药店售假"],
        ["商家拒不退款", "吃了以后身体不适", "价格标示与结算不符", "投诉后没人管", "以次充好"],
    ),
    "G06": (
        ["户口迁移", "身份证补办", "居住证办理", "夜间噪音扰民", "电动车被盗", "出入境证件", "驾驶证换证"],
        ["派出所推诿", "报警后无人处理", "要求的证明办不出来", "排队一整天", "网上预约约不上"],
    ),
    "G13": (
        ["物业服务", "小区电梯故障", "房屋漏水", "工地夜间施工", "商品房延期交付", "房屋质量问题"],
        ["物业不管不问", "开发商拖延", "墙体开裂", "影响休息", "多次反映没有结果"],
    ),
    "G27": (
        ["占道经营", "违章搭建", "生活垃圾清运", "路灯损坏", "流动摊贩", "渣土车抛洒"],
        ["堵塞人行道", "气味很大", "晚上一片漆黑", "影响通行", "反映多次没人来"],
    ),
    "G14": (
        ["公交线路调整", "出租车拒载", "网约车乱收费", "道路坑洼破损", "公交站台损坏"],
        ["等车超过一小时", "司机态度恶劣", "雨天积水", "老人出行不便", "投诉电话打不通"],
    ),
    "G03": (
        ["小学学位申请", "学校乱收费", "校外培训机构", "新生入学报名", "校车安全"],
        ["孩子上不了学", "退费难", "报名系统进不去", "收费没有依据", "存在安全隐患"],
    ),
    "G19": (
        ["医院挂号排队", "医生服务态度", "疫苗接种预约", "医疗收费", "社区卫生服务中心"],
        ["等候时间太长", "态度冷漠", "约不上号", "重复收费", "药品短缺"],
    ),
    "G26": (
        ["医保报销", "异地就医备案", "医保卡使用", "门诊慢特病认定", "医保缴费"],
        ["报销比例不对", "备案办不下来", "药店刷不了卡", "审核太慢", "扣费异常"],
    ),
    "G35": (
        ["公积金提取", "公积金贷款", "公积金缴存基数", "公积金账户转移"],
        ["审批时间太长", "要求的材料太多", "额度算错了", "线上办理失败"],
    ),
    "G37": (
        ["不动产权证办理", "房产过户", "抵押登记", "不动产证更名"],
        ["办证拖了半年", "窗口让补材料", "系统显示异常", "预约排不上"],
    ),
    "G12": (
        ["工厂偷排污水", "餐饮油烟扰民", "河道污染", "化工厂异味", "夜间噪声"],
        ["臭味熏人", "鱼都死了", "影响居民健康", "晚上更严重", "多次举报未处理"],
    ),
    "S01": (
        ["增值税发票开具", "个税年度汇算", "退税办理", "纳税申报系统", "社保费征缴"],
        ["退税迟迟不到", "系统登录不上", "办税厅排长队", "政策解释不一致", "申报出错无法更正"],
    ),
    "S10": (
        ["小区频繁停电", "电费异常", "新装用电报装", "老旧电线", "充电桩报装"],
        ["一周停了三次", "电费翻倍", "报装拖了两个月", "存在火灾隐患", "客服推诿"],
    ),
    "G07": (
        ["低保申请", "婚姻登记预约", "养老院服务", "高龄津贴", "殡葬服务收费"],
        ["审核不通过没有理由", "预约不上", "护理不到位", "津贴停发", "收费不透明"],
    ),
    "G02": (
        ["企业投资项目备案", "项目审批", "营商环境", "涉企收费", "政策兑现"],
        ["审批时限超期", "材料重复提交", "承诺兑现不了", "收费项目不清", "部门之间推诿"],
    ),
}
OPENINGS = ["我是附近居民，", "本人反映：", "市民来电反映，", "", "群众反映：", "有企业反映，"]
ASKS = ["请尽快处理。", "希望相关部门协调解决。", "请给个说法。", "请督促整改。", "希望尽快答复。"]

# channel code → (cases received in 2025, not completed, answered follow-ups, bad ratings among them)
CHANNELS: dict[str, tuple[int, int, int, int]] = {
    "hotline_12345": (1000, 4, 900, 18),
    "livelihood_hotline": (300, 2, 260, 9),
    "letters_visits": (150, 3, 120, 8),
    "complaint_centre": (47, 0, 45, 2),
    "service_centre": (200, 1, 180, 3),
    "media": (40, 1, 35, 2),
    "enterprise_window": (120, 2, 100, 3),
    "mayor_mailbox": (150, 2, 130, 5),
    "leader_sms": (468, 8, 420, 12),
    "deputies": (60, 0, 55, 1),
    "suggestions": (50, 0, 40, 1),
    "enterprise_liaison": (80, 1, 70, 2),
    "online": (100, 2, 85, 4),
}
KINDS = {
    "complaint_centre": ["complaint"],
    "deputies": ["suggestion"],
    "suggestions": ["suggestion"],
    "leader_sms": ["request", "complaint", "request", "suggestion"],
}
DEFAULT_KINDS = ["request", "request", "complaint", "complaint", "inquiry", "report", "suggestion", "praise"]


def _working_moment(ctx: DemoContext, day: date) -> datetime:
    """A moment within office hours of ``day``."""
    tz = timezone.get_current_timezone()
    minutes = ctx.rng.randint(8 * 60 + 40, 17 * 60 + 10)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tz)


def _text(ctx: DemoContext, code: str) -> tuple[str, str]:
    subjects, problems = TOPICS[code]
    subject, problem = ctx.rng.choice(subjects), ctx.rng.choice(problems)
    content = f"{ctx.rng.choice(OPENINGS)}关于{subject}的问题，{problem}，{ctx.rng.choice(ASKS)}"
    return f"{subject}{problem}"[:30], content


def build(ctx: DemoContext) -> None:
    if Case.objects.exists():
        _report(ctx)
        return
    units = {u.code: u for u in Unit.objects.filter(code__in=list(TOPICS))}
    if len(units) < len(TOPICS):
        return  # not the demo city
    staff: dict[int, list[Staff]] = {}
    for person in Staff.objects.filter(unit__in=units.values(), is_active=True).order_by("pk"):
        staff.setdefault(person.unit_id, []).append(person)
    from accounts.models import User

    office = User.objects.filter(username="office").first()
    password_hash = make_password(DEMO_QUERY_PASSWORD)
    _year(ctx, units, staff, office, password_hash, YEAR, CHANNELS, calendar.working_days_in(YEAR))
    # this year up to last month, at a third of the volume, so that this year's pages show work too
    today = timezone.localdate()
    earlier = [d for d in calendar.working_days_in(today.year) if d < today.replace(day=1)]
    if today.year > YEAR and earlier:
        lighter = {code: (n // 3, 0, answered // 3, bad // 3) for code, (n, _open, answered, bad) in CHANNELS.items()}
        _year(ctx, units, staff, office, password_hash, today.year, lighter, earlier)
    _this_month(ctx, units, staff, office)
    # this month's cases got random codes and passwords from the services: make them
    # reproducible and trackable with the demo password
    for case in Case.objects.filter(query_password__gt="").exclude(query_password=password_hash).order_by("pk"):
        code = "".join(ctx.rng.choice(services.CODE_ALPHABET) for _ in range(services.CODE_LENGTH))
        Case.objects.filter(pk=case.pk).update(tracking_code=code, query_password=password_hash)
    from cases.routing import routing_train

    outcome = routing_train(actor=None)
    ctx.write(f"  诉求派单模型：{outcome.message}")
    _report(ctx)


def _year(
    ctx: DemoContext,
    units: dict[str, Unit],
    staff: dict[int, list[Staff]],
    office: Any,
    password_hash: str,
    year: int,
    volumes: dict[str, tuple[int, int, int, int]],
    days: list[date],
) -> None:
    """A year's history (written in bulk), and its monthly rankings frozen."""
    rng = ctx.rng
    _version, document = policy_document(on=days[-1])
    limits = document.cases.deadline_days
    good_levels = ["very_satisfied", "satisfied", "basically_satisfied"]
    channels = {c.code: c for c in Channel.objects.all()}
    unit_codes = list(TOPICS)
    codes_seen: set[str] = set(Case.objects.values_list("tracking_code", flat=True))

    def tracking_code() -> str:
        while True:
            code = "".join(rng.choice(services.CODE_ALPHABET) for _ in range(services.CODE_LENGTH))
            if code not in codes_seen:
                codes_seen.add(code)
                return code

    plans: list[dict[str, Any]] = []
    for channel_code, (total, open_count, answered, bad) in volumes.items():
        completed = total - open_count
        outcomes = ["answered"] * answered + ["unreachable"] * (completed - answered)
        rng.shuffle(outcomes)
        ratings = ["bad"] * bad + ["good"] * (answered - bad)
        rng.shuffle(ratings)
        rating_iter = iter(ratings)
        for i in range(total):
            plan: dict[str, Any] = {"channel": channels[channel_code], "open": i >= completed}
            plan["outcome"] = None if plan["open"] else outcomes[i]
            if plan["outcome"] == "answered":
                plan["rating"] = next(rating_iter)
            plans.append(plan)
    rng.shuffle(plans)
    cases: list[Case] = []
    for plan in plans:
        channel = plan["channel"]
        code = rng.choice(unit_codes)
        unit = units[code]
        kind = rng.choice(KINDS.get(channel.code, DEFAULT_KINDS))
        title, content = _text(ctx, code)
        received = _working_moment(ctx, rng.choice(days[:-25] if plan["open"] else days[:-15]))
        limit = limits[kind]
        deadline = calendar.add_working_days(received, limit)
        anonymous = kind == "report" and rng.random() < 0.3
        case = Case(
            channel=channel,
            kind=kind,
            title=title,
            content=content,
            concerned_unit=unit if rng.random() < 0.4 else None,
            anonymous=anonymous,
            contact_name="" if anonymous else ctx.name(),
            contact_phone="" if anonymous else ctx.mobile(),
            contact_consent=not anonymous and rng.random() < 0.6,
            tracking_code=tracking_code(),
            query_password=password_hash,
            received_at=received,
            received_by=office,
            triage=Triage.IN_SCOPE,
            unit=unit,
            deadline=deadline,
            deadline_from=received,
            deadline_days=limit,
            policy_version=_version,
            first_responsible=rng.choice(staff[unit.pk]) if staff.get(unit.pk) else None,
        )
        if plan["open"]:
            # long-running hard cases: reopened three times, escalated, still being handled
            case.status = CaseStatus.IN_PROGRESS
            case.reopen_count = 3
            case.escalated = True
            case.reminded_at = case.escalation_prompted_at = timezone.now()
        else:
            on_time = rng.random() < 0.95
            done = calendar.add_working_days(received, rng.randint(max(limit - 3, 0), limit) if on_time else limit + rng.randint(1, 3))
            completed_at = _working_moment(ctx, done)
            if completed_at <= received:
                completed_at = received + timedelta(hours=3)
            case.reply = "经核实，已按规定办理并答复诉求人。"
            case.replied_at = case.completed_at = completed_at
            case.handled_on_time = completed_at.date() <= deadline
            case.status = CaseStatus.CLOSED
            case.closed_at = completed_at + timedelta(days=rng.randint(1, 3))
            if plan["outcome"] == "answered":
                case.satisfaction = (
                    rng.choice(good_levels) if plan["rating"] == "good" else rng.choice(["dissatisfied", "very_dissatisfied"])
                )
                case.resolved = plan["rating"] == "good" or rng.random() < 0.2
                case.follow_up_tries = 1
                case.followed_up_at = case.closed_at
                case.close_note = "回访满意" if plan["rating"] == "good" else "回访不满意，经研判诉求已依法答复，予以结案"
                if plan["rating"] == "bad" and rng.random() < 0.5:
                    case.reopen_count = 1  # reopened once before this final answer
            else:
                case.follow_up_tries = document.cases.follow_up_max_tries
                case.close_note = f"回访{case.follow_up_tries}次未接通"
            if kind == "complaint" and rng.random() < (0.3 if channel.code == "complaint_centre" else 0.03) and case.first_responsible:
                case.verdict = Verdict.VALID
                case.verdict_reason = "经调查核实，投诉属实"
                case.verdict_at = case.closed_at
                case.verdict_by = office
                case.charged_unit = case.first_responsible.unit
        cases.append(case)
    Case.objects.bulk_create(cases, batch_size=500)
    dispatches, follow_ups, events = [], [], []
    for case in cases:
        dispatched = case.received_at + timedelta(minutes=rng.randint(20, 90))
        due = calendar.add_working_hours(dispatched, document.cases.sign_within_hours, document.calendar.working_hours)
        if rng.random() < 0.03:  # returned first, re-dispatched after the office's review
            first_unit = units[rng.choice([c for c in unit_codes if units[c].pk != case.unit_id])]
            dispatches.append(
                Dispatch(
                    case=case,
                    unit=first_unit,
                    dispatched_at=dispatched,
                    dispatched_by=office,
                    sign_due=due,
                    returned_at=dispatched + timedelta(hours=1),
                    return_reason="不属本单位职责",
                    review="accepted",
                    reviewed_at=dispatched + timedelta(hours=2),
                    reviewed_by=office,
                )
            )
            dispatched += timedelta(hours=3)
            due = calendar.add_working_hours(dispatched, document.cases.sign_within_hours, document.calendar.working_hours)
        on_time = rng.random() < 0.97
        signed = dispatched + timedelta(minutes=rng.randint(10, 100)) if on_time else due + timedelta(hours=rng.randint(1, 20))
        dispatches.append(
            Dispatch(
                case=case,
                unit=case.unit,
                dispatched_at=dispatched,
                dispatched_by=office,
                sign_due=due,
                signed_at=signed,
                signed_on_time=signed <= due,
                contacted_at=signed + timedelta(hours=2) if case.contact_consent else None,
                responded_in_time=signed <= due,
            )
        )
        events += [
            CaseEvent(case=case, kind=EventKind.RECEIVED, at=case.received_at, actor=office, note=case.channel.name),
            CaseEvent(case=case, kind=EventKind.DISPATCHED, at=dispatched, actor=office, unit=case.unit),
            CaseEvent(case=case, kind=EventKind.SIGNED, at=signed, unit=case.unit),
        ]
        if case.completed_at and case.replied_at and case.closed_at:  # all three set together above
            events += [
                CaseEvent(case=case, kind=EventKind.REPLIED, at=case.replied_at, unit=case.unit),
                CaseEvent(case=case, kind=EventKind.REPLY_APPROVED, at=case.completed_at, actor=office),
                CaseEvent(case=case, kind=EventKind.CLOSED, at=case.closed_at, actor=office, note=case.close_note),
            ]
            for attempt in range(case.follow_up_tries):
                answered = bool(case.satisfaction) and attempt == case.follow_up_tries - 1
                follow_ups.append(
                    FollowUp(
                        case=case,
                        outcome=FollowUpOutcome.ANSWERED if answered else FollowUpOutcome.UNREACHABLE,
                        satisfaction=case.satisfaction if answered else "",
                        resolved=case.resolved if answered else None,
                        recorded_by=office,
                        recorded_at=case.closed_at - timedelta(hours=case.follow_up_tries - attempt),
                    )
                )
    Dispatch.objects.bulk_create(dispatches, batch_size=1000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
    CaseEvent.objects.bulk_create(events, batch_size=2000)
    months = sorted({d.replace(day=1) for d in days})
    from cases.figures import ranking_freeze

    for month in months:
        ranking_freeze(month)
    ctx.write(f"  诉求件 {len(cases)}（{year}年），派单 {len(dispatches)}，回访 {len(follow_ups)}，三率排名 {len(months)} 个月")


def _this_month(ctx: DemoContext, units: dict[str, Unit], staff: dict[int, list[Staff]], office: Any) -> None:
    """Open work this month, made through the services as real work would be."""
    from accounts.models import User

    rng = ctx.rng
    today = timezone.localdate()
    liaison = User.objects.filter(username="liaison").first()
    liaison2 = User.objects.filter(username="liaison2").first()
    channels = {c.code: c for c in Channel.objects.all()}
    days = [d for d in calendar.working_days_in(today.year, today.month) if d < today] or [today]

    def new(code: str, kind: str = "complaint", channel: str = "hotline_12345", back: int | None = None, **extra: Any) -> Case:
        title, content = _text(ctx, code)
        day = days[-back] if back and back <= len(days) else rng.choice(days)
        case, _password = services.case_create(
            actor=office,
            channel=channels[channel],
            kind=kind,
            title=title,
            content=content,
            contact_name=ctx.name(),
            contact_phone=ctx.mobile(),
            contact_consent=extra.pop("consent", rng.random() < 0.5),
            received_at=_working_moment(ctx, day),
            **extra,
        )
        return case

    def dispatch(case: Case, code: str) -> Case:
        services.case_dispatch(actor=office, case=case, unit=units[code], note="请按时办理")
        case.refresh_from_db()
        return case

    def sign(case: Case, actor: Any) -> Case:
        people = staff.get(case.unit_id, []) if case.unit_id is not None else []
        services.case_sign(actor=actor or office, case=case, first_responsible=people[0] if people else None)
        case.refresh_from_db()
        return case

    def reply(case: Case, actor: Any) -> Case:
        services.case_reply(actor=actor or office, case=case, text="经核实，已督促经办窗口整改，并电话向诉求人说明情况。")
        case.refresh_from_db()
        return case

    # waiting for the office: triage and dispatch (one of them a likely duplicate)
    first = new("G24", back=2, concerned_unit=units["G24"])
    services.case_create(
        actor=office,
        channel=channels["online"],
        kind="complaint",
        title=first.title,
        content=first.content.replace("。", "！"),
        contact_name=ctx.name(),
        contact_phone=ctx.mobile(),
        concerned_unit=units["G24"],
        received_at=first.received_at + timedelta(hours=2),
    )
    for code in ("G13", "G27", "S10"):
        new(code, kind=rng.choice(["request", "complaint"]), back=1)
    # the demo liaison (G10): to sign for, in progress (one overdue), one replied
    for _ in range(3):
        dispatch(new("G10", back=1), "G10")
    for back in (2, 4, 12):
        sign(dispatch(new("G10", kind="request", back=back), "G10"), liaison)
    reply(sign(dispatch(new("G10", back=6), "G10"), liaison), liaison)
    # the second demo liaison (G24) and other units
    dispatch(new("G24", back=1), "G24")
    sign(dispatch(new("G24", kind="request", back=3), "G24"), liaison2)
    for code in ("G06", "G13", "G27", "G19"):
        sign(dispatch(new(code, back=rng.randint(2, 8)), code), None)
    returned = dispatch(new("G07", back=3), "G12")
    services.case_return(actor=office, case=returned, reason="反映的是低保审核问题，不属本局职责，应由民政局办理")
    # waiting for follow-up, one of them answered dissatisfied
    for index, code in enumerate(("G10", "G06", "G26", "S01")):
        case = reply(
            sign(dispatch(new(code, back=10 + index), code), liaison if code == "G10" else None), liaison if code == "G10" else None
        )
        services.case_reply_check(actor=office, case=case, approve=True)
        if index == 0:
            case.refresh_from_db()
            services.case_follow_up(
                actor=office, case=case, outcome="answered", satisfaction="dissatisfied", resolved=False, note="认为答复敷衍"
            )
    # triaged out at intake
    new("G06", kind="request", back=5, triage=Triage.EMERGENCY, triage_note="燃气泄漏，已即时转119和燃气抢修")
    new("G10", kind="inquiry", back=5, triage=Triage.OTHER_ROUTE, triage_note="属劳动争议，已告知向劳动人事争议仲裁院申请仲裁")
    ctx.write(f"  本月诉求件 {Case.objects.filter(received_at__date__gte=today.replace(day=1)).count()}")


def _report(ctx: DemoContext) -> None:
    """Print seed 002's and seed 003's figures as the figures module counts them."""
    from accounts.models import User
    from cases.figures import case_figures

    office = User.objects.filter(username="office").first()
    if office is None:
        return
    rows = {r.key: r for r in case_figures(office, dimension="channel", year=YEAR).rows}
    channels = {c.code: c.pk for c in Channel.objects.all()}
    hotline, sms, centre = (rows.get(channels.get(code)) for code in ("hotline_12345", "leader_sms", "complaint_centre"))
    if hotline and sms and centre:
        repeats = Case.objects.filter(channel__code="complaint_centre", received_at__year=YEAR, repeat_of__isnull=False).count()
        ctx.write(
            f"  {YEAR}年 12345热线：受理{hotline.received}，办结{hotline.completed}，办结率{hotline.completion_rate}%，满意率{hotline.satisfaction_rate}%"
        )
        ctx.write(f"  {YEAR}年 领导手机信息：受理{sms.received}，办结{sms.completed}，办结率{sms.completion_rate}%")
        ctx.write(f"  {YEAR}年 投诉中心：投诉{centre.received}件，办结{centre.completed}件，重复投诉{repeats}件")
    sample = Case.objects.filter(status=CaseStatus.FOLLOW_UP).order_by("pk").first()
    if sample:
        ctx.write(f"  公众查询示例：/public/cases/track/ 查询码 {sample.tracking_code}（演示数据的查询密码均为 {DEMO_QUERY_PASSWORD}）")
