"""Login security (RULES.md §9): password policy, lockout, idle logout, second factor,
password age, audit of logins."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User
from core.models import AuditRecord
from core.testing import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.parametrize(
    ("password", "ok"),
    [("Ab1!efgh", True), ("Ab1!efg", False), ("abcdefg1!", False), ("ABCDEFG1!", False), ("Abcdefgh!", False), ("Abcdefgh1", False)],
)
def test_password_policy_eight_characters_four_classes(password: str, ok: bool) -> None:
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_recent_passwords_cannot_be_reused(world) -> None:
    user = world.office
    services.password_change(user=user, old_password=PASSWORD, new_password="New@Pass2026a")
    with pytest.raises(ValidationError) as info:
        services.password_change(user=user, old_password="New@Pass2026a", new_password=PASSWORD)
    assert "最近用过" in str(info.value)


def test_lockout_after_five_failures_for_thirty_minutes(world) -> None:
    client = Client()
    for _ in range(4):
        assert login(client, "office", "wrong").status_code == 200
    response = login(client, "office", "wrong")
    assert response.status_code == 429 and "锁定30分钟" in response.content.decode()
    # even the right password is refused while locked
    assert login(Client(), "office", PASSWORD).status_code == 429
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME and settings.AXES_FAILURE_LIMIT == 5
    assert AuditRecord.objects.filter(action="login_failed", actor_label="office", success=False).count() >= 5
    # the account administrator unlocks
    services.user_unlock(actor=world.admin, user=world.office)
    assert login(Client(), "office", PASSWORD).status_code == 302


def test_successful_login_is_audited_with_address(world) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3")
    assert login(client, "office", PASSWORD).status_code == 302
    record = AuditRecord.objects.filter(action="login").latest("id")
    assert record.actor == world.office and record.ip == "10.1.2.3" and record.success


def test_idle_logout_after_thirty_minutes(world) -> None:
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client = Client()
    assert login(client, "office", PASSWORD).status_code == 302
    session = Session.objects.get(session_key=client.session.session_key)
    # each request pushes the expiry 30 minutes ahead
    assert timezone.now() + timedelta(minutes=29) < session.expire_date <= timezone.now() + timedelta(minutes=30)
    assert client.get("/org/units/").status_code == 200
    # 30 idle minutes later the session is gone
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/org/units/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_expired_password_must_be_changed_first(world) -> None:
    User.objects.filter(pk=world.office.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = client_for(world.office)
    response = client.get("/org/units/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert client.get("/api/v1/org/units/").status_code == 403
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "Fresh@2026xx", "new_password2": "Fresh@2026xx"}
    )
    assert response.status_code == 302
    assert client.get("/org/units/").status_code == 200


def test_89_days_is_not_yet_expired(world) -> None:
    User.objects.filter(pk=world.office.pk).update(password_changed_at=timezone.now() - timedelta(days=89))
    assert client_for(world.office).get("/org/units/").status_code == 200


def test_new_accounts_change_their_first_password(world) -> None:
    user, first = services.user_create(actor=world.admin, username="new1", full_name="新人", role="office_staff")
    assert user.must_change_password
    client = Client()
    assert login(client, "new1", first).status_code == 302
    assert client.get("/").status_code == 302  # to the password page


def test_second_factor_required_for_office_and_unit_roles(world, settings) -> None:
    settings.XN_REQUIRE_2FA = True
    client = client_for(world.office)
    response = client.get("/org/units/")
    assert response.status_code == 302 and response["Location"] == "/accounts/otp/setup/"
    # enrol: the page shows a QR code; the first code confirms
    assert client.get("/accounts/otp/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=world.office)
    bad = client.post("/accounts/otp/setup/", {"token": "000000"})
    assert bad.status_code == 400
    # a wrong code slows the next attempt down, even a right one
    code = f"{totp(device.bin_key):06d}"
    throttled = client.post("/accounts/otp/setup/", {"token": code})
    assert throttled.status_code == 400 and "错误次数过多" in throttled.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # the wait has passed
    assert client.post("/accounts/otp/setup/", {"token": code}).status_code == 302
    assert client.get("/org/units/").status_code == 200
    # next session: the code is asked again after the password
    fresh = client_for(world.office)
    assert fresh.get("/org/units/")["Location"] == "/accounts/otp/verify/"
    # roles without the requirement (a supervisor on a phone) are not forced
    assert client_for(world.supervisor).get("/").status_code == 200


def test_second_factor_optional_in_demo_mode(world, settings) -> None:
    settings.XN_REQUIRE_2FA = False
    assert client_for(world.office).get("/org/units/").status_code == 200
