"""The registry's services: the unit tree, staff, AB posts and whereabouts, enterprises."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditRecord
from core.testing import credit_code, make_staff, make_unit
from org import services
from org.choices import UnitKind, WhereaboutsKind
from org.models import Staff, Unit, Whereabouts

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=TZ)


class TestUnits:
    def test_tree_paths_and_branch_queries(self, world) -> None:
        assert world.division_a.path.startswith(world.unit_a.path) and world.division_a.depth == 1
        branch = Unit.objects.filter(path__startswith=world.unit_a.path)
        assert set(branch) == {world.unit_a, world.division_a, world.window_a}

    def test_kind_and_parent_rules(self, world) -> None:
        with pytest.raises(ValidationError) as info:
            services.unit_create(actor=world.office, name="科", code="X1", kind=UnitKind.DIVISION)
        assert "处室必须有上级单位" in info.value.message_dict["parent"][0]
        with pytest.raises(ValidationError) as info:
            services.unit_create(actor=world.office, name="局", code="X2", kind=UnitKind.DEPARTMENT, parent=world.unit_b)
        assert "不能设在" in info.value.message_dict["parent"][0]
        with pytest.raises(ValidationError) as info:
            services.unit_create(actor=world.office, name="局", code="X3", kind=UnitKind.DEPARTMENT)
        assert "考评类别" in info.value.message_dict["category"][0]
        with pytest.raises(ValidationError) as info:
            services.unit_create(actor=world.office, name="重复", code="A", kind=UnitKind.DIVISION, parent=world.unit_a)
        assert "已被其他单位使用" in info.value.message_dict["code"][0]
        assert not Unit.objects.filter(code__in=["X1", "X2", "X3"]).exists()

    def test_moving_a_unit_moves_its_branch(self, world) -> None:
        sub = make_unit("甲局一科一组", kind=UnitKind.DIVISION, parent=world.division_a)
        services.unit_update(actor=world.office, unit=world.division_a, parent=world.unit_b)
        world.division_a.refresh_from_db()
        sub.refresh_from_db()
        assert world.division_a.path.startswith(world.unit_b.path)
        assert sub.path.startswith(world.division_a.path) and sub.depth == 2
        assert AuditRecord.objects.filter(action="org.unit.update", object_id=str(world.division_a.pk)).exists()

    def test_cannot_move_under_own_branch(self, world) -> None:
        with pytest.raises(ValidationError):
            services.unit_update(actor=world.office, unit=world.unit_a, kind=UnitKind.DIVISION, parent=world.division_a)

    def test_deactivate_refuses_with_active_children(self, world) -> None:
        with pytest.raises(ValidationError) as info:
            services.unit_set_active(actor=world.office, unit=world.unit_a, active=False)
        assert "下级单位" in info.value.messages[0]
        services.unit_set_active(actor=world.office, unit=world.window_a, active=False)
        services.unit_set_active(actor=world.office, unit=world.division_a, active=False)
        services.unit_set_active(actor=world.office, unit=world.unit_a, active=False)
        assert not Unit.objects.get(pk=world.unit_a.pk).is_active


class TestStaffAndPosts:
    def test_staff_validation(self, world) -> None:
        with pytest.raises(ValidationError) as info:
            services.staff_create(actor=world.office, name="", unit=world.unit_a, phone="123")
        assert set(info.value.message_dict) == {"name", "phone"}
        staff = services.staff_create(
            actor=world.office, name="李明", unit=world.unit_a, phone="138 1234 5678", id_number="11010519491231002X"
        )
        assert staff.phone == "13812345678" and staff.phone_masked == "138****5678"
        assert Staff.objects.get(pk=staff.pk).id_number == "11010519491231002X"
        with pytest.raises(ValidationError):
            services.staff_create(actor=world.office, name="王", unit=world.unit_a, id_number="110105194912310021")

    def test_id_number_is_encrypted_at_rest(self, world) -> None:
        from django.db import connection

        staff = services.staff_create(actor=world.office, name="李明", unit=world.unit_a, id_number="11010519491231002X")
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number FROM org_staff WHERE id = %s", [staff.pk])
            stored = cursor.fetchone()[0]
        assert "11010519491231002X" not in stored and stored.startswith("gAAAA")

    def test_backup_must_be_another_member_of_the_same_unit(self, world) -> None:
        a, b, outsider = make_staff(world.unit_a), make_staff(world.unit_a), make_staff(world.unit_b)
        with pytest.raises(ValidationError) as info:
            services.post_create(actor=world.office, unit=world.unit_a, name="受理岗", holder=a, backup=a)
        assert "B角必须是A角以外" in info.value.message_dict["backup"][0]
        with pytest.raises(ValidationError) as info:
            services.post_create(actor=world.office, unit=world.unit_a, name="受理岗", holder=a, backup=outsider)
        assert "不是本单位" in info.value.message_dict["backup"][0]
        post = services.post_create(actor=world.office, unit=world.unit_a, name="受理岗", holder=a, backup=b)
        assert post.backup == b

    def test_leaving_staff_leaves_their_posts(self, world) -> None:
        a, b = make_staff(world.unit_a), make_staff(world.unit_a)
        post = services.post_create(actor=world.office, unit=world.unit_a, name="受理岗", holder=a, backup=b)
        services.staff_set_active(actor=world.office, staff=b, active=False)
        post.refresh_from_db()
        assert post.backup is None and post.holder == a


class TestWhereabouts:
    @pytest.fixture
    def ab(self, world):
        a, b = make_staff(world.unit_a, name="A角"), make_staff(world.unit_a, name="B角")
        post = services.post_create(actor=world.office, unit=world.unit_a, name="受理岗", holder=a, backup=b)
        return a, b, post

    def test_a_and_b_are_never_away_on_the_same_day(self, world, ab) -> None:
        a, b, _post = ab
        services.whereabouts_create(actor=world.office, staff=a, kind=WhereaboutsKind.MEETING, start=at(2, 9), expected_return=at(2, 11))
        with pytest.raises(ValidationError) as info:
            # B's absence starts after A is back, but on the same day: refused
            services.whereabouts_create(
                actor=world.office, staff=b, kind=WhereaboutsKind.TRAINING, start=at(2, 15), expected_return=at(2, 17)
            )
        assert "AB岗不能同一天同时离岗" in info.value.message_dict["start"][0] and "A角" in info.value.message_dict["start"][0]
        assert Whereabouts.objects.filter(staff=b).count() == 0
        # the next day is fine
        services.whereabouts_create(actor=world.office, staff=b, kind=WhereaboutsKind.TRAINING, start=at(3, 9), expected_return=at(3, 17))

    def test_a_multi_day_absence_blocks_every_day_it_covers(self, world, ab) -> None:
        a, b, _post = ab
        services.whereabouts_create(
            actor=world.office, staff=b, kind=WhereaboutsKind.BUSINESS_TRIP, start=at(2, 9), expected_return=at(4, 18)
        )
        with pytest.raises(ValidationError):
            services.whereabouts_create(actor=world.office, staff=a, kind=WhereaboutsKind.LEAVE, start=at(4, 8), expected_return=at(4, 10))
        services.whereabouts_create(actor=world.office, staff=a, kind=WhereaboutsKind.LEAVE, start=at(5, 8), expected_return=at(5, 10))

    def test_return_must_follow_departure_and_no_double_booking(self, world, ab) -> None:
        a, _b, _post = ab
        with pytest.raises(ValidationError) as info:
            services.whereabouts_create(
                actor=world.office, staff=a, kind=WhereaboutsKind.MEETING, start=at(2, 11), expected_return=at(2, 9)
            )
        assert "expected_return" in info.value.message_dict
        services.whereabouts_create(actor=world.office, staff=a, kind=WhereaboutsKind.MEETING, start=at(2, 9), expected_return=at(2, 11))
        with pytest.raises(ValidationError):
            services.whereabouts_create(
                actor=world.office, staff=a, kind=WhereaboutsKind.MEETING, start=at(2, 10), expected_return=at(2, 12)
            )

    def test_current_notices_and_ending(self, world, ab) -> None:
        a, _b, _post = ab
        now = timezone.now()
        notice = services.whereabouts_create(
            actor=world.office,
            staff=a,
            kind=WhereaboutsKind.MEETING,
            start=now - timedelta(minutes=5),
            expected_return=now + timedelta(hours=1),
        )
        assert list(Whereabouts.objects.current()) == [notice]
        services.whereabouts_end(actor=world.office, notice=notice)
        assert not Whereabouts.objects.current().exists()
        with pytest.raises(ValidationError):
            services.whereabouts_end(actor=world.office, notice=notice)


class TestEnterprises:
    def test_credit_code_checked_and_unique(self, world) -> None:
        code = credit_code(12345)
        services.enterprise_create(actor=world.office, name="临江华信有限公司", credit_code=code.lower())
        with pytest.raises(ValidationError) as info:
            services.enterprise_create(actor=world.office, name="另一家", credit_code=code)
        assert "已登记" in info.value.message_dict["credit_code"][0]
        wrong = code[:17] + ("0" if code[17] != "0" else "1")
        with pytest.raises(ValidationError) as info:
            services.enterprise_create(actor=world.office, name="抄错的", credit_code=wrong)
        assert "校验位错误" in info.value.message_dict["credit_code"][0]
