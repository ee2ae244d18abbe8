"""`balai migrate` at province scale: shared apps, the template schema, then every village.

plan.py      migrates the template schema with Django and captures each migration's SQL once
executor.py  replays that SQL in the village schemas (batches, bounded parallelism, per-village
             transactions and state in `public`), stock Django only where SQL cannot do it
lint.py      refuses migrations that are unsafe for a rolling deploy over thousands of schemas

rehearsal.py a throw-away migration for the benchmark and the tests

See docs/migrations.md. (Nothing is imported here: rehearsal_settings must load before Django.)
"""
