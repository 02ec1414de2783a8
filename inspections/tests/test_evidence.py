"""Evidence: stored with SHA-256, size, type checked against the content, capture time and
uploader; retried uploads are not stored twice; a checklist item that requires evidence
refuses a finding without; once submitted nobody can change or delete it (service, ORM,
PostgreSQL), and ``evidence_verify`` proves every stored file still matches its hash."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from core.models import AuditRecord, ImmutableError
from core.testing import client_for
from inspections import services
from inspections.choices import FindingStatus
from inspections.models import Evidence
from inspections.tests.helpers import at, jpeg, mp4, png, submitted_finding

pytestmark = pytest.mark.django_db


def draft(insp, item_code="conduct"):
    user = insp.world.supervisor
    finding = services.finding_start(actor=user, task=insp.task)
    return services.finding_update(
        actor=user,
        finding=finding,
        unit=insp.world.window_a,
        item_code=item_code,
        observed_at=insp.clock.now,
        description="工作人员离岗，窗口无人。",
    )


def test_a_photo_is_stored_with_its_hash_size_type_capture_time_and_uploader(insp):
    finding = draft(insp)
    upload = jpeg("IMG_0001.JPG")
    content = upload.read()
    upload.seek(0)
    evidence = services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=upload, captured_at=at(2026, 3, 3, 9, 15))
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert (evidence.size, evidence.kind, evidence.content_type) == (len(content), "image", "image/jpeg")
    assert evidence.captured_at == at(2026, 3, 3, 9, 15) and evidence.uploaded_by == insp.world.supervisor
    assert evidence.locked_at is None and evidence.original_name == "IMG_0001.JPG"
    assert "IMG_0001" not in evidence.file.name  # stored under a name of ours
    with evidence.file.open("rb") as handle:
        assert handle.read() == content
    assert AuditRecord.objects.filter(action="inspections.evidence.add", detail__sha256=evidence.sha256).exists()


def test_a_retried_upload_is_stored_once(insp):
    finding = draft(insp)
    first = services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=jpeg(), client_key="abc-1")
    again = services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=jpeg(), client_key="abc-1")
    assert again.pk == first.pk and finding.evidence.count() == 1


def test_a_file_whose_content_is_not_its_claimed_type_is_refused(insp):
    finding = draft(insp)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is not a photo at all" * 10, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=fake)
    assert exc.value.messages == ["文件“photo.jpg”的内容不是允许的类型（只接受：图片、视频、录音）。"]
    renamed = png("clip.mp4")  # a picture pretending to be a video
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=renamed)
    assert exc.value.messages == ["文件“clip.mp4”的扩展名与其实际内容（image/png）不符。"]
    assert not finding.evidence.exists()


def test_a_video_over_the_size_limit_is_refused(insp, settings):
    settings.XN_UPLOAD_LIMITS = {**settings.XN_UPLOAD_LIMITS, "video": 1024}
    finding = draft(insp)
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=mp4(padding=4096))
    assert exc.value.messages == ["文件“clip.mp4”太大（0.0 MB），视频最大 0 MB。"]
    small = services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=mp4(padding=500))
    assert small.kind == "video" and small.content_type == "video/mp4"
    assert finding.evidence.count() == 1


def test_an_item_that_requires_evidence_refuses_a_finding_without(insp):
    finding = draft(insp, "on_post")  # 在岗在位: requires evidence
    with pytest.raises(ValidationError) as exc:
        services.finding_submit(actor=insp.world.supervisor, finding=finding)
    assert exc.value.message_dict["evidence"] == ["检查项目“在岗在位”须附照片、视频或录音作为证据。"]
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DRAFT and finding.submitted_at is None
    # an item that does not require it (服务态度) may be submitted on the supervisor's word
    other = draft(insp, "attitude")
    assert services.finding_submit(actor=insp.world.supervisor, finding=other).status == FindingStatus.SUBMITTED


def test_submitted_evidence_cannot_be_changed_or_deleted_by_anyone(insp):
    finding = submitted_finding(insp)
    evidence = finding.evidence.get()
    assert evidence.locked_at is not None
    with pytest.raises(ValidationError) as exc:
        services.evidence_delete(actor=insp.world.supervisor, evidence=evidence)
    assert exc.value.messages == ["已提交的证据由系统锁定，任何人都不能修改或删除。"]
    with pytest.raises(ValidationError):
        services.evidence_delete(actor=insp.office, evidence=evidence)
    evidence.sha256 = "0" * 64
    with pytest.raises(ImmutableError):
        evidence.save()
    with pytest.raises(ImmutableError):
        evidence.delete()
    with pytest.raises(ImmutableError):
        Evidence.objects.filter(pk=evidence.pk).update(size=1)
    with pytest.raises(ImmutableError):
        Evidence.objects.filter(finding=finding).delete()
    with pytest.raises(ValidationError):
        services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=jpeg())
    # and through the page
    response = client_for(insp.world.supervisor).post(f"/inspections/evidence/{evidence.pk}/delete/", HTTP_ACCEPT="application/json")
    assert response.status_code in (400, 403)
    assert Evidence.objects.filter(pk=evidence.pk, size=evidence.size).exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger exists on PostgreSQL only")
def test_the_database_itself_refuses_on_postgresql(insp):
    from django.db import DatabaseError, transaction

    evidence = submitted_finding(insp).evidence.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE inspections_evidence SET sha256 = 'x' WHERE id = %s", [evidence.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM inspections_evidence WHERE id = %s", [evidence.pk])


def test_a_returned_finding_takes_more_evidence_and_keeps_the_first(insp):
    finding = submitted_finding(insp)
    services.finding_return(actor=insp.office, finding=finding, reason="照片看不清工牌，请补充近景照片")
    more = services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=jpeg("close.jpg"))
    assert more.locked_at is None
    services.evidence_delete(actor=insp.world.supervisor, evidence=more)  # not yet submitted: allowed
    services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=jpeg("close2.jpg"))
    services.finding_submit(actor=insp.world.supervisor, finding=finding)
    assert finding.evidence.filter(locked_at__isnull=True).count() == 0 and finding.evidence.count() == 2


def test_evidence_verify_proves_every_file_and_finds_a_changed_or_missing_one(insp):
    finding = submitted_finding(insp, files=2)
    out = StringIO()
    call_command("evidence_verify", stdout=out)
    assert "共核验 2 个文件，全部与登记的 SHA-256 一致" in out.getvalue()
    first, second = finding.evidence.order_by("pk")
    with first.file.storage.open(first.file.name, "wb") as handle:
        handle.write(b"tampered")
    second.file.storage.delete(second.file.name)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("evidence_verify", stdout=StringIO(), stderr=err)
    assert exit_code.value.code == 1
    assert f"证据 #{first.pk}" in err.getvalue() and "内容被改动" in err.getvalue()
    assert f"证据 #{second.pk}" in err.getvalue() and "文件缺失" in err.getvalue()


def test_the_upload_page_answers_in_json_and_in_chinese(insp, settings):
    finding = draft(insp)
    client = client_for(insp.world.supervisor)
    url = f"/inspections/findings/{finding.pk}/evidence/"
    response = client.post(url, {"file": jpeg(), "client_key": "k1", "captured_at": "2026-03-03T09:10:00+08:00"})
    assert response.status_code == 201
    data = response.json()
    assert data["kind"] == "image" and len(data["sha256"]) == 64 and data["locked"] is False
    assert client.post(url, {"file": jpeg(), "client_key": "k1"}).json()["id"] == data["id"]
    bad = client.post(url, {"file": SimpleUploadedFile("x.jpg", b"not an image" * 20)})
    assert bad.status_code == 400 and "内容不是允许的类型" in bad.json()["error"]
    assert client.post(url, {}).json()["error"] == "没有收到文件，请重试。"
    # the unit, another supervisor: no such finding
    assert client_for(insp.sup3.user).post(url, {"file": jpeg()}).status_code == 404
    assert client_for(insp.world.liaison_a).post(url, {"file": jpeg()}).status_code == 403
    assert finding.evidence.count() == 1


def test_the_unit_gets_photos_without_the_cameras_metadata_and_the_original_stays(insp):
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x013B] = "Huawei", "Mate 60", "周立新"  # make, model, artist
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "JPEG", exif=exif.tobytes())
    original = out.getvalue()
    assert b"Mate 60" in original
    finding = draft(insp)
    evidence = services.evidence_add(actor=insp.world.supervisor, finding=finding, upload=SimpleUploadedFile("m.jpg", original))
    services.finding_submit(actor=insp.world.supervisor, finding=finding)
    services.finding_confirm(actor=insp.office, finding=finding)
    services.finding_feed_back(actor=insp.office, finding=finding)
    url = f"/inspections/evidence/{evidence.pk}/"
    assert client_for(insp.office).get(url).getvalue() == original  # the office: the evidence as recorded
    seen = client_for(insp.world.liaison_a).get(url).content
    assert seen != original and b"Mate 60" not in seen and "周立新".encode() not in seen
    assert Image.open(BytesIO(seen)).size == (40, 30)
    api = client_for(insp.world.liaison_a).get(f"/api/v1/inspections/evidence/{evidence.pk}/download/").content
    assert b"Huawei" not in api and Image.open(BytesIO(api)).size == (40, 30)
    with evidence.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == evidence.sha256
