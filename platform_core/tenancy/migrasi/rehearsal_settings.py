"""Settings for a rehearsal subprocess: the project's, with MIGRATION_MODULES from the environment.

BALAI_REHEARSAL_MIGRATIONS="penduduk=some_package" (the package on PYTHONPATH); see rehearsal.py.
"""

import os

from platform_core.settings import *  # noqa: F403

MIGRATION_MODULES = dict(
    item.split("=", 1) for item in os.environ.get("BALAI_REHEARSAL_MIGRATIONS", "").split(",") if "=" in item
)
