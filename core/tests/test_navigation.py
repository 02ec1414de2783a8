"""The navigation shows each role only what the gate lets it open, grouped into menus."""

import pytest

from core.testing import client_for

pytestmark = pytest.mark.django_db


def _nav(client) -> list:
    return client.get("/").context["nav"]


def test_office_sees_grouped_menus(world) -> None:
    nav = _nav(client_for(world.office))
    groups = {str(entry["label"]): [str(c["label"]) for c in entry["children"]] for entry in nav if "children" in entry}
    assert groups["组织机构"] == ["单位", "工作人员", "离岗告示", "企业"]
    assert groups["系统管理"] == ["政策参数", "工作日历"]  # the audit trail is the office head's


def test_each_role_sees_only_what_it_may_open(world) -> None:
    liaison = _nav(client_for(world.liaison_a))
    registry = next(e for e in liaison if str(e["label"]) == "组织机构")
    assert [str(c["label"]) for c in registry["children"]] == ["单位", "工作人员", "离岗告示"]
    assert not any(str(e["label"]) == "系统管理" for e in liaison)
    admin = _nav(client_for(world.admin))
    system = next(e for e in admin if str(e["label"]) == "系统管理")
    assert [str(c["label"]) for c in system["children"]] == ["账号", "接口令牌"]
    assert all(client_for(world.admin).get(c["url"]).status_code == 200 for e in admin for c in e.get("children", [e]))


def test_sign_in_page_offers_the_public_services(db) -> None:
    from django.test import Client

    page = Client().get("/accounts/login/").content.decode()
    assert 'data-testid="public-services"' in page and "/public/cases/" in page and "/public/cases/track/" in page
