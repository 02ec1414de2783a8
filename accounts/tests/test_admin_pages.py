"""The account administrator's pages: accounts, resets, tokens — and nothing else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ApiToken, User
from core.models import AuditRecord
from core.testing import client_for, status_by_persona

pytestmark = pytest.mark.django_db


def test_who_sees_the_account_pages(world) -> None:
    statuses = status_by_persona(world, "get", "/accounts/users/")
    assert statuses == {
        "office": 403,
        "office_head": 200,
        "supervisor": 403,
        "liaison_a": 403,
        "head_a": 403,
        "liaison_b": 403,
        "viewer": 403,
        "rater": 403,
        "admin": 200,
    }
    create = status_by_persona(world, "get", "/accounts/users/new/")
    assert create["admin"] == 200 and create["office_head"] == 403
    tokens = status_by_persona(world, "get", "/accounts/tokens/")
    assert tokens["admin"] == 200 and tokens["office"] == 403


def test_create_account_shows_first_password_once(world) -> None:
    client = client_for(world.admin)
    bad = client.post("/accounts/users/new/", {"username": "liaison_x", "full_name": "联络员", "role": "unit_liaison"})
    assert bad.status_code == 400 and "必须属于一个单位" in bad.content.decode()
    assert not User.objects.filter(username="liaison_x").exists()
    ok = client.post(
        "/accounts/users/new/", {"username": "liaison_x", "full_name": "联络员", "role": "unit_liaison", "unit": world.unit_a.pk}
    )
    assert ok.status_code == 200 and 'data-testid="temporary-password"' in ok.content.decode()
    created = User.objects.get(username="liaison_x")
    assert created.must_change_password and created.unit == world.unit_a
    assert AuditRecord.objects.filter(action="accounts.user.create", object_id=str(created.pk), actor=world.admin).exists()
    duplicate = client.post("/accounts/users/new/", {"username": "LIAISON_X", "full_name": "重", "role": "viewer"})
    assert duplicate.status_code == 400 and "已被使用" in duplicate.content.decode()


def test_deactivate_revokes_tokens_and_blocks_login(world) -> None:
    from accounts.services import token_create

    token, _raw = token_create(
        actor=world.admin, user=world.office, name="x", scopes=["org:read"], expires_at=timezone.now() + timedelta(days=1)
    )
    client_for(world.admin).post(f"/accounts/users/{world.office.pk}/", {"action": "deactivate"})
    world.office.refresh_from_db()
    token.refresh_from_db()
    assert not world.office.is_active and token.revoked_at is not None
    response = client_for(world.admin).post(f"/accounts/users/{world.admin.pk}/", {"action": "deactivate"})
    assert response.status_code == 302
    world.admin.refresh_from_db()
    assert world.admin.is_active  # nobody disables their own account


def test_token_page_issues_and_revokes(world) -> None:
    client = client_for(world.admin)
    expires = (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/accounts/tokens/", {"user": world.office.pk, "name": "12345平台", "scopes": ["org:read"], "expires_at": expires}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="12345平台")
    raw = response.content.decode().split('data-testid="raw-token">')[1].split("<")[0]
    assert raw.startswith("xn_") and token.digest != raw and raw not in str(token.__dict__)
    too_long = (timezone.now() + timedelta(days=400)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post("/accounts/tokens/", {"user": world.office.pk, "name": "太久", "scopes": ["org:read"], "expires_at": too_long})
    assert bad.status_code == 400 and "最长一年" in bad.content.decode()
    client.post("/accounts/tokens/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_profile_preferences(world) -> None:
    client = client_for(world.liaison_a)
    assert client.get("/accounts/profile/").status_code == 200
    client.post("/accounts/profile/", {"core.message": ["email"]})
    from core.notify import channels_for

    assert channels_for(world.liaison_a, "core.message") == ["email"]


def test_me_endpoint_and_account_api(world) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.liaison_a)
    assert client.get("/api/v1/accounts/users/me/").json()["username"] == "liaison_a"
    assert client.get("/api/v1/accounts/users/").status_code == 403
    admin = APIClient()
    admin.force_authenticate(world.admin)
    assert admin.get("/api/v1/accounts/users/").json()["count"] >= 9
