"""The workflow history of a letter is append-only in the database itself."""

from django.db import migrations

FORWARD = (
    "CREATE TRIGGER surat_riwayat_append_only BEFORE UPDATE OR DELETE ON surat_riwayat "
    "FOR EACH ROW EXECUTE FUNCTION public.balai_append_only();"
)
BACKWARD = "DROP TRIGGER IF EXISTS surat_riwayat_append_only ON surat_riwayat;"


class Migration(migrations.Migration):
    dependencies = [("surat", "0001_initial"), ("tenancy", "0002_pg_trgm_append_only")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
