"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the environment
(django-environ). With no variables set, the portal runs on embedded defaults: SQLite,
a file-system Celery broker and a file-system cache under ``var/``.
"""

import hashlib
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-hikikomori-support-portal")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "portal.core.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "django_filters",
    "django_htmx",
    "csp",
    "portal.core",
    "portal.accounts",
    "portal.municipalities",
    "portal.windows",
    "portal.casereviews",
    "portal.partners",
    "portal.meetings",
    "portal.training",
    "portal.guidebook",
    "portal.outreach",
    "portal.news",
    "portal.directory",
    "portal.subsidies",
    "portal.mailings",
    "portal.residents",
    "portal.consultations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sees every response on its way out, after all inner middleware (static files excepted).
    "portal.core.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.core.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Outside the session lifetime check, so that its sign-in redirect of a form is turned too.
    "portal.core.middleware.InterruptedPostMiddleware",
    "portal.accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.core.middleware.AuditContextMiddleware",
    # メール相談: the resident's own session, under its own cookie on the residents' path only.
    "portal.consultations.middleware.ResidentSessionMiddleware",
    "portal.accounts.middleware.ActiveOrganizationMiddleware",
    "portal.accounts.middleware.MfaEnforcementMiddleware",
]

# Browser features the portal's pages may use: security keys (WebAuthn sign-in) from the portal
# itself, nothing else (no camera, microphone, location, payment, sensors, USB).
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "camera=()",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
    ]
)

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Django's form templates, with the choice widgets (long selects, 500 check boxes) written in Python
FORM_RENDERER = "portal.core.widgets.Renderer"

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
                "portal.core.context_processors.portal",
            ],
            # {% url %} with the addresses of numbered objects filled in (portal/core/urltag.py)
            "builtins": ["portal.core.urltag"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server, Celery worker and beat share one file: wait for locks instead of failing,
    # and take the write lock at BEGIN so two writers never dead-lock on an upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's data is read from memory or SSD, where a page read at random costs about what a
    # page read in order does. PostgreSQL's default (4.0) is priced for spinning disks and made the
    # planner read all 50,000 people to join the 500 of one event's attendance list (21 ms instead
    # of 1.7 ms at national scale). PG_RANDOM_PAGE_COST sets it for the database server at hand.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Shared by every process on the machine, so login rate limits hold across them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Auth, sessions -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, each loading the signed-in person in one query (accounts/backends.py)
    "portal.accounts.backends.PortalModelBackend",
    "portal.accounts.backends.PortalAuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
CSRF_FAILURE_VIEW = "portal.core.views.csrf_failure"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "account_login"

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_IDLE_TIMEOUT = 30 * 60  # seconds without a request
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60  # seconds since sign-in, whatever the activity
# The last request's time is written to the session at most this often (seconds): the idle clock
# is kept to the minute instead of a database write on every page view. The middleware ends the
# session after exactly SESSION_IDLE_TIMEOUT; the stored session and its cookie live one such step
# longer so that they never end first.
SESSION_ACTIVITY_RESOLUTION = 60
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT + SESSION_ACTIVITY_RESOLUTION
SESSION_SAVE_EVERY_REQUEST = False  # the session is saved when the activity clock moves
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-allauth
ACCOUNT_ADAPTER = "portal.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[東京都ひきこもりサポートネット] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_ADAPTER = "portal.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=DEBUG)
MFA_TOTP_ISSUER = "東京都ひきこもりサポートネット"
MFA_TOTP_TOLERANCE = 1  # accept the neighbouring 30-second period (clock drift, slow typing)
# Fernet keys (url-safe base64, 32 bytes) for TOTP secrets and recovery seeds. The first key
# encrypts; all decrypt, so keys can be rotated. Development derives one from SECRET_KEY.
MFA_ENCRYPTION_KEYS = env.list(
    "MFA_ENCRYPTION_KEYS",
    default=[
        __import__("base64")
        .urlsafe_b64encode(hashlib.sha256(("mfa:" + SECRET_KEY).encode()).digest())
        .decode()
    ],
)

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous visitors get nothing

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
# The portal's catalogue, then its Japanese wording of django-allauth's own pages (full-width ：？).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views
# How a permitted download leaves: "" streams the file through Django (make run); "nginx" answers
# with X-Accel-Redirect to FILE_OFFLOAD_PREFIX + the stored name, and nginx sends the bytes (with
# ranges and validators), so a 200 MB video never holds a web worker. nginx maps the prefix to
# MEDIA_ROOT in an `internal` location (README, "Production").
FILE_OFFLOAD = env.str("FILE_OFFLOAD", default="")
FILE_OFFLOAD_PREFIX = env.str("FILE_OFFLOAD_PREFIX", default="/protected-media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="東京都ひきこもりサポートネット <noreply@example.jp>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    # Development: every mail is written to var/mail/ as a .log file (and kept in the outbox).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_TIMEOUT = 20

# --- Celery ---------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "outbox-flush": {"task": "core.outbox_flush", "schedule": 60.0},
    "outbox-prune": {"task": "core.outbox_prune", "schedule": crontab(hour=3, minute=30)},
    "hearing-deadline-reminders": {
        "task": "municipalities.deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "follow-up-overdue": {"task": "municipalities.overdue_actions", "schedule": crontab(hour=8, minute=10)},
    "case-meeting-reminders": {
        "task": "casereviews.meeting_reminders",
        "schedule": crontab(hour=8, minute=20),
    },
    "case-report-reminders": {"task": "casereviews.report_reminders", "schedule": crontab(hour=8, minute=30)},
    # Every registered purge kind (cases, drafts, 訪問相談 referrals, 巡回相談 bookings …): core.purge.
    "purge-due": {"task": "core.purge_due", "schedule": crontab(hour=3, minute=0)},
    "talent-bank-reminders": {"task": "partners.reminders", "schedule": crontab(hour=8, minute=40)},
    "event-offers-expire": {"task": "meetings.expire_offers", "schedule": crontab(minute="*/10")},
    "event-reminders": {"task": "meetings.reminders", "schedule": crontab(hour=8, minute=50)},
    "training-offers-expire": {"task": "training.expire_offers", "schedule": crontab(minute="*/10")},
    "training-reminders": {"task": "training.reminders", "schedule": crontab(hour=8, minute=55)},
    # Long jobs a dead worker left behind are started again.
    "guidebook-restart-stale-builds": {
        "task": "guidebook.restart_stale_builds",
        "schedule": crontab(minute="*/5"),
    },
    "training-restart-stale-batches": {
        "task": "training.restart_stale_batches",
        "schedule": crontab(minute="*/5"),
    },
    "mailings-restart-stale": {"task": "mailings.restart_stale", "schedule": crontab(minute="*/5")},
    # 巡回相談・訪問相談
    "outreach-reminders": {"task": "outreach.reminders", "schedule": crontab(hour=9, minute=0)},
    # 個別相談・家族セミナー（ご本人・ご家族の申込み）
    "residents-reminders": {"task": "residents.reminders", "schedule": crontab(hour=9, minute=5)},
    "residents-offers-expire": {"task": "residents.expire_offers", "schedule": crontab(minute="*/10")},
    # 立ち上げ支援補助
    "subsidy-reminders": {"task": "subsidies.reminders", "schedule": crontab(hour=9, minute=0)},
}

# --- Security headers (tightened further in production) --------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Portal ---------------------------------------------------------------------------------
CASE_FOLLOW_UP_MONTHS = env.int("CASE_FOLLOW_UP_MONTHS", default=3)  # report back after the advice
CASE_RETENTION_YEARS = env.int("CASE_RETENTION_YEARS", default=5)  # narrative purged after closing
# A case draft nobody saved for this many days is deleted (it never reached the secretariat).
CASE_DRAFT_RETENTION_DAYS = env.int("CASE_DRAFT_RETENTION_DAYS", default=90)
# 巡回相談 bookings (the resident's initial, contact route, topic) are erased this long after their day.
OUTREACH_BOOKING_RETENTION_DAYS = env.int("OUTREACH_BOOKING_RETENTION_DAYS", default=365)
TALENT_BANK_DEFAULT_QUOTA = env.int(
    "TALENT_BANK_DEFAULT_QUOTA", default=6
)  # per organisation, field and year
TALENT_BANK_AUTO_CONFIRM = env.bool("TALENT_BANK_AUTO_CONFIRM", default=False)
EVENT_OFFER_HOURS = env.int("EVENT_OFFER_HOURS", default=48)  # how long a freed seat waits for its taker
TRAINING_OFFER_HOURS = env.int("TRAINING_OFFER_HOURS", default=48)
INVITATION_VALID_DAYS = 7
# Sent and failed mail is deleted after this many days (queued and retrying mail never is).
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=90)
# Residents' applications (個別相談・家族セミナー): kept this many days after the day, then purged.
RESIDENTS_RETENTION_DAYS = env.int("RESIDENTS_RETENTION_DAYS", default=365)
RESIDENTS_OFFER_HOURS = env.int("RESIDENTS_OFFER_HOURS", default=48)  # an offered time waits this long
RESIDENTS_LINK_DAYS = env.int("RESIDENTS_LINK_DAYS", default=400)  # the cancel link in the letters
RESIDENTS_FORM_LIMIT_PER_IP = env.int("RESIDENTS_FORM_LIMIT_PER_IP", default=10)  # sends an hour
RESIDENTS_FORM_LIMIT_PER_CONTACT = env.int("RESIDENTS_FORM_LIMIT_PER_CONTACT", default=5)  # a day
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="hikikomori-demo")
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
# seed_demo (known password, known TOTP secret) runs only with DEBUG on, with its
# --i-know-this-is-not-production flag, or where this is True (the test settings).
DEMO_DATA_ALLOWED = False
# メール相談: replies within this many business days of receipt; a senior counsellor (coordinator)
# approves each reply before it is sent when MAIL_CONSULTATION_REVIEW is on.
MAIL_CONSULTATION_REPLY_DAYS = env.int("MAIL_CONSULTATION_REPLY_DAYS", default=3)
MAIL_CONSULTATION_REVIEW = env.bool("MAIL_CONSULTATION_REVIEW", default=False)
# Threads, 相談記録 and the accounts of residents who left are purged this long after the last contact.
CONSULTATION_RETENTION_DAYS = env.int("CONSULTATION_RETENTION_DAYS", default=3 * 365)
# The residents' session: its own cookie, sent only to the residents' pages.
RESIDENT_SESSION_COOKIE = "portal_resident"
RESIDENT_SESSION_PATH = "/consultation/"
RESIDENT_SESSION_IDLE = 30 * 60
RESIDENT_SIGNIN_LOCKOUT = (5, 15 * 60)  # failures per user number, then locked for this many seconds
RESIDENT_RATE_LIMIT = (20, 10 * 60)  # attempts per address per window (sign-in, reset, registration)
# Days on which the secretariat is closed besides weekends and national holidays (年末年始).
YEAR_END_CLOSURE = [(12, 29), (12, 30), (12, 31), (1, 2), (1, 3)]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Operations: request ids, metrics, error reports (README "Production") ----------------------
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "portal.core.logs.RequestIdMiddleware",
    "portal.core.metrics.QueryMetricsMiddleware",
    *MIDDLEWARE,
    "portal.core.errors.ErrorContextMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# /metrics answers a scraper that sends "Authorization: Bearer <METRICS_TOKEN>", or one connecting
# straight (not through the proxy) from one of these networks, e.g. 10.0.0.0/8; nobody else.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])

# Uploaded files on an S3-compatible bucket instead of MEDIA_ROOT (more than one web host): every host
# and worker reads and writes the same files. Downloads stay permission-checked and audited: they
# stream through Django (ranges included), or with FILE_OFFLOAD=presigned leave as a redirect to an
# address signed for FILE_OFFLOAD_SECONDS. The bucket encrypts every object (S3_SSE).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
FILE_OFFLOAD_SECONDS = env.int("FILE_OFFLOAD_SECONDS", default=60)
if MEDIA_STORAGE == "s3":
    _sse = env.str("S3_SSE", default="AES256")  # or aws:kms with S3_SSE_KMS_KEY_ID
    _bucket: dict = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID"),
            "secret_key": env.str("S3_SECRET_ACCESS_KEY"),
            "location": env.str("S3_PREFIX", default="media"),
            "default_acl": None,  # private: the bucket's policy, never public-read
            "querystring_auth": True,
            "querystring_expire": FILE_OFFLOAD_SECONDS,
            "file_overwrite": False,
            "object_parameters": {
                "ServerSideEncryption": _sse,
                **({"SSEKMSKeyId": env.str("S3_SSE_KMS_KEY_ID")} if _sse == "aws:kms" else {}),
            },
            "addressing_style": env.str("S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
        },
    }
    STORAGES["default"] = _bucket
elif MEDIA_STORAGE != "filesystem":
    raise ValueError(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}")
