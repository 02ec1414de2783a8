"""Production refuses insecure settings; `check --deploy` is clean in production mode;
responses carry the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
SECURE_ENV = {
    "XN_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-Zx9!vQ2#mR7$wL4^pT8&nB3*cY6(hD1)" + "s" * 10,
    "ALLOWED_HOSTS": "xiaoneng.example.gov.cn",
    "XN_FIELD_KEYS": "Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtbG9uZy1rZXk=",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/xiaoneng",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("XN_", "DJANGO_", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_deploy_check_is_clean_in_production_mode() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=SECURE_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"XN_REQUIRE_2FA": "0"}, "XN_REQUIRE_2FA"),
        ({"XN_SECURE_COOKIES": "0"}, "XN_SECURE_COOKIES"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "PostgreSQL"),
        ({"XN_FIELD_KEYS": ""}, "XN_FIELD_KEYS"),
    ],
)
def test_production_refuses_to_start_with_an_insecure_setting(override: dict[str, str], complaint: str) -> None:
    result = _manage("check", env={**SECURE_ENV, **override})
    assert result.returncode != 0
    assert "refusing to start in production" in result.stderr and complaint in result.stderr


@pytest.mark.django_db
def test_security_headers_on_every_page() -> None:
    response = Client().get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_chinese_by_default_whatever_the_browser_says() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/")
    assert response.headers["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "en"
    assert "Sign in" in response.content.decode()
