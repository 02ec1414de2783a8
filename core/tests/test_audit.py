"""The audit trail is append-only and hash-chained; audit_verify finds any tampering."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from core.audit import audit_record, audit_verify
from core.models import AuditRecord, ImmutableError

pytestmark = pytest.mark.django_db


def _records(n: int) -> list[AuditRecord]:
    return [audit_record(action="test.event", detail={"n": i, "when": "2026-01-01"}) for i in range(n)]


def test_chain_links_each_record_to_the_previous() -> None:
    records = _records(3)
    assert records[1].prev_hash == records[0].hash
    assert records[2].prev_hash == records[1].hash
    result = audit_verify()
    assert result.ok and result.checked == AuditRecord.objects.count()


def test_orm_refuses_update_and_delete() -> None:
    record = _records(1)[0]
    record.action = "changed"
    with pytest.raises(ImmutableError):
        record.save()
    with pytest.raises(ImmutableError):
        record.delete()
    with pytest.raises(ImmutableError):
        AuditRecord.objects.filter(pk=record.pk).update(action="x")
    with pytest.raises(ImmutableError):
        AuditRecord.objects.filter(pk=record.pk).delete()


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        # an attacker with the database's superuser: triggers off for this statement
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_verify_detects_an_edited_record() -> None:
    records = _records(3)
    _raw("UPDATE core_auditrecord SET object_repr = %s WHERE id = %s", ["篡改", records[1].pk])
    result = audit_verify()
    assert not result.ok
    assert any(f"#{records[1].pk}" in p and "修改" in p for p in result.problems)


def test_verify_detects_a_deleted_record() -> None:
    records = _records(3)
    _raw("DELETE FROM core_auditrecord WHERE id = %s", [records[1].pk])
    result = audit_verify()
    assert not result.ok
    assert any(f"#{records[2].pk}" in p for p in result.problems)


def test_verify_detects_a_deleted_tail() -> None:
    records = _records(3)
    _raw("DELETE FROM core_auditrecord WHERE id = %s", [records[2].pk])
    assert not audit_verify().ok


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger exists on PostgreSQL only")
def test_database_itself_refuses_update_on_postgresql() -> None:
    from django.db import DatabaseError, transaction

    record = _records(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditrecord SET action = 'x' WHERE id = %s", [record.pk])


def test_audit_verify_command_exit_status() -> None:
    _records(2)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "2" in out.getvalue() or "条" in out.getvalue()
    records = list(AuditRecord.objects.order_by("id"))
    _raw("UPDATE core_auditrecord SET success = %s WHERE id = %s", [False, records[0].pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify", stdout=StringIO(), stderr=StringIO())
    assert exit_info.value.code == 1
