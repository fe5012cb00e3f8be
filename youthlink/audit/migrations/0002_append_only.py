from django.db import migrations

SQLITE_UP = [
    "CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_auditevent_no_update"]

POSTGRES_UP = [
    "CREATE OR REPLACE FUNCTION audit_auditevent_refuse_update() RETURNS trigger AS $$"
    " BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent"
    " FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_update()",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse_update()",
]


def forwards(apps, schema_editor):
    for statement in POSTGRES_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    for statement in POSTGRES_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    """UPDATE is refused by the database itself. DELETE stays possible for the operator's
    retention job and test teardown; the product offers no way to delete."""

    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
