"""Database-wide pieces the village schemas use: pg_trgm (typo-tolerant name search) and
the append-only trigger function for history and access-log tables (one copy, in public)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION public.balai_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tabel % hanya boleh ditambah (append-only): % ditolak', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunSQL(APPEND_ONLY, reverse_sql="DROP FUNCTION IF EXISTS public.balai_append_only();"),
    ]
