"""Who may open every page and use every action: the allowed roles, a refused role (403)
and a user of another unit (404, or an empty list — never the data). Personas: the
world's, plus liaison A's account linked to the clerk 李明 ("the person")."""

from __future__ import annotations

from typing import Any

import pytest

from accountability.models import Apology, Proposal, Sanction
from accountability.tests.helpers import at, decide, valid_complaint
from core.testing import client_for, status_by_persona

pytestmark = pytest.mark.django_db

OFFICE = ("office", "office_head")
NOTHING = ("supervisor", "rater", "admin")  # see nothing of accountability


def _expect(result: dict[str, int], allowed: tuple[str, ...], refused: tuple[str, ...] = (), hidden: tuple[str, ...] = ()) -> None:
    for name in allowed:
        assert result[name] == 200, (name, result)
    for name in refused:
        assert result[name] == 403, (name, result)
    for name in hidden:
        assert result[name] == 404, (name, result)


@pytest.fixture
def decided(acc: Any) -> dict[str, Any]:
    """李明 (window of A) with a decided step-1 sanction and the head of A's direct apology."""
    case = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    sanction_proposal = Proposal.objects.get(kind="sanction", trigger__case=case)
    apology_proposal = Proposal.objects.get(kind="apology", trigger__case=case)
    decide(acc, sanction_proposal)
    decide(acc, apology_proposal)
    return {
        "case": case,
        "proposal": sanction_proposal,
        "sanction": Sanction.objects.filter(staff=acc.clerk).first(),
        "apology": Apology.objects.get(),
    }


@pytest.mark.parametrize(
    ("url", "allowed", "refused"),
    [
        ("/accountability/?status=pending", OFFICE, ("liaison_a", "head_a", "liaison_b", "viewer", *NOTHING)),
        ("/accountability/sanctions/", (*OFFICE, "liaison_a", "head_a", "liaison_b"), ("viewer", *NOTHING)),
        ("/accountability/apologies/", (*OFFICE, "liaison_a", "head_a", "liaison_b"), ("viewer", *NOTHING)),
        ("/accountability/charges/", OFFICE, ("liaison_a", "head_a", "liaison_b", "viewer", *NOTHING)),
        ("/accountability/incidents/new/", OFFICE, ("liaison_a", "head_a", "liaison_b", "viewer", *NOTHING)),
        ("/accountability/units/", (*OFFICE, "liaison_a", "head_a", "liaison_b"), ("viewer", *NOTHING)),
        ("/accountability/figures/", (*OFFICE, "viewer"), ("liaison_a", "head_a", "liaison_b", *NOTHING)),
        ("/accountability/figures/export/", (*OFFICE, "viewer"), ("liaison_a", "head_a", "liaison_b", *NOTHING)),
    ],
)
def test_pages(acc: Any, url: str, allowed: tuple[str, ...], refused: tuple[str, ...]) -> None:
    _expect(status_by_persona(acc.world, "get", url), allowed, refused)


def test_anonymous_visitors_are_sent_to_log_in(acc: Any) -> None:
    response = client_for(None).get("/accountability/sanctions/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_proposal_is_the_offices_alone(acc: Any, decided: dict[str, Any]) -> None:
    url = f"/accountability/proposals/{decided['proposal'].pk}/"
    _expect(status_by_persona(acc.world, "get", url), OFFICE, ("liaison_a", "head_a", "liaison_b", "viewer", *NOTHING))


def test_a_sanction_and_an_apology_are_seen_by_their_unit_and_the_office_only(acc: Any, decided: dict[str, Any]) -> None:
    for obj, path in ((decided["sanction"], "sanctions"), (decided["apology"], "apologies")):
        result = status_by_persona(acc.world, "get", f"/accountability/{path}/{obj.pk}/")
        _expect(result, (*OFFICE, "liaison_a", "head_a"), ("viewer", *NOTHING), ("liaison_b",))
    listing = client_for(acc.world.liaison_b).get("/accountability/sanctions/").content.decode()
    assert decided["sanction"].reference not in listing and "没有符合条件的问责记录" in listing
    assert decided["sanction"].reference in client_for(acc.world.head_a).get("/accountability/sanctions/").content.decode()
    listing = client_for(acc.world.liaison_b).get("/accountability/apologies/").content.decode()
    assert decided["apology"].reference not in listing
    proof = status_by_persona(acc.world, "get", f"/accountability/apologies/{decided['apology'].pk}/proof/")
    # no proof yet: 404 for everyone who may see it, 403 for roles that may not
    _expect(proof, (), ("viewer", *NOTHING), (*OFFICE, "liaison_a", "head_a", "liaison_b"))


def test_a_persons_record_is_seen_by_the_office_their_unit_head_and_themself(acc: Any, decided: dict[str, Any]) -> None:
    # liaison A's account is linked to 李明: the person sees their own record and no one else's
    mine = status_by_persona(acc.world, "get", f"/accountability/people/{acc.clerk.pk}/")
    _expect(mine, (*OFFICE, "head_a", "liaison_a"), ("viewer", *NOTHING), ("liaison_b",))
    colleague = status_by_persona(acc.world, "get", f"/accountability/people/{acc.clerk2.pk}/")
    _expect(colleague, (*OFFICE, "head_a"), ("viewer", *NOTHING), ("liaison_a", "liaison_b"))
    page = client_for(acc.world.liaison_a).get(f"/accountability/people/{acc.clerk.pk}/").content.decode()
    assert "诫勉谈话" in page and 'data-testid="year-count">1<' in page
    assert client_for(acc.world.liaison_a).get("/accountability/me/")["Location"] == f"/accountability/people/{acc.clerk.pk}/"
    assert client_for(acc.world.head_a).get("/accountability/me/").status_code == 404  # not linked to a staff member


def test_a_units_page_is_its_own(acc: Any, decided: dict[str, Any]) -> None:
    result = status_by_persona(acc.world, "get", f"/accountability/units/{acc.world.unit_a.pk}/")
    _expect(result, (*OFFICE, "liaison_a", "head_a"), ("viewer", *NOTHING), ("liaison_b",))
    page = client_for(acc.world.liaison_a).get(f"/accountability/units/{acc.world.unit_a.pk}/?year=2026").content.decode()
    assert decided["apology"].reference in page and decided["sanction"].reference in page
    other = client_for(acc.world.liaison_b).get("/accountability/units/?year=2026").content.decode()
    assert acc.world.unit_a.name not in other
    assert acc.world.unit_a.name in client_for(acc.world.office).get("/accountability/units/?year=2026").content.decode()


def test_figures_name_no_person(acc: Any, decided: dict[str, Any]) -> None:
    page = client_for(acc.world.viewer).get("/accountability/figures/?year=2026").content.decode()
    assert "诫勉谈话" in page and acc.world.unit_a.name in page and acc.clerk.name not in page


@pytest.mark.parametrize(
    ("action", "data", "allowed"),
    [
        ("decide", {"outcome": "rejected", "reason": "不予采纳的理由"}, ("office_head",)),
    ],
)
def test_only_the_office_head_decides(acc: Any, action: str, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    proposal = Proposal.objects.filter(kind="sanction").get()
    others = tuple(name for name in acc.world.PERSONAS if name not in allowed)
    result = status_by_persona(acc.world, "post", f"/accountability/proposals/{proposal.pk}/{action}/", data, personas=others)
    assert all(code == 403 for code in result.values()), result
    proposal.refresh_from_db()
    assert proposal.status == "pending"  # refused, nothing changed
    response = client_for(acc.world.office_head).post(f"/accountability/proposals/{proposal.pk}/{action}/", data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "decided"


def test_units_record_their_own_follow_through_only(acc: Any, decided: dict[str, Any]) -> None:
    sanction = decided["sanction"]
    url = f"/accountability/sanctions/{sanction.pk}/execute/"
    result = status_by_persona(acc.world, "post", url, {"executed_on": "2026-03-03"}, personas=("viewer", *NOTHING, "liaison_b"))
    assert result == {"viewer": 403, "supervisor": 403, "rater": 403, "admin": 403, "liaison_b": 404}
    sanction.refresh_from_db()
    assert sanction.executed_on is None
    apology = decided["apology"]
    result = status_by_persona(acc.world, "post", f"/accountability/apologies/{apology.pk}/record/", {}, personas=("viewer", "liaison_b"))
    assert result == {"viewer": 403, "liaison_b": 404}


def test_incidents_are_the_offices(acc: Any) -> None:
    from datetime import date

    from accountability import services

    incident = services.incident_record(
        actor=acc.office, kind="media_exposure", occurred_on=date(2026, 3, 2), title="曝光", units=[acc.world.unit_a]
    )
    url = f"/accountability/incidents/{incident.pk}/"
    _expect(status_by_persona(acc.world, "get", url), OFFICE, ("liaison_a", "head_a", "liaison_b", "viewer", *NOTHING))
    withdraw = status_by_persona(
        acc.world, "post", f"{url}withdraw/", {"reason": "登记有误"}, personas=("liaison_a", "head_a", "viewer", *NOTHING)
    )
    assert set(withdraw.values()) == {403}
    incident.charges.get().refresh_from_db()
    assert incident.charges.get().status == "active"  # refused, nothing changed
    response = client_for(acc.world.office).post(f"{url}withdraw/", {"reason": "登记有误"})
    assert response.status_code == 302 and incident.charges.get().status == "withdrawn"


def test_only_the_office_head_reviews(acc: Any) -> None:
    from accountability.tests.helpers import withdraw_complaint

    case = valid_complaint(acc, acc.clerk, at(2026, 3, 2))
    proposal = Proposal.objects.get(kind="sanction")
    decision = decide(acc, proposal)
    url = f"/accountability/proposals/{proposal.pk}/review/"
    # nothing to review yet: the office head is told why, nothing changes
    response = client_for(acc.world.office_head).post(url, {"decision": "keep", "note": "维持"})
    assert response.status_code == 400 and "没有待复核的事项" in response.content.decode()
    withdraw_complaint(acc, case)
    others = tuple(name for name in acc.world.PERSONAS if name != "office_head")
    result = status_by_persona(acc.world, "post", url, {"decision": "revoke", "note": "撤销"}, personas=others)
    assert set(result.values()) == {403}, result
    decision.refresh_from_db()
    assert decision.under_review and decision.revoked_at is None
    undecided = valid_complaint(acc, acc.clerk2, at(2026, 3, 9))
    pending = Proposal.objects.get(kind="sanction", trigger__case=undecided)
    assert (
        client_for(acc.world.office_head)
        .post(f"/accountability/proposals/{pending.pk}/review/", {"decision": "keep", "note": "x"})
        .status_code
        == 404
    )
    assert client_for(acc.world.office_head).post(url, {"decision": "revoke", "note": "投诉认定已撤销"}).status_code == 302
    decision.refresh_from_db()
    assert decision.revoked_at is not None
