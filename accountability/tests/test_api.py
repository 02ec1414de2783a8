"""The API (/api/v1/accountability/…): the pages' permissions (403 for a role, 404 or an
empty list outside the scope), writes through the services with Chinese messages, token
scopes, and the OpenAPI schema."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accountability.models import Apology, Proposal, Sanction
from accountability.tests.helpers import at, decide, png, valid_complaint
from core.testing import World

pytestmark = pytest.mark.django_db

BASE = "/api/v1/accountability"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def statuses(world: World, method: str, url: str, data: dict[str, Any] | None = None, fmt: str = "json") -> dict[str, int]:
    out = {}
    for name in world.PERSONAS:
        call = getattr(api(world.persona(name)), method)
        out[name] = (call(url, data or {}, format=fmt) if method == "post" else call(url)).status_code
    return out


@pytest.fixture
def decided(acc: Any) -> dict[str, Any]:
    case = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    sanction = Proposal.objects.get(kind="sanction", trigger__case=case)
    apology = Proposal.objects.get(kind="apology", trigger__case=case)
    decide(acc, sanction)
    decide(acc, apology)
    return {"proposal": sanction, "sanction": Sanction.objects.filter(measure="admonition_talk").get(), "apology": Apology.objects.get()}


def test_lists_by_persona(acc: Any, decided: dict[str, Any]) -> None:
    office_only = {"office": 200, "office_head": 200, "supervisor": 403, "liaison_a": 403, "head_a": 403, "liaison_b": 403}
    office_only |= {"viewer": 403, "rater": 403, "admin": 403}
    for path in ("proposals", "decisions", "charges", "incidents", "rating-consequences"):
        assert statuses(acc.world, "get", f"{BASE}/{path}/") == office_only, path
    units = {**office_only, "liaison_a": 200, "head_a": 200, "liaison_b": 200}
    for path in ("sanctions", "apologies"):
        assert statuses(acc.world, "get", f"{BASE}/{path}/") == units, path
    figures = {**office_only, "viewer": 200}
    assert statuses(acc.world, "get", f"{BASE}/figures/?year=2026") == figures
    # another unit's list is empty, never the data
    assert api(acc.world.liaison_b).get(f"{BASE}/sanctions/").json()["count"] == 0
    assert api(acc.world.head_a).get(f"{BASE}/sanctions/").json()["count"] == 2


def test_details_by_persona(acc: Any, decided: dict[str, Any]) -> None:
    office_view = {"office": 200, "office_head": 200, "supervisor": 403, "liaison_a": 403, "head_a": 403, "liaison_b": 403}
    office_view |= {"viewer": 403, "rater": 403, "admin": 403}
    assert statuses(acc.world, "get", f"{BASE}/proposals/{decided['proposal'].pk}/") == office_view
    unit = {**office_view, "liaison_a": 200, "head_a": 200, "liaison_b": 404}
    assert statuses(acc.world, "get", f"{BASE}/sanctions/{decided['sanction'].pk}/") == unit
    assert statuses(acc.world, "get", f"{BASE}/apologies/{decided['apology'].pk}/") == unit
    person = {**office_view, "head_a": 200, "liaison_a": 200, "liaison_b": 404}  # liaison A is the person
    assert statuses(acc.world, "get", f"{BASE}/people/{acc.clerk.pk}/") == person
    record = api(acc.world.liaison_a).get(f"{BASE}/people/{acc.clerk.pk}/").json()
    assert record["counts"]["year_count"] == 1 and [s["measure"] for s in record["sanctions"]] == [
        "barred_from_excellent",
        "admonition_talk",
    ]
    assert api(acc.world.liaison_a).get(f"{BASE}/people/{acc.clerk2.pk}/").status_code == 404


def test_the_office_head_decides_through_the_api(acc: Any) -> None:
    valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    proposal = Proposal.objects.get(kind="sanction")
    url = f"{BASE}/proposals/{proposal.pk}/decide/"
    for user in (acc.office, acc.world.head_a, acc.world.viewer):
        assert api(user).post(url, {"outcome": "accepted"}, format="json").status_code == 403
    assert api(acc.world.liaison_b).post(url, {"outcome": "accepted"}, format="json").status_code == 403
    response = api(acc.head).post(url, {"outcome": "rejected", "reason": ""}, format="json")
    assert response.status_code == 400 and response.json() == {"reason": ["调整或不予采纳，须写明理由。"]}
    response = api(acc.head).post(url, {"outcome": "changed", "reason": "首次，从轻", "measures": ["efficiency_warning"]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "changed" and body["measures"] == ["efficiency_warning"] and len(body["sanctions"]) == 1
    again = api(acc.head).post(url, {"outcome": "accepted"}, format="json")
    assert again.status_code == 400 and again.json() == {"non_field_errors": ["该建议已作出决定，不能重复决定。"]}
    listed = api(acc.office).get(f"{BASE}/proposals/?status=decided").json()
    assert [p["decision"] for p in listed["results"]] == [body["id"]]


def test_a_unit_records_its_apology_with_the_proof(acc: Any, decided: dict[str, Any]) -> None:
    apology = decided["apology"]
    url = f"{BASE}/apologies/{apology.pk}/record/"
    assert api(acc.world.liaison_b).post(url, {"channel": "in_person"}, format="multipart").status_code == 404
    missing = api(acc.world.liaison_a).post(url, {"channel": "in_person", "done_on": "2026-03-02"}, format="multipart")
    assert missing.status_code == 400 and "proof" in missing.json()
    response = api(acc.world.liaison_a).post(url, {"channel": "in_person", "done_on": "2026-03-02", "proof": png()}, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "done" and len(response.json()["proof_sha256"]) == 64
    proof = api(acc.world.head_a).get(response.json()["proof"])
    assert proof.status_code == 200 and proof["Content-Type"] == "image/png"


def test_a_unit_records_a_measure_carried_out(acc: Any, decided: dict[str, Any]) -> None:
    url = f"{BASE}/sanctions/{decided['sanction'].pk}/execute/"
    assert api(acc.world.viewer).post(url, {"executed_on": "2026-03-02"}, format="json").status_code == 403
    bad = api(acc.world.head_a).post(url, {}, format="json")
    assert bad.status_code == 400 and bad.json() == {"executed_on": ["请填写落实日期。"]}
    ok = api(acc.world.head_a).post(url, {"executed_on": "2026-03-02", "note": "已谈话"}, format="json")
    assert ok.status_code == 200 and ok.json()["executed_on"] == "2026-03-02"


def test_the_office_records_an_incident(acc: Any) -> None:
    data = {
        "kind": "media_exposure",
        "occurred_on": "2026-03-01",
        "title": "电视台曝光",
        "units": [acc.world.unit_a.pk, acc.world.unit_b.pk],
    }
    assert api(acc.world.head_a).post(f"{BASE}/incidents/", data, format="json").status_code == 403
    response = api(acc.office).post(f"{BASE}/incidents/", data, format="json")
    assert response.status_code == 201 and response.json()["reference"].startswith("QX")
    joint = api(acc.office).get(f"{BASE}/proposals/?rule=apology_joint").json()["results"]
    assert len(joint) == 1 and sorted(joint[0]["units"]) == sorted([acc.world.unit_a.pk, acc.world.unit_b.pk])
    bad = api(acc.office).post(f"{BASE}/incidents/", {**data, "title": ""}, format="json")
    assert bad.status_code == 400 and bad.json() == {"title": ["请填写事由。"]}


def test_review_through_the_api(acc: Any) -> None:
    from cases import services as case_services

    case = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    decision = decide(acc, Proposal.objects.get(kind="sanction"))
    case_services.complaint_verdict_withdraw(actor=acc.head, case=case, reason="复核不属实")
    url = f"{BASE}/decisions/{decision.pk}/review/"
    assert api(acc.office).post(url, {"decision": "revoke", "note": "x"}, format="json").status_code == 403
    response = api(acc.head).post(url, {"decision": "revoke", "note": "投诉认定已撤销"}, format="json")
    assert response.status_code == 200 and response.json()["revoked_at"] is not None and response.json()["under_review"] is False


def test_rating_consequences_and_figures(acc: Any, decided: dict[str, Any]) -> None:
    rows = api(acc.office).get(f"{BASE}/rating-consequences/?year=2026").json()
    assert rows == [{"staff": acc.clerk.pk, "barred_from_excellent": True, "incompetent": False, "under_review": False}]
    figures = api(acc.world.viewer).get(f"{BASE}/figures/?year=2026").json()
    assert figures["ladder_steps"] == {"1": 1} and figures["people"] == 1
    assert {m["measure"]: m["in_force"] for m in figures["measures"]} == {"admonition_talk": 1, "barred_from_excellent": 1}
    assert acc.clerk.name not in str(figures)


def test_token_scopes(acc: Any, decided: dict[str, Any]) -> None:
    from accounts.services import token_create

    _token, raw = token_create(
        actor=acc.world.admin, user=acc.office, name="报表", scopes=["accountability:read"], expires_at=at(2026, 12, 31)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(f"{BASE}/sanctions/").status_code == 200
    data = {"kind": "media_exposure", "occurred_on": "2026-03-01", "title": "曝光", "units": [acc.world.unit_a.pk]}
    assert client.post(f"{BASE}/incidents/", data, format="json").status_code == 403


def test_the_openapi_schema_documents_the_endpoints_without_a_warning(tmp_path: Any) -> None:
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text(encoding="utf-8")
    for path in ("proposals/{id}/decide/", "decisions/{id}/review/", "sanctions/{id}/execute/", "apologies/{id}/record/", "people/{id}/"):
        assert f"/api/v1/accountability/{path}" in schema
    assert "rating-consequences" in schema and "^(accepted|changed|rejected)$" in schema


def test_details_of_the_offices_records_by_persona(acc: Any, decided: dict[str, Any]) -> None:
    from accountability import services
    from accountability.models import Charge, Decision

    incident = services.incident_record(
        actor=acc.office, kind="media_exposure", occurred_on=date(2026, 3, 2), title="曝光", units=[acc.world.unit_b]
    )
    office_view = {"office": 200, "office_head": 200, "supervisor": 403, "liaison_a": 403, "head_a": 403, "liaison_b": 403}
    office_view |= {"viewer": 403, "rater": 403, "admin": 403}
    for url in (
        f"{BASE}/decisions/{Decision.objects.first().pk}/",
        f"{BASE}/charges/{Charge.objects.first().pk}/",
        f"{BASE}/incidents/{incident.pk}/",
    ):
        assert statuses(acc.world, "get", url) == office_view, url
    proof = {**office_view, "liaison_a": 404, "head_a": 404, "liaison_b": 404, "office": 404, "office_head": 404}  # no proof yet
    assert statuses(acc.world, "get", f"{BASE}/apologies/{decided['apology'].pk}/proof/") == proof
