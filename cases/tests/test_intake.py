"""Intake (RULES.md §2): validation in Chinese with nothing saved, anonymous reports,
triage, idempotent pushes from other systems, and possible duplicates."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from cases import selectors, services
from cases.choices import CaseStatus, EventKind, Triage
from cases.models import Case, CaseEvent
from core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _fields(channels: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "channel": channels["hotline_12345"],
        "kind": "request",
        "content": "小区门口路灯坏了一个月，晚上出行很不方便，请尽快修复。",
        "contact_name": "李四",
        "contact_phone": "139 1234 5678",
        **extra,
    }


def test_case_gets_tracking_code_hashed_password_event_and_audit(world: Any, channels: dict[str, Any]) -> None:
    case, password = services.case_create(actor=world.office, **_fields(channels))
    assert len(case.tracking_code) == services.CODE_LENGTH
    assert len(password) == services.PASSWORD_LENGTH and password.isdigit()
    assert case.query_password != password and check_password(password, case.query_password)
    assert case.contact_phone == "13912345678"  # stored as given, normalised
    assert case.title.startswith("小区门口路灯坏了")
    assert case.status == CaseStatus.RECEIVED and case.received_by == world.office
    assert CaseEvent.objects.filter(case=case, kind=EventKind.RECEIVED).exists()
    record = AuditRecord.objects.get(action="cases.case.create", object_id=str(case.pk))
    assert "13912345678" not in str(record.detail) and "李四" not in str(record.detail)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"content": ""}, "content", "请填写诉求内容"),
        ({"content": "   "}, "content", "请填写诉求内容"),
        ({"content": "长" * 2001}, "content", "不能超过2000个字（现为2001个字）"),
        ({"contact_phone": "12345"}, "contact_phone", "不是有效的电话号码"),
        ({"contact_phone": ""}, "contact_phone", "请填写联系电话"),
        ({"contact_name": ""}, "contact_name", "请填写姓名"),
        ({"anonymous": True, "kind": "complaint"}, "anonymous", "只有举报可以匿名"),
        ({"kind": "nonsense"}, "kind", "请选择诉求类别"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(
    world: Any, channels: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    before = (Case.objects.count(), CaseEvent.objects.count(), AuditRecord.objects.count())
    with pytest.raises(ValidationError) as info:
        services.case_create(actor=world.office, **_fields(channels, **changes))
    assert message in " ".join(info.value.message_dict[field])
    assert (Case.objects.count(), CaseEvent.objects.count(), AuditRecord.objects.count()) == before


def test_anonymous_report_keeps_no_identity(world: Any, channels: dict[str, Any]) -> None:
    case, _password = services.case_create(
        actor=None,
        **_fields(channels, kind="report", anonymous=True, contact_name="不该存", contact_phone="13800000000", contact_consent=True),
    )
    assert case.anonymous and case.contact_name == "" and case.contact_phone == "" and not case.contact_consent
    assert case.tracking_code  # still tracked by its code


@pytest.mark.parametrize(
    ("triage", "note"),
    [
        (Triage.EMERGENCY, "已转110处置"),
        (Triage.OTHER_ROUTE, "属劳动争议，已告知向劳动仲裁院申请仲裁"),
        (Triage.OUT_OF_SCOPE, "系民事纠纷，已解释"),
    ],
)
def test_triage_other_than_in_scope_closes_the_case_with_its_record(world: Any, make_case: Any, triage: str, note: str) -> None:
    case = make_case()
    services.case_triage(actor=world.office, case=case, triage=triage, note=note)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.triage == triage and case.triage_note == note
    assert case.completed_at is not None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.TRIAGED, note__contains=note).exists()
    with pytest.raises(ValidationError):
        services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)


def test_triage_without_explanation_is_refused(world: Any, make_case: Any) -> None:
    case = make_case()
    with pytest.raises(ValidationError) as info:
        services.case_triage(actor=world.office, case=case, triage=Triage.OTHER_ROUTE, note="")
    assert "请写明" in info.value.messages[0]
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.triage == Triage.PENDING


def test_push_is_idempotent_on_the_senders_case_number(world: Any, channels: dict[str, Any]) -> None:
    first, created, password = services.case_push(actor=world.office, external_id="12345-2026-000817", **_fields(channels))
    again, created_again, password_again = services.case_push(actor=world.office, external_id="12345-2026-000817", **_fields(channels))
    assert created and not created_again
    assert again.pk == first.pk and password and password_again == ""
    assert Case.objects.filter(external_id="12345-2026-000817").count() == 1
    # another sender may use the same number for its own case
    other, created_other, _p = services.case_push(actor=world.office_head, external_id="12345-2026-000817", **_fields(channels))
    assert created_other and other.pk != first.pk


def test_push_without_its_key_is_refused(world: Any, channels: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        services.case_push(actor=world.office, external_id="  ", **_fields(channels))
    assert "缺少来源系统编号" in info.value.messages[0]
    assert not Case.objects.exists()


def test_duplicates_by_phone_and_by_similar_content_about_the_same_unit(world: Any, make_case: Any) -> None:
    first = make_case(concerned_unit=world.unit_a, content="甲局社保窗口排队两个小时，工作人员态度冷漠，希望整改。")
    same_phone = make_case(content="另外一件完全不同的事情，路灯坏了需要维修。", contact_phone="13812345678")
    similar = make_case(
        concerned_unit=world.unit_a,
        content="甲局社保窗口排队两个多小时，工作人员态度很冷漠，希望整改！",
        contact_name="赵六",
        contact_phone="13700000001",
    )
    unrelated = make_case(
        concerned_unit=world.unit_b, content="乙局门口停车难，建议增加车位。", contact_name="钱七", contact_phone="13700000002"
    )
    found = {row["case"].pk: row["reason"] for row in selectors.possible_duplicates(similar)}
    assert first.pk in found and "内容相似" in found[first.pk]
    assert unrelated.pk not in found
    by_phone = {row["case"].pk: row["reason"] for row in selectors.possible_duplicates(same_phone)}
    assert by_phone[first.pk] == "同一来电号码"
    assert selectors.similarity("甲局社保窗口排队", "甲局社保窗口排队") == 1.0
    assert selectors.similarity("甲局社保窗口排队", "乙局门口停车难") < 0.2


def test_merge_keeps_the_original_and_counts_it_once(world: Any, make_case: Any) -> None:
    primary = make_case()
    duplicate = make_case(contact_name="孙八", contact_phone="13600000000")
    services.case_merge(actor=world.office, case=duplicate, into=primary, note="同一事项")
    duplicate.refresh_from_db()
    assert duplicate.status == CaseStatus.MERGED and duplicate.merged_into == primary
    assert duplicate.content and duplicate.contact_name == "孙八"  # the original is kept whole
    with pytest.raises(ValidationError):
        services.case_merge(actor=world.office, case=primary, into=primary)
    services.case_triage(actor=world.office, case=primary, triage=Triage.OUT_OF_SCOPE, note="已解释")
    third = make_case()
    with pytest.raises(ValidationError) as info:
        services.case_merge(actor=world.office, case=third, into=primary)
    assert "已结案" in info.value.messages[0]
