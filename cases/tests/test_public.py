"""The public pages (no login): submit from a phone, track by code and password, rate the
reply — with the protections against robots and guessing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from cases import services
from cases.choices import CaseStatus
from cases.models import Case, FollowUp
from cases.ratelimit import rate

pytestmark = pytest.mark.django_db


def _stamp(seconds_ago: int = 30) -> str:
    return signing.TimestampSigner(salt="cases.public.submit").sign(str(int(timezone.now().timestamp()) - seconds_ago))


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "content": "市民服务中心二楼窗口中午提前半小时下班，群众排队无人办理。",
        "contact_name": "周女士",
        "contact_phone": "13511112222",
        "stamp": _stamp(),
        "website": "",
        **extra,
    }


def _submit(client: Client, **extra: Any) -> Any:
    return client.post("/public/cases/", _form(**extra))


def test_submit_on_a_phone_gives_a_tracking_code_and_password_once(world: Any, channels: Any) -> None:
    client = Client()
    page = client.get("/public/cases/")
    assert page.status_code == 200 and "我要反映" in page.content.decode()
    response = _submit(client)
    assert response.status_code == 302 and response["Location"] == "/public/cases/receipt/"
    case = Case.objects.get()
    assert case.channel.code == "online" and case.received_by is None and case.contact_phone == "13511112222"
    receipt = client.get("/public/cases/receipt/").content.decode()
    assert case.tracking_code in receipt
    password = receipt.split('data-testid="query-password">')[1].split("<")[0]
    assert len(password) == 6
    assert client.get("/public/cases/receipt/").status_code == 302  # shown once only
    assert "no-store" in page["Cache-Control"]


def test_anonymous_report_needs_no_name(world: Any, channels: Any) -> None:
    response = _submit(Client(), kind="report", anonymous="on", contact_name="", contact_phone="")
    assert response.status_code == 302
    assert Case.objects.get().anonymous


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"content": ""}, "该字段是必填项"),
        ({"content": "好"}, "请填写诉求内容（至少5个字）"),
        ({"content": "长" * 2001}, "不能超过2000个字"),
        ({"contact_phone": "1234"}, "不是有效的电话号码"),
        ({"kind": "complaint", "anonymous": "on", "contact_name": "", "contact_phone": ""}, "只有举报可以匿名提交"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(world: Any, channels: Any, extra: dict[str, Any], message: str) -> None:
    response = _submit(Client(), **extra)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.exists()
    if extra.get("content", "x") and "content" in extra:
        assert extra["content"][:20] in response.content.decode()  # what was typed is kept


def test_robots_are_refused(world: Any, channels: Any) -> None:
    assert _submit(Client(), website="http://spam.example").status_code == 400
    assert _submit(Client(), stamp=_stamp(0)).status_code == 400  # posted the instant the form was shown
    assert _submit(Client(), stamp="forged:stamp").status_code == 400
    assert not Case.objects.exists()


def test_submissions_are_rate_limited_per_address(world: Any, channels: Any) -> None:
    limit, _seconds = rate("public_submit")
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(limit):
        assert _submit(client).status_code == 302
    refused = _submit(client)
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert Case.objects.count() == limit
    assert _submit(Client(REMOTE_ADDR="203.0.113.8")).status_code == 302  # another address is not affected


def _case_with_password(world: Any, make_case: Any) -> tuple[Case, str]:
    case, password = services.case_create(
        actor=world.office,
        channel=make_case().channel,
        kind="complaint",
        content="甲局窗口工作人员态度恶劣。",
        contact_name="吴先生",
        contact_phone="13600001111",
    )
    return case, password


def test_wrong_code_and_wrong_password_get_the_same_answer(world: Any, make_case: Any) -> None:
    case, password = _case_with_password(world, make_case)
    wrong_password = Client().post("/public/cases/track/", {"code": case.tracking_code, "password": "000000"})
    no_such_code = Client().post("/public/cases/track/", {"code": "ZZZZZZZZZZ", "password": password})
    assert wrong_password.status_code == no_such_code.status_code == 400

    def errors(response: Any) -> str:
        return response.content.decode().split('data-testid="form-errors">')[1].split("</div>")[0].strip()

    assert errors(wrong_password) == errors(no_such_code) == "<div>查询码或查询密码不正确。"


def test_guessing_is_throttled_per_address_and_per_code(world: Any, make_case: Any) -> None:
    case, password = _case_with_password(world, make_case)
    limit, _seconds = rate("tracking")
    client = Client(REMOTE_ADDR="198.51.100.1")
    for i in range(limit):
        assert client.post("/public/cases/track/", {"code": f"GUESS{i:05d}", "password": "123456"}).status_code == 400
    blocked = client.post("/public/cases/track/", {"code": case.tracking_code, "password": password})
    assert blocked.status_code == 429 and "查询过于频繁" in blocked.content.decode()
    # the same code guessed from many addresses is throttled too
    for i in range(limit):
        Client(REMOTE_ADDR=f"192.0.2.{i + 1}").post("/public/cases/track/", {"code": case.tracking_code, "password": "999999"})
    assert (
        Client(REMOTE_ADDR="192.0.2.200").post("/public/cases/track/", {"code": case.tracking_code, "password": password}).status_code
        == 429
    )


def test_track_then_rate_the_reply(world: Any, make_case: Any) -> None:
    case, password = _case_with_password(world, make_case)
    client = Client()
    assert client.post("/public/cases/track/", {"code": case.tracking_code.lower(), "password": password}).status_code == 302
    page = client.get("/public/cases/track/").content.decode()
    assert case.tracking_code in page and "已受理" in page and 'data-testid="rate"' not in page
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    services.case_sign(actor=world.liaison_a, case=case)
    services.case_reply(actor=world.liaison_a, case=case, text="已对该工作人员批评教育，并向您致歉。")
    services.case_reply_check(actor=world.office, case=case, approve=True)
    page = client.get("/public/cases/track/").content.decode()
    assert "已对该工作人员批评教育" in page and world.unit_a.name in page and 'data-testid="rate"' in page
    assert world.liaison_a.full_name not in page  # no staff names for the public
    missing = client.post("/public/cases/track/rate/", {"resolved": "True"})
    assert missing.status_code == 400 and "该字段是必填项" in missing.content.decode()
    assert client.post("/public/cases/track/rate/", {"satisfaction": "satisfied", "resolved": "True", "comment": "满意"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.satisfaction == "satisfied"
    assert FollowUp.objects.get(case=case).via == "public"
    assert "满意" in client.get("/public/cases/track/").content.decode()
    assert client.post("/public/cases/track/leave/").status_code == 302
    assert "查询密码" in client.get("/public/cases/track/").content.decode()
