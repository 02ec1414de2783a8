"""The pages do what they say: intake by the office, refusals that keep what was typed,
channels, merging from the case page, queues and home panels."""

from __future__ import annotations

from typing import Any

import pytest

from cases import services
from cases.choices import CaseStatus
from cases.models import Case, Channel, Dispatch
from core.models import AuditRecord
from core.testing import client_for

pytestmark = pytest.mark.django_db


def test_office_enters_a_case_taken_by_phone(world: Any, channels: dict[str, Any]) -> None:
    client = client_for(world.office)
    data = {
        "channel": channels["livelihood_hotline"].pk,
        "kind": "request",
        "content": "老旧小区加装电梯的补贴政策怎么申请？",
        "contact_name": "郑先生",
        "contact_phone": "13312345678",
        "concerned_unit": world.unit_a.pk,
    }
    response = client.post("/cases/new/", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == channels["livelihood_hotline"] and case.concerned_unit == world.unit_a
    page = client.get(response["Location"]).content.decode()
    assert case.tracking_code in page and "查询密码" in page  # told once, to pass on to the caller


def test_refused_intake_keeps_what_was_typed_and_saves_nothing(world: Any, channels: dict[str, Any]) -> None:
    data = {
        "channel": channels["hotline_12345"].pk,
        "kind": "complaint",
        "content": "窗口人员上班时间玩手机游戏。",
        "contact_name": "郑先生",
        "contact_phone": "12",
    }
    response = client_for(world.office).post("/cases/new/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "不是有效的电话号码" in page and "窗口人员上班时间玩手机游戏" in page
    assert not Case.objects.exists()


def test_triage_on_intake_records_the_emergency_transfer(world: Any, channels: dict[str, Any]) -> None:
    data = {
        "channel": channels["hotline_12345"].pk,
        "kind": "report",
        "content": "小区地下室闻到很浓的燃气味。",
        "contact_name": "钱女士",
        "contact_phone": "13312345000",
        "triage": "emergency",
        "triage_note": "已即时转119和燃气公司抢修",
    }
    client_for(world.office).post("/cases/new/", data)
    case = Case.objects.get()
    assert case.status == CaseStatus.CLOSED and case.triage == "emergency" and "119" in case.triage_note


def test_office_edits_the_channel_list(world: Any) -> None:
    client = client_for(world.office)
    assert (
        client.post("/cases/channels/new/", {"code": "wechat", "name": "政务微信公众号", "sort_order": 200, "is_active": "on"}).status_code
        == 302
    )
    channel = Channel.objects.get(code="wechat")
    duplicate = client.post("/cases/channels/new/", {"code": "wechat2", "name": "政务微信公众号"})
    assert duplicate.status_code == 400 and "已有同名渠道" in duplicate.content.decode()
    client.post(f"/cases/channels/{channel.pk}/edit/", {"code": "wechat", "name": "政务微信公众号"})  # unticked: inactive
    channel.refresh_from_db()
    assert not channel.is_active
    assert AuditRecord.objects.filter(action="cases.channel.update").exists()
    assert "政务微信公众号" not in client.get("/cases/new/").content.decode()  # no intake on an inactive channel


def test_merge_from_the_case_page(world: Any, make_case: Any) -> None:
    first = make_case(concerned_unit=world.unit_a)
    second = make_case(concerned_unit=world.unit_a, contact_name="孙某", contact_phone="13600000000")
    client = client_for(world.office)
    page = client.get(f"/cases/{second.pk}/").content.decode()
    assert 'data-testid="duplicates"' in page and first.number in page
    assert client.post(f"/cases/{second.pk}/merge/", {"into": first.pk}).status_code == 302
    second.refresh_from_db()
    assert second.status == CaseStatus.MERGED and second.merged_into == first
    refused = client.post(f"/cases/{second.pk}/merge/", {"into": first.pk}, follow=True)
    assert "不能并单" in refused.content.decode()


def test_unit_records_the_contact_for_the_response_rate(world: Any, make_case: Any) -> None:
    case = make_case(contact_consent=True)
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    services.case_sign(actor=world.liaison_a, case=case)
    assert Dispatch.objects.get(case=case).responded_in_time is None  # not yet contacted
    assert client_for(world.liaison_a).post(f"/cases/{case.pk}/contact/").status_code == 302
    assert Dispatch.objects.get(case=case).responded_in_time is True
    no_consent = make_case()
    services.case_dispatch(actor=world.office, case=no_consent, unit=world.unit_a)
    assert services.case_sign(actor=world.liaison_a, case=no_consent).responded_in_time is True  # signing on time is the response
    response = client_for(world.liaison_a).post(f"/cases/{no_consent.pk}/contact/", follow=True)
    assert "未同意承办单位直接联系" in response.content.decode()


def test_follow_up_queue_and_home_panels(world: Any, make_case: Any, in_progress: Case) -> None:
    services.case_reply(actor=world.liaison_a, case=in_progress, text="已经处理完毕，特此答复。")
    services.case_reply_check(actor=world.office, case=in_progress, approve=True)
    queue = client_for(world.office).get("/cases/follow-up/").content.decode()
    assert in_progress.number in queue
    waiting = make_case()
    services.case_dispatch(actor=world.office, case=waiting, unit=world.unit_a)
    home = client_for(world.liaison_a).get("/").content.decode()
    assert 'data-testid="cases-panel"' in home and 'data-testid="to-sign">1<' in home
    assert 'data-testid="cases-panel"' not in client_for(world.supervisor).get("/").content.decode()


def test_city_leaders_read_but_get_no_actions(world: Any, dispatched: Case) -> None:
    page = client_for(world.viewer).get(f"/cases/{dispatched.pk}/").content.decode()
    assert "data-action=" not in page and 'data-testid="timeline"' in page
