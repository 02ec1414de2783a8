"""Circulars (通报): the office selects findings verified true, the platform drafts a real
.docx in the layout of official documents and a PDF, the office edits and publishes it,
and the published version is kept immutable (stored files with their SHA-256)."""

from __future__ import annotations

import hashlib
import io
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from docx import Document
from pypdf import PdfReader

from core.models import ImmutableError
from core.testing import client_for, make_staff, status_by_persona
from inspections import services
from inspections.choices import CircularStatus
from inspections.documents import cn_number
from inspections.models import Circular
from inspections.tests.helpers import fed_back_finding, submitted_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(insp):
    finding = fed_back_finding(insp)
    staff = make_staff(insp.world.window_a, name="张晓")
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="属实", staff=staff)
    return finding


def text_of_docx(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def text_of_pdf(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")


def test_chinese_numbers_for_the_items():
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_only_findings_verified_true_go_into_a_circular(insp, verified):
    pending = submitted_finding(insp)
    with pytest.raises(ValidationError) as exc:
        services.circular_create(actor=insp.office, findings=[verified, pending])
    assert exc.value.message_dict["findings"] == [f"只有核查属实的问题可以通报：{pending.reference}不是。"]
    assert not Circular.objects.exists()


def test_the_draft_is_an_official_document_in_word_and_pdf(insp, verified):
    circular = services.circular_create(actor=insp.office, findings=[verified])
    assert circular.number == "效办通〔2026〕1号" and circular.status == CircularStatus.DRAFT
    assert circular.title == "关于2026年3月常态暗访发现问题的通报"
    response = client_for(insp.office).get(f"/inspections/circulars/{circular.pk}/download/docx/")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[0] == "市效能建设领导小组办公室"  # the red issuer heading
    assert lines[1] == "效办通〔2026〕1号"
    assert lines[2] == "关于2026年3月常态暗访发现问题的通报"
    assert lines[3] == "各市直单位："
    assert "一、甲局窗口" in lines
    item = next(line for line in lines if line.startswith("（一）"))
    assert "3月3日09:15" in item and "工作纪律" in item and "玩手机游戏" in item and "涉及人员：张晓" in item
    assert lines[-2].startswith("抄送：市委办公室") and lines[-1] == "市效能建设领导小组办公室　　2026年3月3日印发"
    assert "2026年3月3日" in lines  # the date under the signature
    heading = document.paragraphs[0].runs[0]
    assert str(heading.font.color.rgb) == "C00000" and heading.font.size.pt == 26
    text = text_of_pdf(client_for(insp.office).get(f"/inspections/circulars/{circular.pk}/download/pdf/").content)
    for expected in ("效办通〔2026〕1号", "关于2026年3月常态暗访发现问题的通报", "甲局窗口", "抄送："):
        assert expected in text


def test_the_office_edits_then_publishes_and_the_published_version_never_changes(insp, verified):
    circular = services.circular_create(actor=insp.office, findings=[verified])
    services.circular_update(
        actor=insp.office,
        circular=circular,
        number="临效办通〔2026〕3号",
        title="关于3月份明查暗访情况的通报",
        body=circular.body + "\n请各单位于3月31日前报送自查情况。",
        copy_to="市委办公室，市政府办公室。",
    )
    with pytest.raises(ValidationError) as exc:
        services.circular_update(actor=insp.office, circular=circular, title="  ")
    assert exc.value.message_dict["title"] == ["请填写标题。"]
    # only the office head publishes
    assert client_for(insp.office).post(f"/inspections/circulars/{circular.pk}/publish/").status_code == 403
    circular.refresh_from_db()
    assert circular.status == CircularStatus.DRAFT
    services.circular_publish(actor=insp.world.office_head, circular=circular)
    circular.refresh_from_db()
    assert circular.status == CircularStatus.PUBLISHED and circular.published_by == insp.world.office_head
    with circular.docx.open("rb") as handle:
        docx_bytes = handle.read()
    with circular.pdf.open("rb") as handle:
        pdf_bytes = handle.read()
    assert hashlib.sha256(docx_bytes).hexdigest() == circular.docx_sha256
    assert hashlib.sha256(pdf_bytes).hexdigest() == circular.pdf_sha256
    text = text_of_docx(docx_bytes)
    assert "临效办通〔2026〕3号" in text and "关于3月份明查暗访情况的通报" in text and "请各单位于3月31日前报送自查情况。" in text
    assert "抄送：市委办公室，市政府办公室。" in text
    assert "临效办通〔2026〕3号" in text_of_pdf(pdf_bytes)
    # the download is the stored file, byte for byte
    assert client_for(insp.world.liaison_b).get(f"/inspections/circulars/{circular.pk}/download/docx/").getvalue() == docx_bytes
    with pytest.raises(ValidationError) as exc:
        services.circular_update(actor=insp.office, circular=circular, title="改标题")
    assert exc.value.messages == ["已印发的通报不能修改。"]
    with pytest.raises(ValidationError):
        services.circular_publish(actor=insp.world.office_head, circular=circular)
    circular.title = "改标题"
    with pytest.raises(ImmutableError):
        circular.save()
    with pytest.raises(ImmutableError):
        Circular.objects.filter(pk=circular.pk).update(title="改标题")
    with pytest.raises(ImmutableError):
        circular.delete()
    out = StringIO()
    call_command("evidence_verify", stdout=out)
    assert "共核验 3 个文件" in out.getvalue()  # the photo and the two files of the circular
    # the next one continues the office's own numbering
    second = services.circular_create(actor=insp.office, findings=[verified])
    assert second.number == "临效办通〔2026〕4号"
    services.circular_update(actor=insp.office, circular=second, number="临效办通〔2026〕3号")
    with pytest.raises(ValidationError) as exc:
        services.circular_publish(actor=insp.world.office_head, circular=second)
    assert exc.value.message_dict["number"] == ["文号“临效办通〔2026〕3号”已被另一份已印发的通报使用。"]


def test_drafts_are_the_offices_and_published_circulars_go_to_every_unit(insp, verified):
    world = insp.world
    circular = services.circular_create(actor=insp.office, findings=[verified])
    url = f"/inspections/circulars/{circular.pk}/"
    assert status_by_persona(world, "get", url) == {
        "office": 200,
        "office_head": 200,
        "supervisor": 403,
        "liaison_a": 404,
        "head_a": 404,
        "liaison_b": 404,
        "viewer": 404,
        "rater": 403,
        "admin": 403,
    }
    services.circular_publish(actor=world.office_head, circular=circular)
    assert status_by_persona(world, "get", url, personas=("liaison_a", "liaison_b", "viewer", "supervisor")) == {
        "liaison_a": 200,
        "liaison_b": 200,
        "viewer": 200,
        "supervisor": 403,
    }


def test_the_circular_form_keeps_what_was_typed_on_error(insp, verified):
    circular = services.circular_create(actor=insp.office, findings=[verified])
    data = {
        "number": "",
        "title": "新标题",
        "issuer": "x",
        "addressee": "各单位：",
        "body": "正文",
        "issue_date": "2026-03-03",
        "copy_to": "",
    }
    response = client_for(insp.office).post(f"/inspections/circulars/{circular.pk}/", data)
    assert response.status_code == 400 and "新标题" in response.content.decode()
    circular.refresh_from_db()
    assert circular.title != "新标题"
