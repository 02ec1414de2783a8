"""The pages themselves: forms that call the services, keep what was typed when refused,
and change nothing; the supervisor's recording page without a script (files with the
form); the unit's verification with attachments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing import client_for
from inspections.choices import FindingStatus, RoundKind
from inspections.models import Evidence, Finding, InspectionRound, InspectionTask
from inspections.tests.helpers import fed_back_finding, jpeg, pdf, submitted_finding

pytestmark = pytest.mark.django_db


def test_the_office_plans_a_round_from_the_page(insp):
    client = client_for(insp.office)
    form = client.get("/inspections/rounds/new/")
    assert form.status_code == 200 and "检查项目" in form.content.decode()
    response = client.post(
        "/inspections/rounds/new/",
        {
            "kind": RoundKind.SPECIAL,
            "month": "2026-04",
            "theme": "拎早点上班",
            "scope_categories": [insp.world.unit_a.category_id],
            "checklist": ["conduct"],
        },
    )
    round_ = InspectionRound.objects.get(theme="拎早点上班")
    assert response.status_code == 302 and response["Location"] == f"/inspections/rounds/{round_.pk}/"
    assert set(round_.scope.values_list("code", flat=True)) == {"A", "B"}  # every department of the category


def test_a_refused_round_keeps_what_was_typed(insp):
    response = client_for(insp.office).post(
        "/inspections/rounds/new/", {"kind": RoundKind.SPECIAL, "month": "2026-04", "theme": "", "note": "重点查窗口"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "请填写专项主题。" in page and "请选择检查范围" in page and "重点查窗口" in page
    assert InspectionRound.objects.count() == 1


def test_the_office_adds_a_batch_and_a_task_from_the_pages(insp):
    client = client_for(insp.office)
    bad = client.post(
        f"/inspections/rounds/{insp.round.pk}/batches/new/", {"start_date": "2026-03-09", "end_date": "2026-03-20", "note": "第二周"}
    )
    assert bad.status_code == 400 and "一个批次最长一周（7天）。" in bad.content.decode() and "第二周" in bad.content.decode()
    assert (
        client.post(f"/inspections/rounds/{insp.round.pk}/batches/new/", {"start_date": "2026-03-09", "end_date": "2026-03-13"}).status_code
        == 302
    )
    batch = insp.round.batches.get(number=2)
    response = client.post(
        f"/inspections/batches/{batch.pk}/tasks/new/",
        {
            "units": [insp.world.window_a.pk],
            "mode": "open",
            "window_start": "2026-03-10T09:00",
            "window_end": "2026-03-10T11:00",
            "team_size": 2,
            "instructions": "重点查AB岗",
        },
    )
    task = InspectionTask.objects.get(batch=batch)
    assert response.status_code == 302 and task.instructions == "重点查AB岗"
    assert client.post(f"/inspections/tasks/{task.pk}/assign/").status_code == 302
    assert task.assignments.count() == 2
    assert client.post(f"/inspections/tasks/{task.pk}/dispatch/").status_code == 302
    task.refresh_from_db()
    assert task.status == "dispatched"


def test_recording_a_finding_without_a_script_sends_the_files_with_the_form(insp):
    client = client_for(insp.world.supervisor)
    start = client.post(f"/inspections/tasks/{insp.task.pk}/findings/new/")
    finding = Finding.objects.get()
    assert start["Location"] == f"/inspections/findings/{finding.pk}/edit/"
    data = {
        "unit": insp.world.window_a.pk,
        "item_code": "on_post",
        "observed_at": "2026-03-03T09:10",
        "place": "3号窗口",
        "description": "窗口无人，离岗告示牌未放置",
        "action": "submit",
    }
    refused = client.post(f"/inspections/findings/{finding.pk}/edit/", data)
    page = refused.content.decode()
    assert refused.status_code == 400 and "须附照片、视频或录音作为证据" in page and "离岗告示牌未放置" in page
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DRAFT and finding.description == "窗口无人，离岗告示牌未放置"  # the text was saved
    done = client.post(f"/inspections/findings/{finding.pk}/edit/", {**data, "files": [jpeg("a.jpg"), jpeg("b.jpg")]})
    assert done.status_code == 302 and done["Location"] == f"/inspections/tasks/{insp.task.pk}/?forget={finding.pk}"
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED and finding.evidence.filter(locked_at__isnull=False).count() == 2
    assert client.get(f"/inspections/findings/{finding.pk}/edit/")["Location"] == f"/inspections/findings/{finding.pk}/"


def test_saving_a_draft_comes_back_to_the_page(insp):
    client = client_for(insp.world.supervisor)
    client.post(f"/inspections/tasks/{insp.task.pk}/findings/new/")
    finding = Finding.objects.get()
    response = client.post(
        f"/inspections/findings/{finding.pk}/edit/",
        {
            "unit": insp.world.window_a.pk,
            "item_code": "attitude",
            "observed_at": "2026-03-03T09:10",
            "description": "态度生硬",
            "action": "save",
        },
    )
    assert response["Location"] == f"/inspections/findings/{finding.pk}/edit/?saved=1"
    page = client.get(response["Location"]).content.decode()
    assert 'data-just-saved="1"' in page and 'capture="environment"' in page and 'accept="image/*"' in page


def test_the_office_reviews_and_feeds_back_from_the_page(insp):
    finding = submitted_finding(insp)
    client = client_for(insp.office)
    refused = client.post(f"/inspections/findings/{finding.pk}/review/", {"action": "dismiss", "note": ""})
    assert refused.status_code == 400 and "请填写不予采用的理由。" in refused.content.decode()
    assert client.post(f"/inspections/findings/{finding.pk}/review/", {"action": "confirm"}).status_code == 302
    assert client.post(f"/inspections/findings/{finding.pk}/feedback/").status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.FED_BACK


def test_the_unit_verifies_with_attachments_and_a_bad_file_changes_nothing(insp):
    finding = fed_back_finding(insp)
    client = client_for(insp.world.liaison_a)
    bad = client.post(
        f"/inspections/findings/{finding.pk}/verify/",
        {
            "verdict": "true",
            "explanation": "经查属实，已约谈当事人",
            "files": [pdf(), SimpleUploadedFile("说明.pdf", b"just some text, not a PDF" * 8)],
        },
    )
    page = bad.content.decode()
    assert bad.status_code == 400 and "文件“说明.pdf”的内容不是允许的类型" in page and "经查属实，已约谈当事人" in page
    finding.refresh_from_db()
    assert finding.status == FindingStatus.FED_BACK and finding.evidence.count() == 1
    good = client.post(f"/inspections/findings/{finding.pk}/verify/", {"verdict": "true", "explanation": "经查属实", "files": [pdf()]})
    assert good.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECTIFYING
    attachment = Evidence.objects.get(finding=finding, stage="verification")
    assert attachment.locked_at is not None and attachment.content_type == "application/pdf"
