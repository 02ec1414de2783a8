"""The API (/api/v1/cases/…): idempotent intake from another system with a scoped token,
status, the unit's sign-for / return / reply, follow-up and statistics, each with the
pages' permissions (allowed, 403 for the role, 404 or an empty list for another unit)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services import token_create
from cases import services
from cases.choices import CaseStatus
from cases.models import Case
from core.permissions import Role
from core.testing import client_for, make_user, status_by_persona

pytestmark = pytest.mark.django_db

PUSH = {
    "external_id": "12345-20261123-0001",
    "channel": "hotline_12345",
    "kind": "complaint",
    "content": "反映甲局窗口办事推诿，来回跑了三趟仍未办成。",
    "contact_name": "陈某",
    "contact_phone": "13712345678",
}


def _machine(world: Any, scopes: list[str]) -> Client:
    """The 12345 platform: an office-role machine account with a scoped token."""
    account = make_user(Role.OFFICE_STAFF, username=f"platform12345-{len(scopes)}")
    _token, raw = token_create(
        actor=world.admin, user=account, name="12345平台", scopes=scopes, expires_at=timezone.now() + timedelta(days=30)
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_push_is_idempotent_and_a_push_without_its_key_is_refused(world: Any, channels: Any) -> None:
    client = _machine(world, ["cases:read", "cases:write"])
    first = client.post("/api/v1/cases/cases/", PUSH, content_type="application/json")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["created"] is True and len(body["query_password"]) == 6 and body["tracking_code"]
    assert body["case"]["status"] == "received" and body["case"]["external_id"] == PUSH["external_id"]
    again = client.post("/api/v1/cases/cases/", PUSH, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["created"] is False and again.json()["query_password"] == ""
    assert again.json()["case"]["id"] == body["case"]["id"]
    assert Case.objects.count() == 1
    missing = client.post("/api/v1/cases/cases/", {**PUSH, "external_id": ""}, content_type="application/json")
    assert missing.status_code == 400 and "缺少来源系统编号" in missing.json()["external_id"][0]
    bad = client.post(
        "/api/v1/cases/cases/", {**PUSH, "external_id": "x2", "contact_phone": "123", "content": ""}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert set(bad.json()) >= {"content", "contact_phone"} and "请填写诉求内容" in bad.json()["content"][0]
    assert Case.objects.count() == 1
    # status query by the sender's own number
    found = client.get(f"/api/v1/cases/cases/?external_id={PUSH['external_id']}").json()
    assert found["count"] == 1 and found["results"][0]["id"] == body["case"]["id"]


def test_token_scopes_limit_what_a_machine_may_do(world: Any, channels: Any) -> None:
    reader = _machine(world, ["cases:read"])
    assert reader.get("/api/v1/cases/cases/").status_code == 200
    assert reader.post("/api/v1/cases/cases/", PUSH, content_type="application/json").status_code == 403
    other_scope = _machine(world, ["org:read", "org:write", "supervisors:read"])
    assert other_scope.get("/api/v1/cases/cases/").status_code == 403


def test_intake_is_for_the_office_only(world: Any, channels: Any) -> None:
    result = status_by_persona(
        world, "post", "/api/v1/cases/cases/", {**PUSH}, personas=("liaison_a", "viewer", "supervisor", "rater", "admin")
    )
    assert set(result.values()) == {403}


def test_unit_signs_returns_and_replies_through_the_api(world: Any, make_case: Any) -> None:
    first = make_case()
    services.case_dispatch(actor=world.office, case=first, unit=world.unit_a)
    unit_b = client_for(world.liaison_b)
    assert unit_b.post(f"/api/v1/cases/cases/{first.pk}/sign/", {}, content_type="application/json").status_code == 404
    assert client_for(world.viewer).post(f"/api/v1/cases/cases/{first.pk}/sign/", {}).status_code == 403
    unit_a = client_for(world.liaison_a)
    signed = unit_a.post(f"/api/v1/cases/cases/{first.pk}/sign/", {}, content_type="application/json")
    assert signed.status_code == 200 and signed.json()["status"] == "in_progress"
    empty = unit_a.post(f"/api/v1/cases/cases/{first.pk}/reply/", {"reply": ""}, content_type="application/json")
    assert empty.status_code == 400 and "答复内容" in empty.json()["reply"][0]
    replied = unit_a.post(f"/api/v1/cases/cases/{first.pk}/reply/", {"reply": "已核实并整改完毕。"}, content_type="application/json")
    assert replied.status_code == 200 and replied.json()["status"] == "replied"
    second = make_case()
    services.case_dispatch(actor=world.office, case=second, unit=world.unit_a)
    no_reason = unit_a.post(f"/api/v1/cases/cases/{second.pk}/return/", {"reason": ""}, content_type="application/json")
    assert no_reason.status_code == 400
    returned = unit_a.post(f"/api/v1/cases/cases/{second.pk}/return/", {"reason": "不属本局职责"}, content_type="application/json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"


def test_office_dispatches_and_follows_up_through_the_api(world: Any, make_case: Any) -> None:
    case = make_case()
    office = client_for(world.office)
    response = office.post(f"/api/v1/cases/cases/{case.pk}/dispatch/", {"unit": world.unit_a.pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()["unit"] == world.unit_a.pk
    assert client_for(world.liaison_a).post(f"/api/v1/cases/cases/{case.pk}/dispatch/", {"unit": world.unit_a.pk}).status_code == 403
    case.refresh_from_db()
    services.case_sign(actor=world.liaison_a, case=case)
    services.case_reply(actor=world.liaison_a, case=case, text="已处理完毕，特此答复。")
    services.case_reply_check(actor=world.office, case=case, approve=True)
    bad = office.post(f"/api/v1/cases/cases/{case.pk}/follow-up/", {"outcome": "answered"}, content_type="application/json")
    assert bad.status_code == 400 and "satisfaction" in bad.json()
    done = office.post(
        f"/api/v1/cases/cases/{case.pk}/follow-up/",
        {"outcome": "answered", "satisfaction": "satisfied", "resolved": True},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == CaseStatus.CLOSED and done.json()["satisfaction"] == "satisfied"
    assert client_for(world.liaison_a).post(f"/api/v1/cases/cases/{case.pk}/follow-up/", {"outcome": "refused"}).status_code == 403


def test_lists_are_scoped_for_units(world: Any, dispatched: Case) -> None:
    assert client_for(world.liaison_b).get("/api/v1/cases/cases/").json()["count"] == 0
    assert client_for(world.liaison_a).get("/api/v1/cases/cases/").json()["count"] == 1
    assert client_for(world.supervisor).get("/api/v1/cases/cases/").status_code == 403


def test_statistics_endpoints(world: Any, dispatched: Case) -> None:
    year = timezone.localdate().year
    office = client_for(world.office).get(f"/api/v1/cases/figures/?dimension=unit&year={year}").json()
    assert office["total"]["received"] == 1 and office["rows"][0]["key"] == str(world.unit_a.pk)
    assert office["total"]["dispatched"] == 1 and office["policy_version"]
    assert client_for(world.liaison_b).get(f"/api/v1/cases/figures/?year={year}").json()["total"]["received"] == 0
    assert client_for(world.office).get("/api/v1/cases/figures/?dimension=colour").status_code == 400
    assert client_for(world.rater).get("/api/v1/cases/figures/").status_code == 403
    ranking = client_for(world.viewer).get("/api/v1/cases/ranking/").json()
    assert set(ranking) == {"month", "policy_version", "frozen", "rows"}
    assert client_for(world.supervisor).get("/api/v1/cases/ranking/").status_code == 403
    assert client_for(world.office).get("/api/v1/cases/ranking/?month=2026-13").status_code == 400
    channels = client_for(world.office).get("/api/v1/cases/channels/").json()
    assert any(c["code"] == "leader_sms" for c in channels["results"])
    assert client_for(world.liaison_a).get("/api/v1/cases/channels/").status_code == 403
