"""Pages: who may open each (allowed / 403 for the wrong role / 404 or nothing for another
unit), what unit users see (published results of their own targets, never who rated),
the public answering pages, and the files the pages hand out (opened back here)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.testing import client_for, status_by_persona
from evaluations import services
from evaluations.choices import CampaignStatus, ResponseStatus
from evaluations.models import Response, ServiceRating
from evaluations.public import DEVICE_COOKIE, public_rating_url, target_url
from evaluations.tests import helpers

pytestmark = pytest.mark.django_db

OFFICE_ONLY = {
    "office": 200,
    "office_head": 200,
    "supervisor": 403,
    "liaison_a": 403,
    "head_a": 403,
    "liaison_b": 403,
    "rater": 403,
    "admin": 403,
}


@pytest.fixture
def published(world: Any) -> Any:
    """A published window campaign rating unit A's window and one window of unit B."""
    (window_b,) = helpers.extra_windows(world, 1)
    c = helpers.campaign(world, units=[world.window_a, window_b])
    a, b = c.targets.all()
    for score in (100, 100, 80):
        helpers.answer(c, a, score)
    helpers.answer(c, b, 60)
    services.campaign_close(actor=world.office, campaign=c)
    services.campaign_confirm(actor=world.office_head, campaign=c)
    services.campaign_publish(actor=world.office_head, campaign=c)
    return c


def test_campaign_pages_access(world: Any, published: Any) -> None:
    pk = published.pk
    assert status_by_persona(world, "get", reverse("evaluations:campaigns")) == {
        **OFFICE_ONLY,
        "liaison_a": 200,
        "head_a": 200,
        "liaison_b": 200,
        "viewer": 200,
    }
    assert status_by_persona(world, "get", reverse("evaluations:campaign", args=[pk])) == {
        **OFFICE_ONLY,
        "liaison_a": 200,
        "head_a": 200,
        "liaison_b": 200,
        "viewer": 200,
    }
    assert status_by_persona(world, "get", reverse("evaluations:campaign_create")) == {**OFFICE_ONLY, "viewer": 403}
    assert status_by_persona(world, "get", reverse("evaluations:responses", args=[pk])) == {**OFFICE_ONLY, "viewer": 200}
    assert status_by_persona(world, "get", reverse("evaluations:questionnaires")) == {**OFFICE_ONLY, "viewer": 200}
    assert status_by_persona(world, "get", reverse("evaluations:samples", args=[pk])) == {**OFFICE_ONLY, "viewer": 403}
    assert status_by_persona(world, "get", reverse("evaluations:campaign_posters", args=[pk])) == {**OFFICE_ONLY, "viewer": 403}


def test_unit_users_see_only_their_own_published_results_and_no_rater(world: Any, published: Any) -> None:
    url = reverse("evaluations:results", args=[published.pk])
    page = client_for(world.liaison_a).get(url).content.decode()
    assert "甲局窗口" in page and "窗口1" not in page
    assert reverse("evaluations:responses", args=[published.pk]) not in page  # no way to the answers
    other = client_for(world.liaison_b).get(url).content.decode()
    assert "窗口1" in other and "甲局窗口" not in other
    assert client_for(world.liaison_a).get(reverse("evaluations:response", args=[Response.objects.first().pk])).status_code == 403


def test_unit_users_do_not_see_unpublished_campaigns(world: Any) -> None:
    c = helpers.campaign(world)
    helpers.answer(c, c.targets.get(), 100)
    services.campaign_compute(actor=world.office, campaign=c)
    assert client_for(world.liaison_a).get(reverse("evaluations:results", args=[c.pk])).status_code == 404
    assert client_for(world.liaison_a).get(reverse("evaluations:campaign", args=[c.pk])).status_code == 404
    assert c.name not in client_for(world.liaison_a).get(reverse("evaluations:campaigns")).content.decode()
    assert client_for(world.viewer).get(reverse("evaluations:results", args=[c.pk])).status_code == 200


def test_only_the_office_head_confirms(world: Any) -> None:
    c = helpers.campaign(world)
    services.campaign_close(actor=world.office, campaign=c)
    url = reverse("evaluations:campaign_action", args=[c.pk, "confirm"])
    assert client_for(world.office).post(url).status_code == 403
    assert client_for(world.liaison_a).post(url).status_code == 403
    assert client_for(world.office_head).post(url).status_code == 302
    c.refresh_from_db()
    assert c.status == CampaignStatus.CONFIRMED


def test_office_creates_a_campaign_with_targets_and_groups(world: Any) -> None:
    q = helpers.questionnaire(world.office)
    client = client_for(world.office)
    response = client.post(
        reverse("evaluations:campaign_create"),
        {
            "name": "2025年万人评机关",
            "kind": "departments",
            "year": 2025,
            "start": "2025-01-01",
            "end": "2025-12-31",
            "questionnaire": q.pk,
            "weighted": "on",
            "channels": ["link"],
            "sample_per_unit": 10,
        },
    )
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert client.post(reverse("evaluations:campaign_targets", args=[pk]), {"units": [world.unit_a.pk, world.unit_b.pk]}).status_code == 302
    client.post(reverse("evaluations:campaign_group", args=[pk]), {"code": "deputies", "name": "人大代表", "weight": "2"})
    page = client.get(reverse("evaluations:campaign", args=[pk])).content.decode()
    assert "人大代表" in page and "甲局" in page
    bad = client.post(reverse("evaluations:campaign_targets", args=[pk]), {"units": [world.window_a.pk]})
    assert bad.status_code == 400


def test_questionnaire_builder_page_and_freeze(world: Any) -> None:
    client = client_for(world.office)
    data = {
        "title": "窗口满意度",
        "intro": "",
        "q-TOTAL_FORMS": 3,
        "q-INITIAL_FORMS": 0,
        "q-0-kind": "satisfaction",
        "q-0-text": "总体满意度",
        "q-0-required": "on",
        "q-1-kind": "single",
        "q-1-text": "办事次数",
        "q-1-options": "一次\n多次",
        "q-2-kind": "text",
        "q-2-text": "",
    }
    response = client.post(reverse("evaluations:questionnaire_create"), data)
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    client.post(reverse("evaluations:questionnaire", args=[pk]), {"action": "publish"})
    edit = client.get(reverse("evaluations:questionnaire_edit", args=[pk]))
    assert edit.status_code == 403 and "已发布的问卷不能修改" in edit.content.decode()
    refused = client.post(reverse("evaluations:questionnaire_edit", args=[pk]), {**data, "title": "改"})
    assert refused.status_code == 400 and "已发布的问卷不能修改" in refused.content.decode()
    assert client_for(world.liaison_a).get(reverse("evaluations:questionnaire_create")).status_code == 403


def test_flagged_answer_is_reviewed_on_its_page(world: Any) -> None:
    c = helpers.campaign(world)
    flagged = Response.objects.get(pk=helpers.answer(c, c.targets.get(), 100).pk)
    Response.objects.filter(pk=flagged.pk).update(status=ResponseStatus.FLAGGED, flags=["fast"])
    url = reverse("evaluations:response", args=[flagged.pk])
    assert client_for(world.viewer).post(url, {"accept": "1"}).status_code == 403
    missing = client_for(world.office).post(url, {"accept": "0", "note": ""})
    assert missing.status_code == 400 and "理由" in missing.content.decode()
    assert client_for(world.office).post(url, {"accept": "1", "note": "真实"}).status_code == 302
    flagged.refresh_from_db()
    assert flagged.status == ResponseStatus.ACCEPTED


def test_paper_entry(world: Any) -> None:
    c = helpers.campaign(world, extra=True)
    target = c.targets.get()
    q1, q2, _q3, _q4 = c.questionnaire.questions.all()
    url = reverse("evaluations:paper", args=[c.pk])
    refused = client_for(world.office).post(url, {"target": target.pk, f"q{q1.pk}": "satisfied"})
    assert refused.status_code == 400 and "第2题为必答题" in refused.content.decode()
    assert client_for(world.office).post(url, {"target": target.pk, f"q{q1.pk}": "satisfied", f"q{q2.pk}": "一次办成"}).status_code == 302
    assert Response.objects.get().channel == "paper"
    assert client_for(world.liaison_a).get(url).status_code == 403


# --- the public pages --------------------------------------------------------------------------
def test_scan_to_rate_answer_and_second_answer_refused_politely(world: Any) -> None:
    c = helpers.campaign(world)
    target = c.targets.get()
    question = c.questionnaire.questions.get()
    public = Client()
    page = public.get(target_url(target))
    assert page.status_code == 200 and "甲局窗口" in page.content.decode()
    assert DEVICE_COOKIE in page.cookies
    started = page.context["started"]
    done = public.post(target_url(target), {f"q{question.pk}": "very_satisfied", "started": started})
    assert done.status_code == 302 and done["Location"] == reverse("evaluations_public:thanks")
    response = Response.objects.get()
    assert response.channel == "qr" and response.flags == ["fast"]  # answered within a second in the test
    again = public.get(target_url(target))
    assert "您已评价过" in again.content.decode()
    refused = public.post(target_url(target), {f"q{question.pk}": "dissatisfied", "started": started})
    assert refused.status_code == 409 and "已经评价过" in refused.content.decode()
    assert Response.objects.count() == 1


def test_public_page_refuses_bad_input_and_keeps_the_answers(world: Any) -> None:
    c = helpers.campaign(world, extra=True)
    target = c.targets.get()
    q1, _q2, _q3, q4 = c.questionnaire.questions.all()
    response = Client().post(target_url(target), {f"q{q1.pk}": "satisfied", f"q{q4.pk}": "排队太久"})
    body = response.content.decode()
    assert response.status_code == 400 and "第2题为必答题" in body
    assert "排队太久" in body and 'value="satisfied" autocomplete="off" checked' in body
    assert not Response.objects.exists()


def test_tampered_token_and_closed_campaign(world: Any) -> None:
    c = helpers.campaign(world)
    target = c.targets.get()
    tampered = Client().get(target_url(target).replace(target.token, target.token[:-2] + "xx"))
    assert tampered.status_code == 404 and "二维码或链接无效" in tampered.content.decode()
    services.campaign_close(actor=world.office, campaign=c)
    closed = Client().post(target_url(target), {"x": "1"})
    assert closed.status_code == 410 and "已结束" in closed.content.decode()
    assert not Response.objects.exists()


def test_invitation_pages_refuse_a_target_of_another_campaign(world: Any) -> None:
    c = helpers.campaign(world, kind="departments", units=[world.unit_a])
    other = helpers.campaign(world, kind="departments", units=[world.unit_b])
    invitation = services.invitation_create(actor=world.office, campaign=c, group=c.groups.get(), name="王代表")
    listing = Client().get(reverse("evaluations_public:invitation", args=[invitation.token]))
    assert listing.status_code == 200 and "甲局" in listing.content.decode()
    foreign = Client().get(reverse("evaluations_public:invitation_target", args=[invitation.token, other.targets.get().pk]))
    assert foreign.status_code == 404
    target = c.targets.get()
    url = reverse("evaluations_public:invitation_target", args=[invitation.token, target.pk])
    question = c.questionnaire.questions.get()
    assert Client().post(url, {f"q{question.pk}": "satisfied"}).status_code == 302
    assert Response.objects.get().invitation == invitation
    assert "您已评价过" in Client().get(url).content.decode()


def test_service_rating_page(world: Any) -> None:
    url = public_rating_url(world.window_a)
    client = Client()
    assert "甲局窗口" in client.get(url).content.decode()
    refused = client.post(url, {"level": "", "comment": "慢"})
    assert refused.status_code == 400 and "请选择一个评价等级" in refused.content.decode() and "慢" in refused.content.decode()
    done = client.post(url, {"level": "dissatisfied", "comment": "排队太久", "contact_phone": "13800138000"})
    assert done.status_code == 200 and "工作人员将回访" in done.content.decode()
    assert ServiceRating.objects.get().status == "callback"
    signed = url.rstrip("/").rsplit("/", 1)[-1]
    forged = url.replace(signed, str(world.unit_b.pk) + "." + signed.split(".", 1)[1])
    assert client.get(forged).status_code == 404


def test_rating_pages_scope_and_rater_details(world: Any) -> None:
    rating = services.rating_submit(
        unit=world.window_a, level="dissatisfied", contact_name="赵先生", contact_phone="13800138000", device="z" * 30
    )
    url = reverse("evaluations:rating", args=[rating.pk])
    assert status_by_persona(world, "get", url) == {**OFFICE_ONLY, "liaison_a": 200, "head_a": 200, "liaison_b": 404, "viewer": 200}
    unit_page = client_for(world.liaison_a).get(url).content.decode()
    assert "赵先生" not in unit_page and "8000" not in unit_page
    office_page = client_for(world.office).get(url).content.decode()
    assert "138****8000" in office_page
    listing = client_for(world.liaison_b).get(reverse("evaluations:ratings")).content.decode()
    assert f"#{rating.pk}<" not in listing
    assert client_for(world.liaison_a).post(reverse("evaluations:rating_contact", args=[rating.pk])).status_code == 403
    assert client_for(world.office).post(reverse("evaluations:rating_contact", args=[rating.pk])).content.decode().count("13800138000") == 1


def test_unit_handles_a_verified_rating_on_its_page(world: Any) -> None:
    rating = services.rating_submit(unit=world.window_a, level="dissatisfied", contact_phone="13800138000")
    office = client_for(world.office)
    assert (
        office.post(reverse("evaluations:rating", args=[rating.pk]), {"step": "callback", "verified": "1", "note": "属实"}).status_code
        == 302
    )
    assert (
        client_for(world.liaison_b)
        .post(reverse("evaluations:rating", args=[rating.pk]), {"step": "resolve", "resolution": "fixed_now", "note": "x"})
        .status_code
        == 404
    )
    liaison = client_for(world.liaison_a)
    page = liaison.get(reverse("evaluations:rating", args=[rating.pk])).content.decode()
    assert 'data-step="resolve"' in page and 'data-step="callback"' not in page
    assert (
        liaison.post(reverse("evaluations:rating", args=[rating.pk]), {"step": "callback", "verified": "0", "note": "x"}).status_code == 403
    )
    assert (
        liaison.post(
            reverse("evaluations:rating", args=[rating.pk]), {"step": "resolve", "resolution": "fixed_now", "note": "已当场致歉并办结"}
        ).status_code
        == 302
    )
    rating.refresh_from_db()
    assert rating.status == "awaiting_rating"


# --- files ----------------------------------------------------------------------------------------
def test_results_export_xlsx_and_docx_open_back(world: Any, published: Any) -> None:
    from docx import Document
    from openpyxl import load_workbook

    client = client_for(world.office)
    xlsx = client.get(reverse("evaluations:results_export", args=[published.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["结果"].iter_rows(values_only=True))
    assert rows[0][:5] == ("名次", "评议对象", "单位编码", "有效答卷", "得分")
    assert rows[1][1] == "甲局窗口" and rows[1][3] == 3 and rows[1][4] == pytest.approx(93.33)
    assert len(list(book["答卷"].iter_rows())) == 1 + 4
    docx = client.get(reverse("evaluations:results_export", args=[published.pk, "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "结果报告" in text and "有效答卷 4 份" in text
    assert client_for(world.liaison_a).get(reverse("evaluations:results_export", args=[published.pk, "xlsx"])).status_code == 403


def test_qr_posters_pdf_holds_each_targets_address(world: Any) -> None:
    from pypdf import PdfReader

    windows = helpers.extra_windows(world, 2)
    c = helpers.campaign(world, units=[world.window_a, *windows])
    response = client_for(world.office).get(reverse("evaluations:campaign_posters", args=[c.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 3
    for page, target in zip(reader.pages, c.targets.all(), strict=True):
        assert target_url(target) in page.extract_text()
        links = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]
        assert any(link.endswith(target_url(target)) for link in links)
    ratings = client_for(world.office).get(reverse("evaluations:rating_posters"))
    assert public_rating_url(world.window_a) in PdfReader(io.BytesIO(ratings.content)).pages[0].extract_text()


def test_invitation_links_are_shown_to_the_office_only(world: Any) -> None:
    c = helpers.campaign(world, kind="departments", units=[world.unit_a])
    invitation = services.invitation_create(actor=world.office, campaign=c, group=c.groups.get(), name="王代表")
    url = reverse("evaluations:campaign", args=[c.pk])
    assert invitation.token in client_for(world.office).get(url).content.decode()
    assert invitation.token not in client_for(world.viewer).get(url).content.decode()


def test_home_panels_and_the_raters_invitations(world: Any) -> None:
    rating = services.rating_submit(unit=world.window_a, level="dissatisfied", contact_phone="13800138000")
    services.rating_callback(actor=world.office, rating=rating, verified=True, note="属实")
    office_home = client_for(world.office).get("/").content.decode()
    assert 'data-panel="evaluations_office"' in office_home
    liaison_home = client_for(world.liaison_a).get("/").content.decode()
    assert 'data-panel="evaluations_unit"' in liaison_home and "差评待处理" in liaison_home
    c = helpers.campaign(world, kind="departments", units=[world.unit_a])
    services.invitation_create(actor=world.office, campaign=c, group=c.groups.get(), name="梁代表", user=world.rater)
    page = client_for(world.rater).get(reverse("evaluations:my_invitations"))
    assert page.status_code == 200 and c.name in page.content.decode()
    assert client_for(world.office).get(reverse("evaluations:my_invitations")).status_code == 403
