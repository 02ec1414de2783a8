"""On PostgreSQL, refuse in the database itself to change or delete evidence once it is
locked, and a circular once it is published — not even a bug or a hand-typed query can
alter them; ``manage.py evidence_verify`` proves the files themselves."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION inspections_evidence_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.locked_at IS NOT NULL THEN
        RAISE EXCEPTION 'submitted evidence cannot be changed or deleted';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS inspections_evidence_immutable ON inspections_evidence;
CREATE TRIGGER inspections_evidence_immutable BEFORE UPDATE OR DELETE ON inspections_evidence
    FOR EACH ROW EXECUTE FUNCTION inspections_evidence_immutable();

CREATE OR REPLACE FUNCTION inspections_circular_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'a published circular cannot be changed or deleted';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS inspections_circular_immutable ON inspections_circular;
CREATE TRIGGER inspections_circular_immutable BEFORE UPDATE OR DELETE ON inspections_circular
    FOR EACH ROW EXECUTE FUNCTION inspections_circular_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS inspections_evidence_immutable ON inspections_evidence;
DROP FUNCTION IF EXISTS inspections_evidence_immutable();
DROP TRIGGER IF EXISTS inspections_circular_immutable ON inspections_circular;
DROP FUNCTION IF EXISTS inspections_circular_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
