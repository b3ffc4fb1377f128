"""Settings shared by every environment. Values come from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("LHT_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc as our own static files

    "core.apps.AxesConfig",  # django-axes, with a translated name
    "core",
    "governance",
    "casework",
    "households",
    "disputes",
    "hazards",
    "petitions",
    "monitoring",
    "dashboards",
    "reports",
    "standards",
    "reception",
    "api",
    "outreach",
    "honours",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (a phone on a weak signal: the visit form's HTML from ~30 KB to ~6 KB); below WhiteNoise, which
    # serves its own compressed copies of the static files. Django pads the gzip stream against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.IdleSessionMiddleware",
    "core.middleware.DefaultChineseLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.LoginRequiredMiddleware",
    "core.middleware.PasswordChangeRequiredMiddleware",
    "core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'lianhutong.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "governance.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out pair is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading a county user's townships with the user (one query a page, as for anyone).
    "governance.backends.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login safety: lock a username at one address after 5 failures, for 15 minutes. Never a whole office
# behind one address (README.md, "Deploying": TRUSTED_PROXIES).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address (lockout, audit, reveal log): REMOTE_ADDR, or X-Forwarded-For when the request comes from one
# of TRUSTED_PROXIES (addresses or networks of the TLS reverse proxy, e.g. 172.16.0.0/12; none by default).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "core.addresses.client_ip"

# Sessions end after this many idle minutes, and this many hours after the login whatever the activity.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
# Activity renews the expiry at most once a minute (core.middleware.IdleSessionMiddleware).
SESSION_SAVE_EVERY_REQUEST = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Email: SMTP from EMAIL_URL; the console when none is given.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="联户通 <noreply@localhost>")

# Celery. The default is kombu's filesystem transport under var/, so `make run` needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default="filesystem://"))
CELERY_BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    "worker-heartbeat": {"task": "core.tasks.worker_heartbeat", "schedule": 60.0},
}

# Redis for the cache when there is one; local memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # A request's session read from Redis, written through to PostgreSQL: one query less a page (a quarter of what a
    # request costs before its view: docs/benchmarks.md). Only with Redis: every process then reads the same cache,
    # so a logout or an expiry is seen by all of them (a process's own memory would keep serving a dead session).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"  # a list's own rows: templates/*/tables/
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Content-Security-Policy: our own origin only (no CDN, no inline script).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusals": {"()": "core.logfilters.NoTracebackForRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- backups ---
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

# --- case numbers ---
# Every case type numbers its cases <prefix>-<year>-<sequence> (JF-2026-0001), counted per township and year
# (casework.models.case_number). The prefix is the case type's, by app label; each can be set from the environment.
CASE_NUMBER_PREFIXES = {
    "disputes": env.str("DISPUTES_NUMBER_PREFIX", default="JF"),
    "petitions": env.str("PETITIONS_NUMBER_PREFIX", default="XF"),
    "hazards": env.str("HAZARDS_NUMBER_PREFIX", default="YH"),
    "monitoring": env.str("MONITORING_NUMBER_PREFIX", default="FP"),
    "households": env.str("DEMANDS_NUMBER_PREFIX", default="SQ"),  # 诉求 (households.Demand)
}

# --- rectification (整改, casework/rectification.py) and hazards ---
# The re-check clock: a reported rectification is re-checked within this many working days.
RECTIFICATION_RECHECK_WORKING_DAYS = env.int("RECTIFICATION_RECHECK_WORKING_DAYS", default=3)
# 整改率 targets of the township plans: 一般隐患 at least 95%, 重大隐患 100%.
HAZARDS_TARGET_GENERAL = env.float("HAZARDS_TARGET_GENERAL", default=0.95)
HAZARDS_TARGET_MAJOR = env.float("HAZARDS_TARGET_MAJOR", default=1.0)
HAZARDS_PHOTOS_PER_STEP = env.int("HAZARDS_PHOTOS_PER_STEP", default=5)

# --- disputes ---
# The default 办结时限 of a dispute's responsibility assignment (包案), in working days from the day it is set.
DISPUTES_DEADLINE_WORKING_DAYS = env.int("DISPUTES_DEADLINE_WORKING_DAYS", default=15)

# --- monitoring (防返贫动态监测) ---
# From the first lead to the county's decision, in days (Qinan: 15; Hainan uses 20 working days).
MONITORING_DECISION_DAYS = env.int("MONITORING_DECISION_DAYS", default=15)
# The village publicity (评议公示) lasts at least this many days and cannot end earlier.
MONITORING_PUBLICITY_MIN_DAYS = env.int("MONITORING_PUBLICITY_MIN_DAYS", default=5)

# --- reminders ---
# The deadline reminder scan (casework/reminders.py): every REMINDER_SCAN_INTERVAL seconds. The stages are
# "due in N working days" for each N below, "due today", "overdue", and the escalation to the supervisors
# after REMINDER_ESCALATE_AFTER working days overdue (0 turns the escalation off).
REMINDER_SCAN_INTERVAL = env.int("REMINDER_SCAN_INTERVAL", default=15 * 60)
REMINDER_DUE_SOON = sorted(set(env.list("REMINDER_DUE_SOON", cast=int, default=[3, 1])), reverse=True)
REMINDER_ESCALATE_AFTER = env.int("REMINDER_ESCALATE_AFTER", default=3)
# /healthz fails when no scan has finished yet although one is expected (besides: once a worker has beaten).
REMINDER_SCAN_REQUIRED = env.bool("REMINDER_SCAN_REQUIRED", default=False)
# Delivery of email and webhook notifications: attempts, exponential backoff (seconds) and its cap, how long a
# claimed row may stay "sending" before another worker may take it over, and the webhook timeout.
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=10)
NOTIFY_BACKOFF = env.int("NOTIFY_BACKOFF", default=60)
NOTIFY_BACKOFF_MAX = env.int("NOTIFY_BACKOFF_MAX", default=3600)
NOTIFY_CLAIM_TIMEOUT = env.int("NOTIFY_CLAIM_TIMEOUT", default=600)
NOTIFY_WEBHOOK_TIMEOUT = env.float("NOTIFY_WEBHOOK_TIMEOUT", default=10.0)
# Hosts a webhook may post to ("*" for any): the server must not become a way into the township's network.
NOTIFY_WEBHOOK_HOSTS = env.list("NOTIFY_WEBHOOK_HOSTS", default=["qyapi.weixin.qq.com", "oapi.dingtalk.com"])
# A group robot (WeCom's or DingTalk's) takes at most 20 messages a minute: the township's robot gets one digest per
# scan tick, split by the robot's size limit, and never more than this many messages in any 60 seconds.
NOTIFY_ROBOT_PER_MINUTE = env.int("NOTIFY_ROBOT_PER_MINUTE", default=20)
# WeCom (企业微信) self-built application: application messages to a person (User.wecom_userid) and sign-in from
# inside WeCom (OAuth code flow). Empty: neither is offered. The base addresses change only for a private deployment.
WECOM_CORP_ID = env.str("WECOM_CORP_ID", default="")
WECOM_AGENT_ID = env.str("WECOM_AGENT_ID", default="")
WECOM_SECRET = env.str("WECOM_SECRET", default="")
WECOM_API_BASE = env.str("WECOM_API_BASE", default="https://qyapi.weixin.qq.com").rstrip("/")
WECOM_OAUTH_URL = env.str("WECOM_OAUTH_URL", default="https://open.weixin.qq.com/connect/oauth2/authorize")
# DingTalk (钉钉) application for sign-in (OAuth 2.0, the person known by User.dingtalk_unionid). Empty: not offered.
DINGTALK_CLIENT_ID = env.str("DINGTALK_CLIENT_ID", default="")
DINGTALK_CLIENT_SECRET = env.str("DINGTALK_CLIENT_SECRET", default="")
DINGTALK_API_BASE = env.str("DINGTALK_API_BASE", default="https://api.dingtalk.com").rstrip("/")
DINGTALK_OAUTH_URL = env.str("DINGTALK_OAUTH_URL", default="https://login.dingtalk.com/oauth2/auth")
# The address the links in emails and webhook messages start with.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CELERY_BEAT_SCHEDULE.update({
    "reminder-scan": {"task": "casework.tasks.scan_reminders", "schedule": float(REMINDER_SCAN_INTERVAL)},
})

# --- petitions ---
# 信访工作条例 (2022): decide acceptance within 15 days of receipt, handle within 60 days of acceptance, one
# extension of at most 30 days. Calendar days (the regulation says 日, not 工作日).
PETITION_ACCEPT_DAYS = env.int("PETITION_ACCEPT_DAYS", default=15)
PETITION_HANDLE_DAYS = env.int("PETITION_HANDLE_DAYS", default=60)
PETITION_EXTENSION_MAX_DAYS = env.int("PETITION_EXTENSION_MAX_DAYS", default=30)

# --- households ---
# Role-held permissions of the registry (reveal an ID number or phone, see focus tags, read the reveal log).
# Before ModelBackend: has_perm stops at the first backend that grants, so a role's permission is answered without
# ModelBackend's two queries (user and group permissions) on every page that asks. It authenticates nobody.
AUTHENTICATION_BACKENDS = [AUTHENTICATION_BACKENDS[0], "households.permissions.RolePermissionBackend",
                           *AUTHENTICATION_BACKENDS[1:]]
# Full ID numbers and phones revealed per user and minute (the next is refused until the minute is over).
HOUSEHOLDS_REVEALS_PER_MINUTE = env.int("HOUSEHOLDS_REVEALS_PER_MINUTE", default=10)
# Care cadence (关爱走访频次): at most this many days between visits to a household with the tag (on the
# household or one of its members). Households past it are listed for their household head and grid.
CARE_CADENCE_DAYS = env.json(
    "CARE_CADENCE_DAYS",
    default={
        "elderly-alone": 7, "elderly-left-behind": 14, "children-left-behind": 30, "disabled": 30,
        "subsistence": 30, "watch-unstable": 30, "watch-edge": 30, "watch-sudden": 14, "house-unsafe": 14,
    },
)
# A household head with more households than this is flagged (the norm is about ten, 十联户).
HOUSEHOLDS_PER_HEAD_WARN_ABOVE = env.int("HOUSEHOLDS_PER_HEAD_WARN_ABOVE", default=15)
# Roster import: the largest file; a file above INLINE_BYTES is checked, and one above INLINE_ROWS rows is
# written, by the worker while the page shows progress; smaller ones within the request.
HOUSEHOLDS_IMPORT_MAX_MB = env.int("HOUSEHOLDS_IMPORT_MAX_MB", default=10)
HOUSEHOLDS_IMPORT_INLINE_BYTES = env.int("HOUSEHOLDS_IMPORT_INLINE_BYTES", default=400_000)
HOUSEHOLDS_IMPORT_INLINE_ROWS = env.int("HOUSEHOLDS_IMPORT_INLINE_ROWS", default=3000)
# The most rows one import may have: reading stops there and the file is refused (split it). 100,000 rows took 87 s
# and 554 MiB in the worker; a township's roster is imported a village or a few at a time.
ROSTER_MAX_ROWS = env.int("ROSTER_MAX_ROWS", default=20_000)
# Visit photos and uploaded rosters, served only by scoped views (never a media URL; names are random). Under
# MEDIA_ROOT by default so that web and worker share them through the media volume (docker-compose.yml).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(MEDIA_ROOT / "private")))
# Visit photos: how many, how large an upload, and the longest side kept after re-encoding.
HOUSEHOLDS_PHOTOS_PER_VISIT = env.int("HOUSEHOLDS_PHOTOS_PER_VISIT", default=5)
HOUSEHOLDS_PHOTO_MAX_MB = env.int("HOUSEHOLDS_PHOTO_MAX_MB", default=8)
HOUSEHOLDS_PHOTO_MAX_SIDE = env.int("HOUSEHOLDS_PHOTO_MAX_SIDE", default=1600)

# --- health ---
# /healthz asks the Celery workers for a ping and waits this long (seconds) for an answer (on a real broker; with
# the filesystem broker of `make run` it reads the worker's heartbeat instead).
HEALTH_PING_TIMEOUT = env.float("HEALTH_PING_TIMEOUT", default=1.0)

# --- dashboards ---
# The dashboard's figures are cached this many seconds (Redis in production, local memory in `make run`), keyed by
# the user, their scope, the filters, the day and the language.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)

# 群众接待日: a leader who cannot come records the swap at least this many days before the session.
RECEPTION_SWAP_DAYS_AHEAD = env.int("RECEPTION_SWAP_DAYS_AHEAD", default=5)
CELERY_BEAT_SCHEDULE.update({
    "reception-daily": {"task": "reception.tasks.flag_missed_sessions", "schedule": 3600.0},
    # The day-before notice to the leaders on duty and the walk-ins without an outcome: each morning at 08:00.
    "reception-reminders": {"task": "reception.tasks.remind_reception", "schedule": crontab(hour=8, minute=0)},
})

# --- the REST API (api/, docs/api.md) ---
# Requests a minute per token (or per logged-in user): reads, and writes (visits, demands).
API_RATE_READ = env.str("API_RATE_READ", default="1200/min")
API_RATE_WRITE = env.str("API_RATE_WRITE", default="120/min")
# An Idempotency-Key's first answer is kept this many days (a retry after that is a new write).
API_IDEMPOTENCY_DAYS = env.int("API_IDEMPOTENCY_DAYS", default=7)
CELERY_BEAT_SCHEDULE.update({
    "api-idempotency-purge": {"task": "api.tasks.purge_idempotency_records", "schedule": crontab(hour=3, minute=30)},
})
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication",
                                       "rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.UpdatedCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "联户通 API",
    "DESCRIPTION": "Scoped read endpoints and idempotent writes of visits and demands (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_errors"],
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "VisitMethodEnum": "households.models.Visit.Method",
        "MediationMethodEnum": "disputes.models.Dispute.Method",
        "DisputeStatusEnum": "disputes.models.Dispute.Status",
        "PetitionStatusEnum": "petitions.models.Petition.Status",
        "RectificationStatusEnum": "casework.rectification.RectificationStatus",
        "MonitoringStatusEnum": "monitoring.models.MonitoringCase.Status",
        "HeadStatusEnum": "governance.models.HouseholdHead.Status",
        "DisputeLevelEnum": "disputes.models.Dispute.Level",
    },
}
# 考核: a dispute, hazard or demand counts as reported on time when registered within this many days of being found.
ASSESSMENT_REPORT_DAYS = env.int("ASSESSMENT_REPORT_DAYS", default=1)
CELERY_BEAT_SCHEDULE.update({
    # Period closed, publicity ended, appeals due: each morning at 08:10, each notice once.
    "assessment-reminders": {"task": "assessment.tasks.remind_assessment", "schedule": crontab(hour=8, minute=10)},
    # 红黑榜: a rule's list due and not drafted, a black entry's 整改 due or overdue; each notice once.
    "honours-reminders": {"task": "honours.tasks.remind_honours", "schedule": crontab(hour=8, minute=20)},
})
