"""The pages: what they show, and bad input refused with a clear message beside the field,
what was typed kept, nothing changed."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from accountability.models import Apology, Charge, Decision, Incident, Proposal
from accountability.tests.helpers import at, decide, png, valid_complaint
from core.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(acc: Any) -> Proposal:
    valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    return Proposal.objects.get(kind="sanction")


def test_the_queue_opens_on_what_waits_and_filters_in_place(acc: Any, proposal: Proposal) -> None:
    client = client_for(acc.head)
    assert client.get("/accountability/")["Location"] == "/accountability/?status=pending"
    page = client.get("/accountability/?status=pending").content.decode()
    assert proposal.reference in page and "李明" in page and "2026年度第1件有效投诉" in page
    partial = client.get("/accountability/?status=decided", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results").content.decode()
    assert "<html" not in partial and "没有符合条件的问责建议" in partial
    assert proposal.reference in client.get(f"/accountability/?q={proposal.reference}").content.decode()


def test_the_proposal_page_shows_the_basis_the_evidence_and_the_form_to_the_head_only(acc: Any, proposal: Proposal) -> None:
    page = client_for(acc.head).get(f"/accountability/proposals/{proposal.pk}/").content.decode()
    assert 'data-testid="basis"' in page and "首办（首问）责任追究阶梯" in page
    assert f'href="/cases/{proposal.trigger.case_id}/"' in page  # the evidence links to the complaint
    assert 'data-testid="counts">2026年度第1件有效投诉<' in page and "第1版" in page
    assert 'data-action="decide"' in page and "accountability/decide.js" in page
    assert 'data-action="decide"' not in client_for(acc.office).get(f"/accountability/proposals/{proposal.pk}/").content.decode()


def test_a_change_without_a_reason_is_refused_beside_the_field_and_nothing_changes(acc: Any, proposal: Proposal) -> None:
    url = f"/accountability/proposals/{proposal.pk}/decide/"
    response = client_for(acc.head).post(url, {"outcome": "changed", "reason": "", "measures": ["efficiency_warning"]})
    page = response.content.decode()
    assert response.status_code == 400 and "调整或不予采纳，须写明理由。" in page
    # what was chosen is kept
    assert re.search(r'<input type="radio" name="outcome" value="changed"[^>]*checked>', page)
    assert re.search(r'<input type="checkbox" name="measures" value="efficiency_warning"[^>]*checked>', page)
    assert not re.search(r'<input type="checkbox" name="measures" value="admonition_talk"[^>]*checked>', page)
    proposal.refresh_from_db()
    assert proposal.status == "pending" and not Decision.objects.exists()


def test_a_second_click_does_not_decide_twice(acc: Any, proposal: Proposal) -> None:
    url = f"/accountability/proposals/{proposal.pk}/decide/"
    client = client_for(acc.head)
    assert client.post(url, {"outcome": "accepted"}).status_code == 302
    again = client.post(url, {"outcome": "rejected", "reason": "点了两次"})
    assert again.status_code == 400 and "该建议已作出决定，不能重复决定。" in again.content.decode().split('data-testid="action-errors"')[1]
    assert Decision.objects.get().outcome == "accepted"
    page = client.get(f"/accountability/proposals/{proposal.pk}/").content.decode()
    assert 'data-testid="decision"' in page and "WZ" in page and 'data-action="decide"' not in page


def test_a_term_ending_before_it_starts_is_refused_on_the_page(acc: Any) -> None:
    from accountability.tests.test_apologies import verified_finding

    verified_finding(acc, staff=acc.clerk)
    finding_proposal = Proposal.objects.get(kind="sanction")
    response = client_for(acc.head).post(
        f"/accountability/proposals/{finding_proposal.pk}/decide/",
        {
            "outcome": "changed",
            "reason": "严重违反效能纪律",
            "measures": ["grassroots_reassignment"],
            "staff": acc.clerk.pk,
            "term_start": "2026-07-10",
            "term_end": "2026-07-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "期限止须晚于期限起。" in page and 'value="2026-07-10"' in page
    assert "按严重问题处理" in page  # the policy's serious-finding measures are offered
    assert not Decision.objects.exists()


def test_the_unit_records_its_apology_on_the_page(acc: Any, proposal: Proposal) -> None:
    decide(acc, Proposal.objects.get(kind="apology"))
    apology = Apology.objects.get()
    client = client_for(acc.world.head_a)
    page = client.get(f"/accountability/apologies/{apology.pk}/").content.decode()
    assert 'data-action="record"' in page and "甲局长" in page and "当面道歉" in page and "报刊" not in page
    missing = client.post(
        f"/accountability/apologies/{apology.pk}/record/", {"done_on": "2026-03-02", "channel": "phone", "note": "已电话致歉"}
    )
    text = missing.content.decode()
    assert missing.status_code == 400 and "请上传证明材料" in text and "已电话致歉" in text
    done = client.post(
        f"/accountability/apologies/{apology.pk}/record/",
        {"done_on": "2026-03-02", "channel": "phone", "note": "已电话致歉", "proof": png("通话记录.png")},
    )
    assert done.status_code == 302
    apology.refresh_from_db()
    assert apology.status == "done"
    proof = client.get(f"/accountability/apologies/{apology.pk}/proof/")
    assert proof.status_code == 200 and proof["Content-Type"] == "image/png"
    assert client_for(acc.world.liaison_b).get(f"/accountability/apologies/{apology.pk}/proof/").status_code == 404


def test_recording_an_incident_on_the_page(acc: Any) -> None:
    client = client_for(acc.office)
    bad = client.post(
        "/accountability/incidents/new/",
        {"kind": "media_exposure", "occurred_on": "2026-03-01", "title": "电视曝光", "source": "临江电视台"},
    )
    assert bad.status_code == 400 and "请选择涉及的单位。" in bad.content.decode() and "临江电视台" in bad.content.decode()
    assert not Incident.objects.exists()
    ok = client.post(
        "/accountability/incidents/new/",
        {"kind": "media_exposure", "occurred_on": "2026-03-01", "title": "电视曝光", "units": [acc.world.unit_a.pk, acc.world.unit_b.pk]},
    )
    incident = Incident.objects.get()
    assert ok["Location"] == f"/accountability/incidents/{incident.pk}/"
    page = client.get(ok["Location"]).content.decode()
    assert "共同公开道歉" in page and incident.reference in page
    assert incident.reference in client.get("/accountability/charges/?source=media_exposure").content.decode()


def test_the_persons_record_shows_what_is_charged_and_the_counts_used(acc: Any, proposal: Proposal) -> None:
    decide(acc, proposal)
    page = client_for(acc.world.head_a).get(f"/accountability/people/{acc.clerk.pk}/").content.decode()
    assert 'data-testid="year-count">1<' in page and "诫勉谈话" in page and "年度考核不得评优" in page
    assert "2026年度第1件有效投诉" in page and Charge.objects.get().reference in page
    assert 'data-testid="sanction-basis">2026年度第1件有效投诉' in page  # each measure with its basis
    assert "不得评优" in page.split('data-testid="consequences"')[1]
    assert "问责建议" not in page.split('data-testid="person-charges"')[1]  # the deliberation is the office's


def test_the_figures_export_opens_as_a_workbook(acc: Any, proposal: Proposal) -> None:
    decide(acc, proposal)
    response = client_for(acc.world.viewer).get("/accountability/figures/export/?year=2026")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["概况", "问责措施", "一把手道歉", "按单位"]
    overview = {row[0]: row[1] for row in workbook["概况"].iter_rows(min_row=2, values_only=True)}
    assert overview["考核年度"] == 2026 and overview["首问责任追究阶梯第1档（年度第1件）"] == 1 and overview["被问责人数"] == 1
    measures = {row[0]: row[1] for row in workbook["问责措施"].iter_rows(min_row=2, values_only=True)}
    assert measures == {"诫勉谈话": 1, "年度考核不得评优": 1}
    assert acc.clerk.name not in str(list(workbook["按单位"].values))


def test_the_office_heads_home_lists_the_proposals_waiting(acc: Any, proposal: Proposal) -> None:
    home = client_for(acc.head).get("/").content.decode()
    panel = home.split('data-testid="accountability-office-panel"', 1)[1].split("</section>", 1)[0]
    assert 'data-testid="acc-pending">2<' in panel and proposal.reference in panel
    assert 'data-testid="accountability-office-panel"' not in client_for(acc.world.head_a).get("/").content.decode()
    person = client_for(acc.world.liaison_a).get("/").content.decode()  # the liaison is 李明
    assert 'data-testid="accountability-person-panel"' in person
