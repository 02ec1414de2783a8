"""Every page and endpoint from every persona: the allowed roles get it, a refused role gets
403, a user of another unit (or another supervisor) 404 or an empty list — never the data.

Personas (core.testing): office, office_head, supervisor (on the task), liaison_a and
head_a (unit A, whose window the finding is about), liaison_b (unit B), viewer, rater,
admin. POSTs are sent empty: the allowed get the form back with its errors (400), so
nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import World, client_for, status_by_persona
from inspections import services
from inspections.tests.helpers import fed_back_finding, jpeg, submitted_finding

pytestmark = pytest.mark.django_db

PERSONAS = World.PERSONAS


def expect(default: int, **overrides: int) -> dict[str, int]:
    return {name: overrides.get(name, default) for name in PERSONAS}


@pytest.fixture
def ids(insp: Any) -> dict[str, Any]:
    finding = fed_back_finding(insp)
    pending = submitted_finding(insp, description="上班迟到")
    user = insp.world.supervisor
    draft = services.finding_start(actor=user, task=insp.task)
    services.evidence_add(actor=user, finding=draft, upload=jpeg())
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="属实")
    circular = services.circular_create(actor=insp.office, findings=[finding])
    services.circular_publish(actor=insp.world.office_head, circular=circular)
    draft_circular = services.circular_create(actor=insp.office, findings=[finding])
    fed = fed_back_finding(insp, description="窗口人员在岗睡觉")
    return {
        "round": insp.round.pk,
        "batch": insp.batch.pk,
        "task": insp.task.pk,
        "assignment": insp.task.assignments.first().pk,
        "finding": finding.pk,
        "fed": fed.pk,
        "pending": pending.pk,
        "draft": draft.pk,
        "evidence": finding.evidence.first().pk,
        "draft_evidence": draft.evidence.first().pk,
        "circular": circular.pk,
        "draft_circular": draft_circular.pk,
    }


OFFICE_ONLY = expect(403, office=200, office_head=200)
PAGES = [
    ("/inspections/rounds/", OFFICE_ONLY),
    ("/inspections/rounds/new/", OFFICE_ONLY),
    ("/inspections/rounds/{round}/", OFFICE_ONLY),
    ("/inspections/rounds/{round}/edit/", OFFICE_ONLY),
    ("/inspections/rounds/{round}/coverage/", OFFICE_ONLY),
    ("/inspections/batches/{batch}/tasks/new/", OFFICE_ONLY),
    ("/inspections/tasks/", expect(403, office=200, office_head=200, supervisor=200)),
    ("/inspections/tasks/{task}/", expect(403, office=200, office_head=200, supervisor=200)),
    ("/inspections/tasks/{task}/team/", OFFICE_ONLY),
    ("/inspections/assignments/", expect(403, office=200, office_head=200, supervisor=200)),
    ("/inspections/my/", expect(403, supervisor=200)),
    ("/inspections/findings/", expect(403, office=200, office_head=200, supervisor=200, liaison_a=200, head_a=200, liaison_b=200)),
    (
        "/inspections/findings/{finding}/",
        expect(403, office=200, office_head=200, supervisor=200, liaison_a=200, head_a=200, liaison_b=404),
    ),
    (
        "/inspections/findings/{pending}/",
        expect(403, office=200, office_head=200, supervisor=200, liaison_a=404, head_a=404, liaison_b=404),
    ),
    ("/inspections/findings/{draft}/edit/", expect(403, supervisor=200)),
    (
        "/inspections/evidence/{evidence}/",
        expect(403, office=200, office_head=200, supervisor=200, liaison_a=200, head_a=200, liaison_b=404),
    ),
    (
        "/inspections/evidence/{draft_evidence}/",
        expect(403, office=200, office_head=200, supervisor=200, liaison_a=404, head_a=404, liaison_b=404),
    ),
    ("/inspections/circulars/", expect(200, supervisor=403, rater=403, admin=403)),
    ("/inspections/circulars/new/", OFFICE_ONLY),
    ("/inspections/circulars/{circular}/", expect(200, supervisor=403, rater=403, admin=403)),
    ("/inspections/circulars/{circular}/download/pdf/", expect(200, supervisor=403, rater=403, admin=403)),
    ("/inspections/circulars/{draft_circular}/", expect(404, office=200, office_head=200, supervisor=403, rater=403, admin=403)),
    ("/inspections/figures/", expect(403, office=200, office_head=200, viewer=200)),
    ("/inspections/figures/export/", expect(403, office=200, office_head=200, viewer=200)),
    ("/inspections/figures/supervisors/", OFFICE_ONLY),
    # the API
    ("/api/v1/inspections/rounds/", OFFICE_ONLY),
    ("/api/v1/inspections/rounds/{round}/", OFFICE_ONLY),
    ("/api/v1/inspections/batches/", OFFICE_ONLY),
    ("/api/v1/inspections/tasks/", expect(403, office=200, office_head=200, supervisor=200)),
    ("/api/v1/inspections/tasks/{task}/", expect(403, office=200, office_head=200, supervisor=200)),
    ("/api/v1/inspections/assignments/", expect(403, office=200, office_head=200, supervisor=200)),
    ("/api/v1/inspections/findings/", expect(403, office=200, office_head=200, supervisor=200, liaison_a=200, head_a=200, liaison_b=200)),
    (
        "/api/v1/inspections/findings/{finding}/",
        expect(403, office=200, office_head=200, supervisor=200, liaison_a=200, head_a=200, liaison_b=404),
    ),
    (
        "/api/v1/inspections/findings/{pending}/",
        expect(403, office=200, office_head=200, supervisor=200, liaison_a=404, head_a=404, liaison_b=404),
    ),
    (
        "/api/v1/inspections/findings/{finding}/evidence/",
        expect(403, office=200, office_head=200, supervisor=200, liaison_a=200, head_a=200, liaison_b=404),
    ),
    ("/api/v1/inspections/evidence/", expect(403, office=200, office_head=200, supervisor=200, liaison_a=200, head_a=200, liaison_b=200)),
    (
        "/api/v1/inspections/evidence/{evidence}/download/",
        expect(403, office=200, office_head=200, supervisor=200, liaison_a=200, head_a=200, liaison_b=404),
    ),
    ("/api/v1/inspections/circulars/", expect(200, supervisor=403, rater=403, admin=403)),
    ("/api/v1/inspections/circulars/{draft_circular}/", expect(404, office=200, office_head=200, supervisor=403, rater=403, admin=403)),
    ("/api/v1/inspections/figures/?year=2026", expect(403, office=200, office_head=200, viewer=200)),
]


def test_every_page_and_endpoint(insp: Any, ids: dict[str, Any]) -> None:
    wrong = {}
    for url, expected in PAGES:
        got = status_by_persona(insp.world, "get", url.format(**ids))
        if got != expected:
            wrong[url] = {name: (got[name], expected[name]) for name in got if got[name] != expected[name]}
    assert not wrong, wrong


FORM = 400  # allowed, but the empty form is refused with its errors; nothing changes
ACTIONS = [
    ("/inspections/rounds/new/", expect(403, office=FORM, office_head=FORM)),
    ("/inspections/rounds/{round}/batches/new/", expect(403, office=FORM, office_head=FORM)),
    ("/inspections/batches/{batch}/tasks/new/", expect(403, office=FORM, office_head=FORM)),
    ("/inspections/tasks/{task}/team/", expect(403, office=FORM, office_head=FORM)),
    ("/inspections/tasks/{task}/cancel/", expect(403, office=FORM, office_head=FORM)),
    ("/inspections/tasks/{task}/respond/", expect(403, supervisor=302)),  # no action: told so, back to the task
    ("/inspections/findings/{draft}/edit/", expect(403, supervisor=FORM)),
    ("/inspections/findings/{pending}/review/", expect(403, office=FORM, office_head=FORM)),
    ("/inspections/findings/{fed}/verify/", expect(403, liaison_a=FORM, head_a=FORM, liaison_b=404)),
    ("/inspections/findings/{finding}/rectify/", expect(403, liaison_a=FORM, head_a=FORM, liaison_b=404)),
    ("/inspections/findings/{finding}/acceptance/", expect(403, office=FORM, office_head=FORM)),
    ("/inspections/findings/{finding}/deadline/", expect(403, office=FORM, office_head=FORM)),
    ("/inspections/findings/{finding}/overturn/", expect(403, office_head=FORM)),
    ("/inspections/circulars/new/", expect(403, office=FORM, office_head=FORM)),
    ("/inspections/circulars/{draft_circular}/", expect(403, office=FORM, office_head=FORM, liaison_a=403, viewer=403)),
    ("/api/v1/inspections/findings/{fed}/verify/", expect(403, liaison_a=400, head_a=400, liaison_b=404)),
    ("/api/v1/inspections/findings/{finding}/rectify/", expect(403, liaison_a=400, head_a=400, liaison_b=404)),
    ("/api/v1/inspections/findings/{pending}/review/", expect(403, office=400, office_head=400)),
    ("/api/v1/inspections/findings/{draft}/evidence/upload/", expect(403, supervisor=400)),
    ("/api/v1/inspections/tasks/{task}/decline/", expect(403, supervisor=400)),
    ("/api/v1/inspections/rounds/", expect(403, office=400, office_head=400)),
]


def test_every_action(insp: Any, ids: dict[str, Any]) -> None:
    from core.models import AuditRecord

    before = AuditRecord.objects.filter(action__startswith="inspections.").count()
    wrong = {}
    for url, expected in ACTIONS:
        got = status_by_persona(insp.world, "post", url.format(**ids))
        if got != expected:
            wrong[url] = {name: (got[name], expected[name]) for name in got if got[name] != expected[name]}
    assert not wrong, wrong
    assert AuditRecord.objects.filter(action__startswith="inspections.").count() == before  # nothing changed


def test_another_supervisor_sees_none_of_it(insp: Any, ids: dict[str, Any]) -> None:
    other = client_for(insp.sup3.user)
    for url in (
        "/inspections/tasks/{task}/",
        "/inspections/findings/{finding}/",
        "/inspections/findings/{draft}/edit/",
        "/inspections/evidence/{evidence}/",
    ):
        assert other.get(url.format(**ids)).status_code == 404, url
    for url in ("/api/v1/inspections/tasks/{task}/", "/api/v1/inspections/findings/{finding}/"):
        assert other.get(url.format(**ids)).status_code == 404, url
    assert other.get("/api/v1/inspections/findings/").json()["results"] == []
    assert other.get("/api/v1/inspections/tasks/").json()["results"] == []
    assert other.get("/inspections/my/").context["upcoming"] == []


def test_the_other_unit_gets_empty_lists(insp: Any, ids: dict[str, Any]) -> None:
    other = client_for(insp.world.liaison_b)
    assert other.get("/api/v1/inspections/findings/").json()["results"] == []
    assert other.get("/api/v1/inspections/evidence/").json()["results"] == []
    assert other.get("/inspections/findings/").context["paginator"].count == 0
    mine = client_for(insp.world.liaison_a).get("/api/v1/inspections/findings/").json()["results"]
    assert {f["id"] for f in mine} == {ids["finding"], ids["fed"]}
    assert all(f["task"] is None and f["recorded_by"] is None for f in mine)  # never who, nor on which task
