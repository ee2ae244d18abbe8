"""History, events and the access log are append-only in the database itself, not only by convention."""

from django.db import migrations

TABLES = ["penduduk_mutasi", "penduduk_akseslog", "penduduk_peristiwa"]

FORWARD = "\n".join(
    f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION public.balai_append_only();"
    for t in TABLES
)
BACKWARD = "\n".join(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in TABLES)


class Migration(migrations.Migration):
    dependencies = [("penduduk", "0001_initial"), ("tenancy", "0002_pg_trgm_append_only")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
