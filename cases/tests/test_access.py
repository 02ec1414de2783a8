"""Who may open every page and use every action: the allowed roles, a refused role (403)
and a user of another unit (404, or an empty list) — and confidentiality of the person
for every persona (RULES.md §2, §9)."""

from __future__ import annotations

from typing import Any

import pytest

from cases import services
from cases.choices import CaseStatus
from cases.models import Case
from core.models import AuditRecord
from core.testing import client_for, status_by_persona

pytestmark = pytest.mark.django_db

OFFICE = ("office", "office_head")
UNIT_A = ("liaison_a", "head_a")
NO_CASES = ("supervisor", "rater", "admin")


def _expect(
    result: dict[str, int], allowed: tuple[str, ...], code: int, refused: tuple[str, ...] = (), hidden: tuple[str, ...] = ()
) -> None:
    for name in allowed:
        assert result[name] == code, (name, result)
    for name in refused:
        assert result[name] == 403, (name, result)
    for name in hidden:
        assert result[name] == 404, (name, result)


@pytest.mark.parametrize(
    ("url", "allowed", "refused"),
    [
        ("/cases/", (*OFFICE, "viewer", *UNIT_A, "liaison_b"), NO_CASES),
        ("/cases/new/", OFFICE, ("viewer", *UNIT_A, *NO_CASES)),
        ("/cases/follow-up/", OFFICE, ("viewer", *UNIT_A, *NO_CASES)),
        ("/cases/figures/", (*OFFICE, "viewer", *UNIT_A, "liaison_b"), NO_CASES),
        ("/cases/figures/export/", (*OFFICE, "viewer", *UNIT_A), NO_CASES),
        ("/cases/ranking/", (*OFFICE, "viewer", *UNIT_A), NO_CASES),
        ("/cases/ranking/export/", (*OFFICE, "viewer", *UNIT_A), NO_CASES),
        ("/cases/channels/", (*OFFICE, "viewer"), (*UNIT_A, *NO_CASES)),
        ("/cases/channels/new/", OFFICE, ("viewer", *UNIT_A, *NO_CASES)),
        ("/cases/import/", OFFICE, ("viewer", *UNIT_A, *NO_CASES)),
        ("/cases/routing/", OFFICE, ("viewer", *UNIT_A, *NO_CASES)),
    ],
)
def test_pages(world: Any, url: str, allowed: tuple[str, ...], refused: tuple[str, ...]) -> None:
    _expect(status_by_persona(world, "get", url), allowed, 200, refused)


def test_anonymous_visitors_are_sent_to_log_in(world: Any) -> None:
    response = client_for(None).get("/cases/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_case_page_and_lists_hide_other_units_cases(world: Any, dispatched: Case) -> None:
    result = status_by_persona(world, "get", f"/cases/{dispatched.pk}/")
    _expect(result, (*OFFICE, "viewer", *UNIT_A), 200, NO_CASES, ("liaison_b",))
    listing = client_for(world.liaison_b).get("/cases/").content.decode()
    assert dispatched.number not in listing and "没有符合条件的诉求件" in listing
    assert dispatched.number in client_for(world.liaison_a).get("/cases/").content.decode()


def test_a_co_handling_unit_sees_the_case_but_cannot_act_for_the_lead(world: Any, make_case: Any) -> None:
    case = make_case()
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a, co_units=[world.unit_b])
    assert client_for(world.liaison_b).get(f"/cases/{case.pk}/").status_code == 200
    response = client_for(world.liaison_b).post(f"/cases/{case.pk}/sign/", {})
    assert response.status_code == 400 and "本件不由您的单位承办" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED  # refused with a message, nothing changed


@pytest.mark.parametrize(
    ("action", "data", "allowed", "refused", "state"),
    [
        ("triage", {"triage": "in_scope"}, ("office",), ("viewer", *UNIT_A, "liaison_b", *NO_CASES), "received"),
        ("dispatch", {"unit": "A"}, ("office",), ("viewer", *UNIT_A, "liaison_b", *NO_CASES), "received"),
        ("sign", {}, ("liaison_a",), ("office", "viewer", *NO_CASES), "dispatched"),
        ("return", {"reason": "不属本单位职责"}, ("liaison_a",), ("office", "viewer", *NO_CASES), "dispatched"),
        ("extension", {"reason": "需要现场核查"}, ("liaison_a",), ("office", "viewer", *NO_CASES), "in_progress"),
        ("reply", {"reply": "已经处理完毕，特此答复。"}, ("head_a",), ("office", "viewer", *NO_CASES), "in_progress"),
        ("check-reply", {"decision": "yes"}, ("office",), ("viewer", *UNIT_A, *NO_CASES), "replied"),
        ("follow-up", {"outcome": "unreachable"}, ("office",), ("viewer", *UNIT_A, *NO_CASES), "follow_up"),
        ("close", {"reason": "诉求人表示不再需要回访"}, ("office",), ("viewer", *UNIT_A, *NO_CASES), "follow_up"),
        ("judge", {"verdict": "invalid", "reason": "调查不属实"}, ("office",), ("viewer", *UNIT_A, *NO_CASES), "follow_up"),
    ],
)
def test_actions(world: Any, make_case: Any, action: str, data: dict[str, Any], allowed: tuple, refused: tuple, state: str) -> None:
    case = make_case()
    if state != "received":
        services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    if state in ("in_progress", "replied", "follow_up"):
        services.case_sign(actor=world.liaison_a, case=case)
    if state in ("replied", "follow_up"):
        services.case_reply(actor=world.liaison_a, case=case, text="已经处理完毕。")
    if state == "follow_up":
        services.case_reply_check(actor=world.office, case=case, approve=True)
    if data.get("unit") == "A":
        data = {**data, "unit": world.unit_a.pk}
    url = f"/cases/{case.pk}/{action}/"
    # refused roles first: they must change nothing
    _expect(status_by_persona(world, "post", url, data, personas=refused), (), 0, refused)
    if not set(allowed) & set(OFFICE):  # a unit action: another unit's liaison does not even find the case
        assert status_by_persona(world, "post", url, data, personas=("liaison_b",))["liaison_b"] == 404
    case.refresh_from_db()
    assert case.status == state
    result = status_by_persona(world, "post", url, data, personas=allowed)
    assert result[allowed[0]] == 302, result
    case.refresh_from_db()
    assert case.status != state or action in ("triage", "extension", "judge", "follow-up")


# --- confidentiality ----------------------------------------------------------------------------
PHONE, MASKED, NAME = "13812345678", "138****5678", "王小明"


def _page(world: Any, persona: str, case: Case) -> str:
    return client_for(world.persona(persona)).get(f"/cases/{case.pk}/").content.decode()


def test_the_unit_never_sees_who_complained_without_consent(world: Any, dispatched: Case) -> None:
    for persona in (*UNIT_A, "viewer"):
        page = _page(world, persona, dispatched)
        assert NAME not in page and PHONE not in page and MASKED not in page and dispatched.tracking_code not in page, persona
    office_page = _page(world, "office", dispatched)
    assert NAME in office_page and MASKED in office_page and dispatched.tracking_code in office_page
    assert PHONE not in office_page  # masked even for the office until unmasked


def test_with_consent_the_unit_sees_the_name_and_a_masked_phone(world: Any, make_case: Any) -> None:
    case = make_case(contact_consent=True)
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    page = _page(world, "liaison_a", case)
    assert NAME in page and MASKED in page and PHONE not in page
    assert NAME not in _page(world, "viewer", case)


def test_unmasking_is_audited_and_refused_where_identity_is_hidden(world: Any, make_case: Any, dispatched: Case) -> None:
    url = f"/cases/{dispatched.pk}/phone/"
    response = client_for(world.office).post(url)
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert AuditRecord.objects.filter(
        action="cases.case.reveal_phone", actor=world.office, object_id=str(dispatched.pk), success=True
    ).exists()
    refused = client_for(world.liaison_a).post(url)  # no consent
    assert refused.status_code == 403 and PHONE not in refused.content.decode()
    assert AuditRecord.objects.filter(action="cases.case.reveal_phone", actor=world.liaison_a, success=False).exists()
    result = status_by_persona(world, "post", url, personas=("viewer", "supervisor", "rater", "admin", "liaison_b"))
    assert result == {"viewer": 403, "supervisor": 403, "rater": 403, "admin": 403, "liaison_b": 404}
    consented = make_case(contact_consent=True)
    services.case_dispatch(actor=world.office, case=consented, unit=world.unit_a)
    allowed = client_for(world.head_a).post(f"/cases/{consented.pk}/phone/")
    assert allowed.status_code == 200 and PHONE in allowed.content.decode()


def test_anonymous_reports_stay_anonymous_to_everyone(world: Any, make_case: Any) -> None:
    case = make_case(kind="report", anonymous=True, contact_name="", contact_phone="")
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    for persona in (*OFFICE, *UNIT_A, "viewer"):
        page = _page(world, persona, case)
        assert "匿名" in page and case.tracking_code not in page, persona
    assert client_for(world.office).post(f"/cases/{case.pk}/phone/").status_code == 403


def test_api_shows_the_person_only_as_the_rules_allow(world: Any, dispatched: Case) -> None:
    def contact(persona: str) -> dict[str, Any]:
        return client_for(world.persona(persona)).get(f"/api/v1/cases/cases/{dispatched.pk}/").json()["contact"]

    assert contact("office") == {
        "visible": True,
        "anonymous": False,
        "name": NAME,
        "phone_masked": MASKED,
        "tracking_code": dispatched.tracking_code,
    }
    for persona in (*UNIT_A, "viewer"):
        assert contact(persona) == {"visible": False, "anonymous": False, "name": "", "phone_masked": "", "tracking_code": ""}
    assert client_for(world.liaison_b).get(f"/api/v1/cases/cases/{dispatched.pk}/").status_code == 404
