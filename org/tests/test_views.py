"""Every registry page and endpoint: the allowed role, a refused role, another unit."""

import pytest
from django.utils import timezone

from core.models import AuditRecord
from core.testing import client_for, make_enterprise, make_staff, status_by_persona
from org import services
from org.choices import WhereaboutsKind
from org.models import Staff, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    staff_a = make_staff(world.unit_a, name="甲局员工", phone="13812345678")
    staff_b = make_staff(world.unit_b, name="乙局员工", phone="13987654321")
    enterprise = make_enterprise()
    return {"staff_a": staff_a, "staff_b": staff_b, "enterprise": enterprise}


def test_unit_pages(world, data) -> None:
    statuses = status_by_persona(world, "get", "/org/units/")
    assert statuses == {
        "office": 200,
        "office_head": 200,
        "supervisor": 403,
        "liaison_a": 200,
        "head_a": 200,
        "liaison_b": 200,
        "viewer": 200,
        "rater": 403,
        "admin": 200,
    }
    detail = status_by_persona(world, "get", f"/org/units/{world.division_a.pk}/")
    assert detail["liaison_a"] == 200 and detail["liaison_b"] == 404 and detail["supervisor"] == 403
    # the list shows a liaison only their branch
    page = client_for(world.liaison_b).get("/org/units/").content.decode()
    assert "乙局" in page and "甲局" not in page
    edit = status_by_persona(world, "get", f"/org/units/{world.unit_a.pk}/edit/")
    assert edit["office"] == 200 and edit["liaison_a"] == 403 and edit["viewer"] == 403


def test_create_unit_through_the_page(world) -> None:
    client = client_for(world.office)
    bad = client.post("/org/units/new/", {"name": "新局", "code": "NEW", "kind": "department"})
    assert bad.status_code == 400 and "部门必须属于一个考评类别" in bad.content.decode()
    assert not Unit.objects.filter(code="NEW").exists()
    from core.testing import category

    ok = client.post("/org/units/new/", {"name": "新局", "code": "NEW", "kind": "department", "category": category().pk})
    assert ok.status_code == 302
    assert Unit.objects.get(code="NEW").path
    assert client_for(world.liaison_a).post("/org/units/new/", {"name": "x"}).status_code == 403


def test_staff_pages_and_phone_masking(world, data) -> None:
    url = f"/org/staff/{data['staff_a'].pk}/"
    statuses = status_by_persona(world, "get", url)
    assert statuses["office"] == 200 and statuses["liaison_a"] == 200 and statuses["head_a"] == 200
    assert statuses["liaison_b"] == 404 and statuses["supervisor"] == 403 and statuses["rater"] == 403 and statuses["admin"] == 403
    page = client_for(world.office).get(url).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    listing = client_for(world.liaison_a).get("/org/staff/").content.decode()
    assert "甲局员工" in listing and "乙局员工" not in listing and "13812345678" not in listing


def test_revealing_a_phone_is_audited_and_scoped(world, data) -> None:
    url = f"/org/staff/{data['staff_a'].pk}/phone/"
    response = client_for(world.liaison_a).post(url)
    assert response.status_code == 200 and "13812345678" in response.content.decode()
    record = AuditRecord.objects.get(action="org.staff.reveal_phone")
    assert record.actor == world.liaison_a and record.object_id == str(data["staff_a"].pk)
    assert client_for(world.liaison_b).post(url).status_code == 404
    assert client_for(world.viewer).post(url).status_code == 403
    assert AuditRecord.objects.filter(action="org.staff.reveal_phone").count() == 1


def test_liaison_edits_own_staff_only(world, data) -> None:
    client = client_for(world.liaison_a)
    response = client.post(
        f"/org/staff/{data['staff_a'].pk}/edit/", {"name": "甲局员工", "unit": world.division_a.pk, "role_in_unit": "staff"}
    )
    assert response.status_code == 302
    assert Staff.objects.get(pk=data["staff_a"].pk).unit == world.division_a
    assert client.get(f"/org/staff/{data['staff_b'].pk}/edit/").status_code == 404
    # cannot move a person into another unit's branch
    response = client.post(f"/org/staff/{data['staff_a'].pk}/edit/", {"name": "x", "unit": world.unit_b.pk, "role_in_unit": "staff"})
    assert response.status_code == 400
    assert Staff.objects.get(pk=data["staff_a"].pk).unit == world.division_a


def test_whereabouts_pages_and_board(world, data) -> None:
    now = timezone.now()
    services.whereabouts_create(
        actor=world.office,
        staff=data["staff_a"],
        kind=WhereaboutsKind.MEETING,
        destination="3号会议室",
        start=now - timezone.timedelta(minutes=1),
        expected_return=now + timezone.timedelta(hours=1),
    )
    statuses = status_by_persona(world, "get", "/org/whereabouts/")
    assert statuses["liaison_a"] == 200 and statuses["supervisor"] == 403
    assert "甲局员工" not in client_for(world.liaison_b).get("/org/whereabouts/").content.decode()
    # the board needs no login but an unguessable address
    board = client_for(None).get(f"/org/board/{world.unit_a.board_token}/")
    assert board.status_code == 200 and "甲局员工" in board.content.decode() and "开会" in board.content.decode()
    assert client_for(None).get("/org/board/guess/").status_code == 404
    old_token = world.unit_a.board_token
    services.unit_board_token_reset(actor=world.office, unit=world.unit_a)
    assert client_for(None).get(f"/org/board/{old_token}/").status_code == 404
    new_token = Unit.objects.get(pk=world.unit_a.pk).board_token
    assert client_for(None).get(f"/org/board/{new_token}/").status_code == 200


def test_enterprise_pages(world, data) -> None:
    statuses = status_by_persona(world, "get", f"/org/enterprises/{data['enterprise'].pk}/")
    assert statuses["office"] == 200 and statuses["viewer"] == 200
    assert statuses["liaison_a"] == 403 and statuses["supervisor"] == 403
    bad = client_for(world.office).post("/org/enterprises/new/", {"name": "错码公司", "credit_code": "91350100M000100Y44"})
    assert bad.status_code == 400 and "校验位错误" in bad.content.decode()


def test_htmx_filter_returns_only_the_results(world) -> None:
    response = client_for(world.office).get("/org/units/?q=甲局", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results")
    body = response.content.decode()
    assert "甲局" in body and "<html" not in body


def test_list_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries) -> None:
    for i in range(30):
        make_staff(world.unit_a, name=f"员工{i}")
    client = client_for(world.office)
    with django_assert_max_num_queries(12):
        assert client.get("/org/staff/?size=100").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/org/units/?size=100").status_code == 200


def test_post_edit_and_deactivate(world) -> None:
    a, b, c = make_staff(world.unit_a), make_staff(world.unit_a), make_staff(world.unit_a)
    post = services.post_create(actor=world.office, unit=world.unit_a, name="受理岗", holder=a, backup=b)
    client = client_for(world.liaison_a)
    response = client.post(f"/org/posts/{post.pk}/edit/", {"name": "受理岗", "holder": a.pk, "backup": a.pk, "is_active": "on"})
    assert response.status_code == 400 and "B角必须是A角以外" in response.content.decode()
    response = client.post(f"/org/posts/{post.pk}/edit/", {"name": "受理岗", "holder": a.pk, "backup": c.pk})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.backup == c and post.is_active is False
    assert client_for(world.liaison_b).post(f"/org/posts/{post.pk}/edit/", {"name": "x"}).status_code == 404
