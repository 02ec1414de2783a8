"""The demo city's registry: seed 002's 94 departments in three categories, divisions with
their heads, service windows in the administrative service centre, staff with AB posts,
some whereabouts notices, and 200 enterprises with valid credit codes."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.demo import CITY, DemoContext
from org.choices import StaffRole, UnitKind, WhereaboutsKind
from org.models import Enterprise, Post, Staff, Unit, UnitCategory, Whereabouts
from org.validators import USCC_CHARSET, uscc_check_char

C = CITY + "市"
PARTY = [
    "纪委监委机关",
    "委办公室",
    "委组织部",
    "委宣传部",
    "委统战部",
    "委政法委员会",
    "委政策研究室",
    "委网信办",
    "委编办",
    "委老干部局",
    "直机关工委",
    "委党校",
    "档案馆",
    "人大常委会办公室",
    "政协办公室",
    "总工会",
    "团委",
    "妇联",
    "科协",
    "文联",
    "侨联",
    "工商联",
    "残联",
    "红十字会",
]
GOVERNMENT = [
    "政府办公室",
    "发展和改革局",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电旅游体育局",
    "卫生健康局",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "国有资产监督管理委员会",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理和综合执法局",
    "林业局",
    "信访局",
    "政务服务数据管理局",
    "机关事务管理局",
    "人民防空办公室",
    "投资促进局",
    "乡村振兴局",
    "住房公积金管理中心",
    "公共资源交易中心",
    "不动产登记中心",
    "社会保险基金管理局",
    "医疗保障事业管理中心",
    "供销合作社",
    "地方金融监督管理局",
    "港口管理局",
    "粮食和物资储备局",
    "民族宗教事务局",
    "外事侨务局",
    "代建项目管理局",
    "政府研究室",
    "消防救援支队",
    "公路事务中心",
    "交通运输综合执法支队",
]
STATIONED = [
    f"国家税务总局{C}税务局",
    f"{CITY}海关",
    f"国家统计局{CITY}调查队",
    f"中国人民银行{C}分行",
    f"国家金融监督管理总局{CITY}监管分局",
    f"{C}邮政管理局",
    f"{C}气象局",
    f"{C}烟草专卖局",
    f"{CITY}海事局",
    f"国网{CITY}供电公司",
    f"中国移动{CITY}分公司",
    f"中国电信{CITY}分公司",
    f"中国联通{CITY}分公司",
    f"中国邮政{CITY}分公司",
    f"{CITY}出入境边防检查站",
    f"{C}通信发展管理办公室",
    f"省高速公路管理中心{CITY}分中心",
    f"省地质局{CITY}地质大队",
    f"{CITY}铁路办事处",
    f"省水文局{CITY}分局",
]
DIVISIONS = ["办公室", "政策法规科", "行政审批科", "监督检查科", "综合业务科"]
# windows of the administrative service centre: (department, window names)
WINDOWS = {
    "公安局": ["户政窗口", "出入境窗口", "车管窗口", "治安窗口"],
    "人力资源和社会保障局": ["社保登记窗口", "就业服务窗口", "人才服务窗口", "劳动仲裁窗口"],
    "市场监督管理局": ["登记注册窗口", "食品许可窗口", "特种设备窗口", "知识产权窗口"],
    "不动产登记中心": ["不动产登记一窗", "不动产登记二窗", "抵押登记窗口"],
    "住房公积金管理中心": ["公积金提取窗口", "公积金贷款窗口"],
    "医疗保障局": ["医保参保窗口", "医保报销窗口"],
    "住房和城乡建设局": ["施工许可窗口", "商品房预售窗口", "竣工验收备案窗口"],
    "自然资源局": ["用地审批窗口", "规划许可窗口"],
    "交通运输局": ["道路运输窗口", "水路运输窗口"],
    "卫生健康局": ["医疗机构许可窗口", "公共场所卫生许可窗口"],
    "民政局": ["婚姻登记窗口", "社会组织登记窗口"],
    "生态环境局": ["环评审批窗口"],
    "教育局": ["办学许可窗口", "教师资格窗口"],
    "商务局": ["外贸备案窗口"],
    "文化广电旅游体育局": ["文化市场许可窗口", "旅游服务窗口"],
    "城市管理和综合执法局": ["占道许可窗口", "户外广告窗口"],
    "司法局": ["公证窗口", "法律援助窗口"],
    "发展和改革局": ["投资项目窗口"],
    "水利局": ["取水许可窗口"],
    "退役军人事务局": ["优抚窗口"],
    "农业农村局": ["农业许可窗口"],
    "公共资源交易中心": ["交易登记窗口"],
    "信访局": ["来访接待窗口"],
}
WINDOW_STATIONED = {f"国家税务总局{C}税务局": ["办税服务窗口一", "办税服务窗口二", "发票窗口"], f"国网{CITY}供电公司": ["用电报装窗口"]}
INDUSTRIES = [
    "制造业",
    "批发和零售业",
    "建筑业",
    "信息技术服务",
    "交通运输",
    "住宿和餐饮业",
    "租赁和商务服务",
    "科学研究",
    "农业",
    "房地产业",
]
BRANDS = "华信鑫源恒达金泰宏盛东方新远佳和锦程瑞丰海川天成德润中联顺安永利博雅长江明珠银河广源侨乡五邑凯旋兴业"
SUFFIX = {
    "制造业": "机械制造",
    "批发和零售业": "商贸",
    "建筑业": "建设工程",
    "信息技术服务": "信息科技",
    "交通运输": "物流",
    "住宿和餐饮业": "餐饮管理",
    "租赁和商务服务": "企业服务",
    "科学研究": "检测技术",
    "农业": "农业发展",
    "房地产业": "置业",
}
ORG_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _org_code(rng: object) -> str:
    """An organisation code (GB 11714): 8 characters and its check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))  # type: ignore[attr-defined]
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(int(ch) * w for ch, w in zip(body, weights, strict=True)) % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_code(rng: object) -> str:
    first17 = "91" + "4407" + rng.choice(["02", "03", "04", "81", "83", "84", "85"]) + _org_code(rng)  # type: ignore[attr-defined]
    assert all(ch in USCC_CHARSET for ch in first17)
    return first17 + uscc_check_char(first17)


def _unit(name: str, code: str, kind: str, parent: Unit | None, category: UnitCategory | None, order: int, location: str = "") -> Unit:
    unit = Unit.objects.create(name=name, code=code, kind=kind, parent=parent, category=category, sort_order=order, location=location)
    unit.path = f"{parent.path if parent else '/'}{unit.pk:07d}/"
    unit.depth = unit.path.count("/") - 2
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    return unit


def build(ctx: DemoContext) -> None:
    if Unit.objects.filter(code="G06").exists():
        ctx.data["units"] = {u.code: u for u in Unit.objects.all()}
        return
    rng = ctx.rng
    categories = {c.code: c for c in UnitCategory.objects.all()}
    units: dict[str, Unit] = {}
    for prefix, names, category in (("P", PARTY, "party_mass"), ("G", GOVERNMENT, "gov_public"), ("S", STATIONED, "stationed")):
        for i, name in enumerate(names, start=1):
            full = name if prefix == "S" else f"{C}{name}"
            units[f"{prefix}{i:02d}"] = _unit(full, f"{prefix}{i:02d}", UnitKind.DEPARTMENT, None, categories[category], i)
    by_short = {u.name.removeprefix(C): u for u in units.values()}
    staff_rows: list[Staff] = []

    def people(unit: Unit, roles: list[tuple[str, str]]) -> None:
        for role, title in roles:
            staff_rows.append(
                Staff(
                    name=ctx.name(),
                    unit=unit,
                    role_in_unit=role,
                    title=title,
                    phone=ctx.mobile(),
                    employee_no=f"{unit.code}-{len(staff_rows) + 1:04d}",
                )
            )

    # department leadership
    for unit in list(units.values()):
        people(
            unit,
            [
                (StaffRole.HEAD, "局长" if "局" in unit.name else "主任"),
                (StaffRole.DEPUTY, "副局长" if "局" in unit.name else "副主任"),
                (StaffRole.STAFF, "办公室科员"),
            ],
        )
    # divisions of government departments, each with a division head
    for index, code in enumerate(sorted(c for c in units if c.startswith("G"))):
        department = units[code]
        for j, division in enumerate(DIVISIONS[: 2 + (index % 2)], start=1):
            unit = _unit(f"{department.name}{division}", f"{code}-D{j}", UnitKind.DIVISION, department, None, j)
            units[unit.code] = unit
            people(unit, [(StaffRole.DIVISION_HEAD, "科长"), (StaffRole.STAFF, "副科长"), (StaffRole.STAFF, "科员")])
    # service windows in the administrative service centre
    centre = f"{C}政务服务中心"
    window_parents = [(by_short[dept], names) for dept, names in WINDOWS.items()]
    window_parents += [(next(u for u in units.values() if u.name == dept), names) for dept, names in WINDOW_STATIONED.items()]
    for department, names in window_parents:
        for j, window in enumerate(names, start=1):
            unit = _unit(
                f"{department.name.removeprefix(C)}{window}",
                f"{department.code}-W{j}",
                UnitKind.WINDOW,
                department,
                None,
                100 + j,
                location=f"{centre}{rng.randint(1, 3)}楼{rng.randint(1, 40)}号",
            )
            units[unit.code] = unit
            people(unit, [(StaffRole.STAFF, "窗口负责人"), (StaffRole.STAFF, "受理员"), (StaffRole.STAFF, "受理员")])
    Staff.objects.bulk_create(staff_rows, batch_size=500)
    # AB posts: every division and window has one post, held by its first member, backed by the second
    posts = []
    members: dict[int, list[Staff]] = {}
    for person in Staff.objects.filter(unit__kind__in=[UnitKind.DIVISION, UnitKind.WINDOW]).order_by("pk"):
        members.setdefault(person.unit_id, []).append(person)
    for unit_id, team in members.items():
        unit = next(u for u in units.values() if u.pk == unit_id)
        name = "窗口受理岗" if unit.kind == UnitKind.WINDOW else "业务岗"
        posts.append(Post(unit_id=unit_id, name=name, holder=team[1], backup=team[2]))
        posts.append(Post(unit_id=unit_id, name="负责人岗", holder=team[0], backup=team[1]))
    Post.objects.bulk_create(posts, batch_size=500)
    # a few whereabouts notices in force now (holders only, so no AB conflict)
    now = timezone.now()
    holders = list(Staff.objects.filter(posts_held__name="窗口受理岗").order_by("pk")[:60])
    notices = []
    for person in rng.sample(holders, 6):
        kind = rng.choice([WhereaboutsKind.MEETING, WhereaboutsKind.TRAINING, WhereaboutsKind.FIELD_WORK])
        notices.append(
            Whereabouts(
                staff=person,
                kind=kind,
                destination=rng.choice(["市行政中心3号会议室", "市委党校", "企业现场踏勘"]),
                start=now - timedelta(hours=1),
                expected_return=now + timedelta(hours=rng.randint(1, 4)),
            )
        )
    Whereabouts.objects.bulk_create(notices)
    # enterprises
    codes: set[str] = set()
    enterprises: list[Enterprise] = []
    while len(enterprises) < 200:
        code = credit_code(rng)
        if code in codes:
            continue
        codes.add(code)
        industry = rng.choice(INDUSTRIES)
        brand = rng.choice(BRANDS) + rng.choice(BRANDS)
        enterprises.append(
            Enterprise(
                name=f"{CITY}{brand}{SUFFIX[industry]}有限公司",
                credit_code=code,
                legal_representative=ctx.name(),
                industry=industry,
                address=f"{C}{rng.choice(['江北区', '江南区', '高新区'])}{rng.choice(['建设路', '港口路', '迎宾大道', '胜利路'])}{rng.randint(1, 300)}号",
                contact_name=ctx.name(),
                contact_phone=ctx.mobile(),
            )
        )
    names_seen: dict[str, int] = {}
    for e in enterprises:  # names must read as distinct companies
        if e.name in names_seen:
            names_seen[e.name] += 1
            e.name = e.name.replace("有限公司", f"第{names_seen[e.name]}分公司")
        else:
            names_seen[e.name] = 1
    Enterprise.objects.bulk_create(enterprises, batch_size=500)
    ctx.data["units"] = units
    departments = sum(1 for u in units.values() if u.kind == UnitKind.DEPARTMENT)
    divisions = sum(1 for u in units.values() if u.kind == UnitKind.DIVISION)
    windows = sum(1 for u in units.values() if u.kind == UnitKind.WINDOW)
    ctx.write(f"  部门 {departments}，处室 {divisions}，窗口 {windows}，工作人员 {len(staff_rows)}，企业 {len(enterprises)}")
