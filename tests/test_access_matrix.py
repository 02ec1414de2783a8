"""Every page of the foundation, for every persona: the allowed roles get 200, refused roles
403, and users of another unit 404 — never the data."""

from __future__ import annotations

import pytest

from core.selectors import policy_version_for
from core.testing import make_staff, status_by_persona
from org import services as org_services

pytestmark = pytest.mark.django_db

OK, NO, HIDDEN = 200, 403, 404
P = ("office", "office_head", "supervisor", "liaison_a", "head_a", "liaison_b", "viewer", "rater", "admin")


def row(*statuses: int) -> dict[str, int]:
    return dict(zip(P, statuses, strict=True))


@pytest.fixture
def objects(world):
    staff_a = make_staff(world.unit_a, name="甲")
    staff_a2 = make_staff(world.unit_a, name="甲二")
    post = org_services.post_create(actor=None, unit=world.unit_a, name="岗", holder=staff_a, backup=staff_a2, audit=False)
    return {"staff": staff_a, "post": post, "version": policy_version_for()}


PAGES = [
    # url (formatted with world and objects), statuses for office, office_head, supervisor, liaison_a, head_a, liaison_b, viewer, rater, admin
    ("/", row(OK, OK, OK, OK, OK, OK, OK, OK, OK)),
    ("/org/units/", row(OK, OK, NO, OK, OK, OK, OK, NO, OK)),
    ("/org/units/new/", row(OK, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("/org/units/{w.unit_a.pk}/", row(OK, OK, NO, OK, OK, HIDDEN, OK, NO, OK)),
    ("/org/units/{w.window_a.pk}/edit/", row(OK, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("/org/units/{w.unit_a.pk}/posts/new/", row(OK, OK, NO, OK, NO, HIDDEN, NO, NO, NO)),
    ("/org/categories/", row(OK, OK, NO, NO, NO, NO, OK, NO, OK)),
    ("/org/categories/new/", row(OK, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("/org/staff/", row(OK, OK, NO, OK, OK, OK, OK, NO, NO)),
    ("/org/staff/new/", row(OK, OK, NO, OK, NO, OK, NO, NO, NO)),  # each liaison for their own unit
    ("/org/staff/{o[staff].pk}/", row(OK, OK, NO, OK, OK, HIDDEN, OK, NO, NO)),
    ("/org/staff/{o[staff].pk}/edit/", row(OK, OK, NO, OK, NO, HIDDEN, NO, NO, NO)),
    ("/org/posts/", row(OK, OK, NO, OK, OK, OK, OK, NO, NO)),
    ("/org/posts/{o[post].pk}/edit/", row(OK, OK, NO, OK, NO, HIDDEN, NO, NO, NO)),
    ("/org/whereabouts/", row(OK, OK, NO, OK, OK, OK, OK, NO, NO)),
    ("/org/whereabouts/new/", row(OK, OK, NO, OK, OK, OK, NO, NO, NO)),
    ("/org/enterprises/", row(OK, OK, NO, NO, NO, NO, OK, NO, NO)),
    ("/org/enterprises/new/", row(OK, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("/org/import/units/", row(OK, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("/org/import/staff/", row(OK, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("/supervisors/", row(OK, OK, OK, NO, NO, NO, NO, NO, NO)),
    ("/supervisors/new/", row(OK, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("/policies/", row(OK, OK, NO, NO, NO, NO, OK, NO, NO)),
    ("/policies/versions/{o[version].pk}/", row(OK, OK, NO, NO, NO, NO, OK, NO, NO)),
    ("/calendar/", row(OK, OK, OK, OK, OK, OK, OK, OK, OK)),
    ("/audit/", row(NO, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("/inbox/", row(OK, OK, OK, OK, OK, OK, OK, OK, OK)),
    ("/accounts/profile/", row(OK, OK, OK, OK, OK, OK, OK, OK, OK)),
    ("/accounts/users/", row(NO, OK, NO, NO, NO, NO, NO, NO, OK)),
    ("/accounts/users/{w.liaison_a.pk}/", row(NO, OK, NO, NO, NO, NO, NO, NO, OK)),
    ("/accounts/tokens/", row(NO, NO, NO, NO, NO, NO, NO, NO, OK)),
    ("/api/v1/org/units/", row(OK, OK, NO, OK, OK, OK, OK, NO, OK)),
    ("/api/v1/org/staff/{o[staff].pk}/", row(OK, OK, NO, OK, OK, HIDDEN, OK, NO, NO)),
    ("/api/v1/org/enterprises/", row(OK, OK, NO, NO, NO, NO, OK, NO, NO)),
    ("/api/v1/org/whereabouts/", row(OK, OK, NO, OK, OK, OK, OK, NO, NO)),
    ("/api/v1/org/posts/{o[post].pk}/", row(OK, OK, NO, OK, OK, HIDDEN, OK, NO, NO)),
    ("/api/v1/core/policy/", row(OK, OK, NO, NO, NO, NO, OK, NO, NO)),
    ("/api/v1/accounts/users/", row(NO, OK, NO, NO, NO, NO, NO, NO, OK)),
    ("/api/v1/supervisors/supervisors/", row(OK, OK, OK, NO, NO, NO, NO, NO, NO)),
]


@pytest.mark.parametrize(("url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(world, objects, url: str, expected: dict[str, int]) -> None:
    assert status_by_persona(world, "get", url.format(w=world, o=objects)) == expected


def test_anonymous_users_are_sent_to_login(world) -> None:
    from django.test import Client

    for url, _expected in PAGES:
        if url.startswith("/api/"):
            continue
        response = Client().get(url.format(w=world, o={"staff": world.unit_a, "post": world.unit_a, "version": world.unit_a}))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
