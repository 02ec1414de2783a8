"""The API under /api/v1/evaluations/: the pages' permissions (allowed, 403, another
unit's rows invisible), answer submission for kiosks screened like the public pages,
token scopes, and service-rating steps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from core.testing import World
from evaluations import services
from evaluations.models import Response, ServiceRating
from evaluations.tests import helpers

pytestmark = pytest.mark.django_db
BASE = "/api/v1/evaluations"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def statuses(world: World, method: str, url: str, data: dict | None = None) -> dict[str, int]:
    return {name: getattr(api(world.persona(name)), method)(url, data or {}, format="json").status_code for name in World.PERSONAS}


def test_campaign_list_scoping(world: Any) -> None:
    (window_b,) = helpers.extra_windows(world, 1)
    c = helpers.campaign(world, units=[world.window_a, window_b])
    draft = helpers.campaign(world, open_=False)
    assert statuses(world, "get", f"{BASE}/campaigns/") == {
        "office": 200,
        "office_head": 200,
        "supervisor": 403,
        "liaison_a": 200,
        "head_a": 200,
        "liaison_b": 200,
        "viewer": 200,
        "rater": 403,
        "admin": 403,
    }
    assert api(world.liaison_a).get(f"{BASE}/campaigns/").json()["results"] == []  # nothing published yet
    assert api(world.liaison_a).get(f"{BASE}/campaigns/{c.pk}/").status_code == 404
    helpers.answer(c, c.targets.first(), 100)
    services.campaign_close(actor=world.office, campaign=c)
    services.campaign_confirm(actor=world.office_head, campaign=c)
    services.campaign_publish(actor=world.office_head, campaign=c)
    assert [row["id"] for row in api(world.liaison_a).get(f"{BASE}/campaigns/").json()["results"]] == [c.pk]
    results = api(world.liaison_a).get(f"{BASE}/campaigns/{c.pk}/results/").json()
    assert [r["unit"] for r in results] == [world.window_a.pk]
    assert [r["unit"] for r in api(world.liaison_b).get(f"{BASE}/campaigns/{c.pk}/results/").json()] == [window_b.pk]
    assert len(api(world.viewer).get(f"{BASE}/campaigns/").json()["results"]) == 2
    assert api(world.liaison_a).get(f"{BASE}/campaigns/{draft.pk}/").status_code == 404


def test_responses_are_never_readable_by_units(world: Any) -> None:
    c = helpers.campaign(world)
    response = helpers.answer(c, c.targets.get(), 80)
    assert statuses(world, "get", f"{BASE}/responses/{response.pk}/") == {
        "office": 200,
        "office_head": 200,
        "supervisor": 403,
        "liaison_a": 403,
        "head_a": 403,
        "liaison_b": 403,
        "viewer": 200,
        "rater": 403,
        "admin": 403,
    }
    assert api(world.office).get(f"{BASE}/responses/?campaign={c.pk}").json()["count"] == 1


def test_kiosk_submits_answers_and_the_device_rule_holds(world: Any) -> None:
    c = helpers.campaign(world)
    target = c.targets.get()
    question = c.questionnaire.questions.get()
    body = {
        "campaign": c.pk,
        "target": target.pk,
        "answers": {str(question.pk): "satisfied"},
        "device": "kiosk-7-session-0001",
        "started_at": (timezone.now() - timedelta(seconds=45)).isoformat(),
    }
    created = api(world.office).post(f"{BASE}/responses/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "valid" and created.json()["score"] == 80
    again = api(world.office).post(f"{BASE}/responses/", body, format="json")
    assert again.status_code == 400 and "已经评价过" in again.json()["non_field_errors"][0]
    missing = api(world.office).post(f"{BASE}/responses/", {**body, "device": "kiosk-2", "answers": {}}, format="json")
    assert missing.status_code == 400 and f"q{question.pk}" in missing.json()
    other = helpers.campaign(world, units=helpers.extra_windows(world, 1))
    tampered = api(world.office).post(f"{BASE}/responses/", {**body, "device": "kiosk-3", "target": other.targets.get().pk}, format="json")
    assert tampered.status_code == 400 and "target" in tampered.json()
    assert api(world.liaison_a).post(f"{BASE}/responses/", body, format="json").status_code == 403
    assert Response.objects.count() == 1


def test_token_scopes(world: Any) -> None:
    c = helpers.campaign(world)
    raw, prefix, digest = ApiToken.generate()
    ApiToken.objects.create(
        user=world.office,
        name="自助终端",
        prefix=prefix,
        digest=digest,
        scopes=["evaluations:read"],
        expires_at=timezone.now() + timedelta(days=30),
        created_by=world.admin,
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(f"{BASE}/campaigns/").status_code == 200
    question = c.questionnaire.questions.get()
    body = {"campaign": c.pk, "target": c.targets.get().pk, "answers": {str(question.pk): "satisfied"}}
    assert client.post(f"{BASE}/responses/", body, format="json").status_code == 403


def test_campaign_steps_through_the_api(world: Any) -> None:
    c = helpers.campaign(world)
    helpers.answer(c, c.targets.get(), 100)
    assert api(world.office).post(f"{BASE}/campaigns/{c.pk}/close/").json()["status"] == "closed"
    assert api(world.office).post(f"{BASE}/campaigns/{c.pk}/confirm/").status_code == 403
    assert api(world.office_head).post(f"{BASE}/campaigns/{c.pk}/confirm/").json()["status"] == "confirmed"
    assert api(world.office).post(f"{BASE}/campaigns/{c.pk}/compute/").status_code == 400
    targets = api(world.office).get(f"{BASE}/campaigns/{c.pk}/targets/").json()
    assert targets[0]["url"].endswith(f"/public/rate/c/{c.targets.get().token}/")


def test_questionnaire_api_freezes_published(world: Any) -> None:
    body = {"title": "接口问卷", "questions": [{"kind": "satisfaction", "text": "总体满意度", "options": [], "required": True}]}
    created = api(world.office).post(f"{BASE}/questionnaires/", body, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api(world.office).post(f"{BASE}/questionnaires/{pk}/publish/").json()["status"] == "published"
    assert api(world.office).post(f"{BASE}/questionnaires/{pk}/publish/").status_code == 400
    assert api(world.office).post(f"{BASE}/questionnaires/{pk}/new-version/").json()["version"] == 2
    assert api(world.liaison_a).get(f"{BASE}/questionnaires/").status_code == 403


def test_ratings_api_scoping_and_steps(world: Any) -> None:
    ours = services.rating_submit(unit=world.window_a, level="dissatisfied", contact_phone="13800138000", contact_name="赵")
    (window_b,) = helpers.extra_windows(world, 1)
    services.rating_submit(unit=window_b, level="satisfied")
    listing = api(world.liaison_a).get(f"{BASE}/ratings/").json()
    assert [r["id"] for r in listing["results"]] == [ours.pk]
    assert "contact_phone" not in listing["results"][0] and "赵" not in str(listing)
    assert api(world.liaison_b).get(f"{BASE}/ratings/{ours.pk}/").status_code == 404
    assert (
        api(world.liaison_a).post(f"{BASE}/ratings/{ours.pk}/callback/", {"verified": True, "note": "x"}, format="json").status_code == 403
    )
    done = api(world.office).post(f"{BASE}/ratings/{ours.pk}/callback/", {"verified": True, "note": "属实"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "verified" and done.json()["due_date"]
    assert (
        api(world.liaison_b).post(f"{BASE}/ratings/{ours.pk}/resolve/", {"resolution": "explained", "note": "x"}, format="json").status_code
        == 404
    )
    appeal = api(world.liaison_a).post(f"{BASE}/ratings/{ours.pk}/appeal/", {"reason": "评价对象错误，当天该窗口未开放"}, format="json")
    assert appeal.json()["status"] == "appealed"
    assert api(world.liaison_a).post(f"{BASE}/ratings/{ours.pk}/decide/", {"upheld": True, "note": "x"}, format="json").status_code == 403
    assert (
        api(world.office).post(f"{BASE}/ratings/{ours.pk}/decide/", {"upheld": True, "note": "成立"}, format="json").json()["excluded"]
        is True
    )
    kiosk = api(world.office).post(
        f"{BASE}/ratings/", {"unit": world.window_a.pk, "level": "very_satisfied", "device": "kiosk-1"}, format="json"
    )
    assert kiosk.status_code == 201 and ServiceRating.objects.get(pk=kiosk.json()["id"]).channel == "api"
    assert api(world.office).post(f"{BASE}/ratings/", {"unit": world.window_a.pk, "level": "??"}, format="json").status_code == 400


def test_openapi_schema_generates_without_errors_or_warnings(tmp_path: Any) -> None:
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    assert "/api/v1/evaluations/responses/" in schema and "/api/v1/evaluations/ratings/{id}/appeal/" in schema
