"""On PostgreSQL, triggers refuse UPDATE and DELETE of audit entries, and refuse to delete the head row or
move it backwards. So neither the application nor anyone using its database login by mistake can change
the trail; someone who owns the table can still switch the triggers off (ALTER TABLE ... DISABLE TRIGGER),
which is why the chain is also keyed and checkpointed. TRUNCATE does not fire row triggers (the tests
empty tables with it); an emptied table shows in `audit_verify` through the head row and the checkpoints.

SQLite has no such triggers here: on SQLite only the model, the keyed chain and the checkpoints protect
the trail. Plain SQL rather than django-pgtrigger, whose triggers any session can skip by setting
`pgtrigger.ignore`, without owning the table.
"""

from django.db import migrations

ENTRY_FUNCTION = "audit_entry_refuse_change"
ENTRY_TRIGGER = "audit_entry_append_only"
HEAD_FUNCTION = "audit_head_refuse_rewind"
HEAD_TRIGGER = "audit_head_forward_only"


def tables(apps, schema_editor):
    quote = schema_editor.quote_name
    return (
        quote(apps.get_model("audit", "AuditEntry")._meta.db_table),
        quote(apps.get_model("audit", "AuditHead")._meta.db_table),
    )


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entries, head = tables(apps, schema_editor)
    for sql in (
        f"""CREATE OR REPLACE FUNCTION {ENTRY_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'The audit trail is append-only: % of an entry refused.', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$""",
        f"""CREATE TRIGGER {ENTRY_TRIGGER} BEFORE UPDATE OR DELETE ON {entries}
            FOR EACH ROW EXECUTE FUNCTION {ENTRY_FUNCTION}()""",
        f"""CREATE OR REPLACE FUNCTION {HEAD_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq THEN
                RAISE EXCEPTION 'The audit head only moves forward: % refused.', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END
        $$""",
        f"""CREATE TRIGGER {HEAD_TRIGGER} BEFORE UPDATE OR DELETE ON {head}
            FOR EACH ROW EXECUTE FUNCTION {HEAD_FUNCTION}()""",
    ):
        schema_editor.execute(sql, params=None)  # no parameters: the % in the messages stay as they are


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entries, head = tables(apps, schema_editor)
    for sql in (
        f"DROP TRIGGER IF EXISTS {ENTRY_TRIGGER} ON {entries}",
        f"DROP FUNCTION IF EXISTS {ENTRY_FUNCTION}()",
        f"DROP TRIGGER IF EXISTS {HEAD_TRIGGER} ON {head}",
        f"DROP FUNCTION IF EXISTS {HEAD_FUNCTION}()",
    ):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_reseal_chain_with_audit_key"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
