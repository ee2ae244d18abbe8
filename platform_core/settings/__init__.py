"""Settings for Balai. One place declares SHARED_APPS (public schema) and TENANT_APPS (every village schema).

Configuration comes from the environment: DATABASE_URL, REDIS_URL, BASE_DOMAIN,
SECRET_KEY, DEBUG. Defaults point at the embedded servers of `make run`.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext

from platform_core.runtime.servers import (
    database_options,
    default_database_url,
    default_redis_url,
    process_role,
    var_dir,
)

django_stubs_ext.monkeypatch()  # admin.ModelAdmin[Model] etc. at runtime

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = var_dir()


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost")
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1"]

# --- Tenancy ---------------------------------------------------------------
# Village schemas stay lean: auth, sessions, contenttypes, admin log and Celery
# state live in public; every table below TENANT_APPS is multiplied by 2,651.
SHARED_APPS = [
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served locally, no CDN
    "platform_core.tenancy",
    "platform_core.wilayah",
    "platform_core.accounts",
    "platform_core.web",
    "platform_core.facts",
    "provinsi",
    "platform_core.operasi",  # migration state of the village schemas (issue 7)
]
TENANT_APPS = [
    "tenants.outbox",
    "tenants.penduduk",
    "tenants.surat",
    "tenants.mandiri",
    "tenants.keuangan",
    "tenants.pembangunan",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenancy.Village"
TENANT_DOMAIN_MODEL = "tenancy.Domain"
PUBLIC_SCHEMA_NAME = "public"
TEMPLATE_SCHEMA_NAME = "balai_template"
TENANT_LIMIT_SET_CALLS = True  # search_path once per request, not per cursor
HOST_CACHE_SECONDS = int(os.environ.get("BALAI_HOST_CACHE_SECONDS", "300"))

# Process role (BALAI_ROLE=web|worker|maintenance): connection lifetime and statement/lock
# timeouts per role, see platform_core.runtime.servers.ROLE_DATABASE and docs/operations.md.
BALAI_ROLE = process_role()
_CONN_MAX_AGE, _PG_OPTIONS = database_options(BALAI_ROLE)
DATABASES = {
    "default": {
        **dj_database_url.parse(os.environ.get("DATABASE_URL", default_database_url())),
        "ENGINE": "django_tenants.postgresql_backend",
        # Connection hygiene: a backend caches catalog entries of every schema it
        # touches; recycle connections before they walk the province.
        "CONN_MAX_AGE": _CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"application_name": os.environ.get("BALAI_PROCESS", "balai-web"), "options": _PG_OPTIONS},
    }
}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Province dashboards may read aggregates from a streaming replica (docs/scale-out.md).
if os.environ.get("DATABASE_REPLICA_URL"):
    from platform_core.replica import replica_database

    DATABASES["replica"] = replica_database(os.environ["DATABASE_REPLICA_URL"], DATABASES["default"])
    DATABASE_ROUTERS = ["platform_core.replica.ReplicaRouter", *DATABASE_ROUTERS]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", default_redis_url())
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
    # Keys that must mean the same thing whichever schema is active (routing
    # generation, sign-in throttle): no per-tenant prefix.
    "platform": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "balai",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
}

MIDDLEWARE = [
    "platform_core.observability.proxy.TrustedProxyMiddleware",  # REMOTE_ADDR = the client behind nginx
    # /sehat/, /siap/, /metrics on any host before anything else; times every request (by view).
    "platform_core.observability.middleware.ObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files first: no tenant lookup for them, and pages of unknown hosts still get CSS.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "platform_core.tenancy.middleware.VillageRoutingMiddleware",
    "platform_core.observability.middleware.VillageLogContextMiddleware",  # `desa` on every log line
    "platform_core.replica.ReplicaReadsMiddleware",  # province pages read the replica, when there is one
    "django.contrib.sessions.middleware.SessionMiddleware",
    "platform_core.web.locale.ChosenLanguageMiddleware",  # Indonesian unless the person switches
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "platform_core.facts.presence.PresenceMiddleware",  # operators seen working (throttled, 1/min)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "platform_core.web.security.ContentSecurityPolicyMiddleware",
]
ROOT_URLCONF = "platform_core.urls_village"
PUBLIC_SCHEMA_URLCONF = "platform_core.urls_public"
WSGI_APPLICATION = "platform_core.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform_core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "platform_core.web.context.balai",
            ]
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["platform_core.accounts.backends.ScopedModelBackend"]
LOGIN_URL = "masuk"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions are host-only cookies: signing in on one village's subdomain gives
# nothing on another's.
SESSION_COOKIE_DOMAIN = None
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Everything is served from our own origin (no CDN); no inline scripts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "platform_core" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from finders until collectstatic
STATICFILES_DIRS = [BASE_DIR / "platform_core" / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "platform_core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "platform_core.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Balai API",
    "DESCRIPTION": "API desa (per subdomain desa) dan provinsi. Semua data desa dibatasi ke desa pada host permintaan.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery ------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_MAX_TASKS_PER_CHILD = 500  # bounded catalog cache per worker process
CELERY_TIMEZONE = TIME_ZONE
# Publishing with the broker down fails fast instead of retrying for seconds inside a request: the
# transactional outbox (and import jobs) keep the work, and outbox_sweep enqueues it again.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# Composite score weights (issue 4): per pillar, the indicators that count and their weights.
# Configuration, not code; an indicator not listed does not count towards the score.
BALAI_SKOR_BOBOT: dict[str, dict[str, float]] = {
    "pemerintahan": {
        "kesegaran_hari": 1.0,
        "operator_aktif_minggu": 1.0,
        "apbdes_terbit": 1.0,
        "realisasi_persen": 1.0,
        "laporan_tepat_waktu": 1.0,
        "surat_median_jam": 0.5,
        "rasio_swalayan": 0.5,
    },
    "ekonomi": {"rasio_dd_bidang04": 1.0},
    "masyarakat": {"rasio_ktp_el": 1.0, "rasio_asuransi": 1.0, "rasio_tidak_bekerja": 1.0},
}
BALAI_SKOR_PILAR_BOBOT = {"pemerintahan": 1.0, "ekonomi": 1.0, "masyarakat": 1.0}
# A pillar is scored only when at least this many of its weighted indicators have a value (or all of
# them, when it has fewer): otherwise "belum ada data" rather than a score built from one number.
BALAI_SKOR_MIN_BERDATA = 2
# Consoles: while a region's data keeps changing, a cached section is recomputed at most once per this
# many seconds (stale-while-revalidate; pages are at most this far behind the fact table). 0 = never stale.
BALAI_KONSOL_BASI_DETIK = int(os.environ.get("BALAI_KONSOL_BASI_DETIK", "10"))

# Email (weekly digests): printed to the console in development; set EMAIL_BACKEND for real mail.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Balai <noreply@balai.localhost>")

from platform_core.observability.logging import logging_config  # noqa: E402  # beside its one use

# One console handler; every line carries `desa` (the village's code, "-" on the apex).
# JSON lines with BALAI_LOG_JSON=1 (production settings turn it on).
LOGGING = logging_config(json_logs=env_bool("BALAI_LOG_JSON", False), level=os.environ.get("LOG_LEVEL", "INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING above (JSON, `desa`)
