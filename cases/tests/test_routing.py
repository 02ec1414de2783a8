"""The routing classifier: trained on generated dispatch history it suggests the right
unit for clearly worded new cases, with confidence; with too little history it says so."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cases import routing
from cases.choices import CaseStatus
from cases.models import Case, RoutingModel
from core.models import AuditRecord
from core.testing import client_for, make_unit

pytestmark = pytest.mark.django_db

TOPICS = {
    "人社": (
        ["养老保险", "社保缴费", "失业金", "工伤认定", "拖欠工资", "劳动合同"],
        ["断缴", "没有到账", "迟迟不办", "少算了", "拒不支付"],
    ),
    "市场": (
        ["过期食品", "超市", "餐馆卫生", "虚假宣传", "缺斤少两", "网购假货"],
        ["被骗", "吃坏肚子", "商家不退款", "价格欺诈", "无证经营"],
    ),
    "住建": (
        ["物业费", "电梯故障", "房屋漏水", "施工噪音", "小区绿化", "违规装修"],
        ["半夜施工", "物业不管", "开发商拖延交房", "墙体开裂", "楼道堵塞"],
    ),
    "公安": (
        ["户口迁移", "身份证补办", "居住证", "噪音扰民", "电动车被盗", "出入境证件"],
        ["办不下来", "派出所推诿", "报警没人管", "材料反复要求", "排长队"],
    ),
}


def _history(per_unit: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    units = {name: make_unit(f"{name}局") for name in TOPICS}
    from cases.models import Channel

    channel = Channel.objects.get(code="hotline_12345")
    start = timezone.now() - timedelta(days=300)
    rows = []
    for name, (subjects, problems) in TOPICS.items():
        for i in range(per_unit):
            ask = rng.choice(["尽快处理", "协调解决", "给个说法"])
            text = f"{rng.choice(['我', '本人', '市民'])}反映{rng.choice(subjects)}的问题，{rng.choice(problems)}，请{ask}。"
            rows.append(
                Case(
                    channel=channel,
                    kind="complaint" if ask == "给个说法" else "request",
                    title=text[:20],
                    content=text,
                    contact_name="测试",
                    contact_phone="13800000000",
                    tracking_code=f"R{name}{i:06d}"[:16],
                    received_at=start + timedelta(hours=len(rows)),
                    status=CaseStatus.CLOSED,
                    unit=units[name],
                )
            )
    Case.objects.bulk_create(rows)
    return units


def test_too_little_history_says_so_instead_of_guessing(world: Any) -> None:
    _history(per_unit=3)
    outcome = routing.routing_train(actor=world.office)
    assert outcome.model is None
    assert "历史派单不足" in outcome.message and "至少需要" not in outcome.message
    suggestion = routing.routing_suggest("电梯故障", "小区电梯坏了")
    assert not suggestion.ok and "暂无智能派单建议" in suggestion.message and suggestion.items == []


def test_suggests_the_right_unit_for_clearly_worded_cases(world: Any) -> None:
    units = _history(per_unit=40)
    outcome = routing.routing_train(actor=world.office)
    assert outcome.model is not None, outcome.message
    model = RoutingModel.objects.get()
    assert model.samples == 160 and model.units == 4
    assert model.accuracy is not None and model.accuracy >= 0.9
    assert AuditRecord.objects.filter(action="cases.routing.train").exists()
    cases = {
        "人社": ("公司拖欠工资三个月", "我在一家工厂上班，公司拖欠工资三个月不发，劳动合同也不签。"),
        "市场": ("超市卖过期食品", "在超市买到过期食品，商家不退款，还有缺斤少两。"),
        "住建": ("小区电梯故障物业不管", "我们小区电梯故障一个月，物业不管，楼上还有房屋漏水。"),
        "公安": ("补办身份证反复要材料", "去派出所补办身份证和户口迁移，材料反复要求，排长队办不下来。"),
    }
    for name, (title, content) in cases.items():
        suggestion = routing.routing_suggest(title, content)
        assert suggestion.ok and len(suggestion.items) == 3
        best, confidence = suggestion.items[0]
        assert best == units[name], (name, [(u.name, p) for u, p in suggestion.items])
        assert 0.25 < confidence <= 1
        assert confidence >= suggestion.items[1][1] >= suggestion.items[2][1]


def test_periodic_task_retrains_and_the_office_sees_it(world: Any) -> None:
    from cases.tasks import routing_retrain

    _history(per_unit=20)
    assert "已用80件历史派单训练" in routing_retrain()
    page = client_for(world.office).get("/cases/routing/").content.decode()
    assert "80 件" in page
    # a new case's page offers the top three with confidence
    from cases import services
    from cases.models import Channel

    case, _p = services.case_create(
        actor=world.office,
        channel=Channel.objects.get(code="hotline_12345"),
        kind="complaint",
        content="小区物业不管电梯故障，半夜施工噪音，请给个说法。",
        contact_name="张三",
        contact_phone="13800000000",
    )
    detail = client_for(world.office).get(f"/cases/{case.pk}/").content.decode()
    assert "智能派单建议" in detail and "住建局" in detail and "置信度" in detail
    assert "建议类别：投诉" in detail  # in this history, "给个说法" cases were complaints
