"""The API end to end: the office plans and dispatches, a supervisor records a finding with
evidence, the office reviews and feeds back, the unit verifies and rectifies, the office
accepts — with the same rules and permissions as the pages; token scopes apply."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from core.testing import client_for
from inspections.choices import FindingStatus
from inspections.models import Finding
from inspections.tests.helpers import jpeg, pdf

pytestmark = pytest.mark.django_db
API = "/api/v1/inspections"


def test_the_whole_way_through_the_api(insp, clock):
    world = insp.world
    office = client_for(world.office)
    created = office.post(
        f"{API}/rounds/",
        {"kind": "special", "month": "2026-03-01", "scope": [world.unit_a.pk], "theme": "上下班", "checklist_codes": ["punctuality"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["checklist"][0]["code"] == "punctuality" and created.json()["title"] == "2026年3月专项暗访：上下班"
    batch = office.post(
        f"{API}/batches/",
        {"round": created.json()["id"], "start_date": "2026-03-09", "end_date": "2026-03-13"},
        content_type="application/json",
    )
    assert batch.status_code == 201 and batch.json()["number"] == 1
    task = office.post(
        f"{API}/tasks/",
        {
            "batch": batch.json()["id"],
            "units": [world.window_a.pk],
            "mode": "walkthrough",
            "window_start": "2026-03-10T08:30:00+08:00",
            "window_end": "2026-03-10T11:00:00+08:00",
        },
        content_type="application/json",
    )
    assert task.status_code == 201 and task.json()["team_size"] == 2
    task_id = task.json()["id"]
    assigned = office.post(f"{API}/tasks/{task_id}/assign/")
    assert assigned.status_code == 200 and len(assigned.json()["team"]) == 2
    assert {m["supervisor"] for m in assigned.json()["team"]} <= {insp.sup1.pk, insp.sup2.pk, insp.sup3.pk}
    team = office.post(
        f"{API}/tasks/{task_id}/team/", {"supervisors": [insp.sup1.pk, insp.sup3.pk], "reason": "熟悉流程"}, content_type="application/json"
    )
    assert team.status_code == 200
    assert office.post(f"{API}/tasks/{task_id}/dispatch/").json()["status"] == "dispatched"
    # the supervisor, on the spot
    clock.set(clock.now.replace(day=10, hour=9))
    sup = client_for(world.supervisor)
    assert sup.post(f"{API}/tasks/{task_id}/accept/").json()["status"] == "accepted"
    draft = sup.post(f"{API}/findings/", {"task": task_id}, content_type="application/json")
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    finding_id = draft.json()["id"]
    saved = sup.patch(
        f"{API}/findings/{finding_id}/",
        {
            "unit": world.window_a.pk,
            "item_code": "punctuality",
            "observed_at": "2026-03-10T08:45:00+08:00",
            "description": "8:45窗口仍无人上班",
            "place": "一楼2号窗口",
        },
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    refused = sup.post(f"{API}/findings/{finding_id}/submit/")
    assert refused.status_code == 400 and "须附照片、视频或录音" in refused.json()["evidence"][0]
    upload = sup.post(f"{API}/findings/{finding_id}/evidence/upload/", {"file": jpeg(), "client_key": "a1"})
    assert upload.status_code == 201 and upload.json()["kind"] == "image" and upload.json()["locked_at"] is None
    assert sup.post(f"{API}/findings/{finding_id}/submit/").json()["status"] == "submitted"
    # the office (a new session: a week went by)
    office = client_for(world.office)
    assert office.post(f"{API}/findings/{finding_id}/review/", {"action": "return"}, content_type="application/json").status_code == 400
    confirmed = office.post(
        f"{API}/findings/{finding_id}/review/", {"action": "confirm", "note": "证据充分"}, content_type="application/json"
    )
    assert confirmed.json()["status"] == "confirmed"
    unit = client_for(world.liaison_a)
    assert unit.get(f"{API}/findings/{finding_id}/").status_code == 404  # not yet fed back
    fed = office.post(f"{API}/findings/{finding_id}/feedback/").json()
    assert fed["status"] == "fed_back" and fed["verify_due"] == "2026-03-17"
    # the unit: sees it, never who recorded it nor on which task
    seen = unit.get(f"{API}/findings/{finding_id}/").json()
    assert seen["task"] is None and seen["recorded_by"] is None and seen["description"] == "8:45窗口仍无人上班"
    assert office.get(f"{API}/findings/{finding_id}/").json()["recorded_by"] == "S001"
    evidence = unit.get(f"{API}/findings/{finding_id}/evidence/").json()
    assert len(evidence) == 1 and evidence[0]["locked_at"] is not None and "uploaded_by" not in evidence[0]
    assert unit.get(evidence[0]["download"]).status_code == 200
    verified = unit.post(f"{API}/findings/{finding_id}/verify/", {"verdict": "true", "explanation": "当事人迟到，已诫勉", "files": [pdf()]})
    assert verified.status_code == 200, verified.content
    assert verified.json()["status"] == "rectifying" and verified.json()["rectify_due"] == "2026-03-24"
    rectified = unit.post(f"{API}/findings/{finding_id}/rectify/", {"text": "建立签到制度"}, content_type="application/json")
    assert rectified.json()["status"] == "rectified"
    accepted = office.post(f"{API}/findings/{finding_id}/acceptance/", {"decision": "accept"}, content_type="application/json")
    assert accepted.json()["status"] == "closed" and accepted.json()["rectifications"][0]["decision"] == "accepted"
    figures = office.get(f"{API}/figures/?month=2026-03").json()
    assert figures["findings_rectified_on_time"] == 1 and figures["period"] == "2026年3月"


def test_bad_input_through_the_api_is_refused_in_chinese(insp):
    office = client_for(insp.office)
    response = office.post(
        f"{API}/rounds/", {"kind": "regular", "month": "2026-03-01", "scope": [insp.world.unit_a.pk]}, content_type="application/json"
    )
    assert response.status_code == 400 and "已有常态暗访轮次" in response.json()["month"][0]
    response = office.post(
        f"{API}/tasks/",
        {
            "batch": insp.batch.pk,
            "units": [insp.world.unit_a.pk],
            "window_start": "2026-03-04T09:00:00+08:00",
            "window_end": "2026-03-04T08:00:00+08:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["window_end"] == ["结束时间须晚于开始时间。"]
    assert client_for(insp.world.liaison_a).get(f"{API}/tasks/{insp.task.pk}/").json()["detail"] == "您没有权限执行此操作。"
    assert client_for(insp.sup3.user).get(f"{API}/tasks/{insp.task.pk}/").json()["detail"] == "未找到，或您无权查看。"


def test_token_scopes_narrow_what_a_machine_may_do(insp):
    raw, prefix, digest = ApiToken.generate()
    ApiToken.objects.create(
        user=insp.office,
        name="12345平台",
        prefix=prefix,
        digest=digest,
        scopes=["inspections:read"],
        expires_at=timezone.now() + timedelta(days=30),
        created_by=insp.office,
    )
    machine = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert machine.get(f"{API}/findings/").status_code == 200
    assert machine.get(f"{API}/figures/?year=2026").status_code == 200
    assert machine.post(f"{API}/tasks/{insp.task.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert Finding.objects.filter(status=FindingStatus.DRAFT).count() == 0


def test_the_openapi_schema_documents_the_endpoints_without_a_warning(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text(encoding="utf-8")
    for path in (
        "/api/v1/inspections/findings/{id}/verify/",
        "/api/v1/inspections/findings/{id}/evidence/upload/",
        "/api/v1/inspections/figures/",
    ):
        assert path in schema
