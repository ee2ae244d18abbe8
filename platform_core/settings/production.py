"""Production settings: `DJANGO_SETTINGS_MODULE=platform_core.settings.production`.

Everything comes from the environment (docs/deploy.md lists it). Required: SECRET_KEY,
DATABASE_URL, REDIS_URL, BASE_DOMAIN. Passes `manage.py check --deploy` with no warning
left but W021 (tested in tests/deploy/test_check_deploy.py).
"""

from __future__ import annotations

import os

from platform_core.observability.logging import logging_config
from platform_core.settings import *  # noqa: F403
from platform_core.settings import DATABASES, env_bool

for _required in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "BASE_DOMAIN"):
    if not os.environ.get(_required):
        raise RuntimeError(f"production settings need {_required} in the environment (docs/deploy.md)")

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]

# TLS ends at nginx / the Ingress, which sets X-Forwarded-Proto. /sehat/, /siap/ and /metrics
# are answered before SecurityMiddleware (ObservabilityMiddleware), so probes on plain HTTP
# inside the network are never redirected.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = False  # the Host header is the village's subdomain, as nginx passes it
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # every village is a subdomain of BASE_DOMAIN, all on TLS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REDIRECT_EXEMPT = [r"^sehat/$", r"^siap/$"]
# security.W021 (HSTS preload not set): joining the browsers' preload list is hard to undo and
# binds every subdomain of the domain for months; that is the deployment owner's decision
# (SECURE_HSTS_PRELOAD=1), not a default of the code.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# A probe or a request must not hang on an unreachable database.
DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"]["OPTIONS"],  # type: ignore[dict-item]  # a dict in the base settings
    "connect_timeout": int(os.environ.get("BALAI_DB_CONNECT_TIMEOUT", "5")),
}

# collectstatic runs in the image build (deploy/Dockerfile); WhiteNoise serves the result with
# pre-compressed copies. No finders at request time.
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# JSON lines on stdout, `desa` on every line (BALAI_LOG_JSON=0 for plain text).
LOGGING = logging_config(json_logs=env_bool("BALAI_LOG_JSON", True), level=os.environ.get("LOG_LEVEL", "INFO"))

# Real mail (weekly digests): EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and these.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", os.environ.get("DEFAULT_FROM_EMAIL", "balai@localhost"))
