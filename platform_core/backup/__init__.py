"""Backups of a province of village schemas (docs/backup.md).

- `cluster`: physical base backup of the whole cluster + WAL archive, point-in-time restore.
- `desa`: one village's schema as a pg_dump, restored in one transaction without touching the others.
- `arsip`: one village's data as a portable zip (CSV per table + manifest).
"""
