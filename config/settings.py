"""All settings of the clinic scheduler, read from the environment (see .env.example)."""

import os
from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

from config.parallel_runs import broker_folder_name, redis_url_for, worker_number
from config.production import require_production_settings, require_sms_settings

# Lets admin and serializer classes take type parameters at run time, as in the stubs.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The development default is only usable with DEBUG on; production must set its own.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key" if DEBUG else "")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "drf_spectacular",
    "django_celery_beat",
    "django_htmx",
    "scheduler",
    "bookings",
    "reminders",
]
if DEBUG:
    # Development tools (the clinic generator's command) never ship in production.
    INSTALLED_APPS.append("benchmarks")

MIDDLEWARE = [
    "config.request_log.RequestLogMiddleware",
    # Before the session and authentication, which would look up a NUL-laden cookie.
    "config.request_guard.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a sign-in refused by the lock-out into its 429 answer.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reminders.context_processors.inbox_badge",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes SQLite's write lock at BEGIN, so the booking service's overlap
    # check and its insert cannot interleave with another writer's.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# Django's cache keeps the request throttles' counts (the public API's and the link
# pages', reminders/links/throttles.py). Web processes must share it, or each counts a
# burst of guesses alone: docker-compose.yml points it at Redis (`check --deploy` warns
# otherwise). The embedded default counts in each process.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Reusing connections halves a booking's latency (a new PostgreSQL connection per
# request costs ~20 ms); the health check drops ones the server closed meanwhile.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username is refused before its password is checked.
    "config.signin.SignInGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in guard (config/signin.py): this many wrong passwords for one username lock
# it for this many minutes, on the login page and /api/v1/auth/token/ alike.
SIGNIN_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
SIGNIN_LOCKOUT_MINUTES = env.int("SIGNIN_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGNIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Axes warns that a lock without the address can be dodged by changing user agent or
# cookies; a lock on the username cannot, and the address alone would lock every
# desk behind the clinic's one public address (see config/signin.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.signin.lockout_response"
AXES_CLIENT_STR_CALLABLE = "config.signin.client_for_log"
# Successful sign-ins are not kept: only failures are needed to lock.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# API tokens (config/api_auth.py) stop working this many hours after sign-in.
API_TOKEN_HOURS = env.int("API_TOKEN_HOURS", default=12)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
LOGIN_URL = "bookings:login"
LOGIN_REDIRECT_URL = "bookings:home"
LOGOUT_REDIRECT_URL = "bookings:login"

CLINIC_NAME = env.str("CLINIC_NAME", default="Lakeshore Clinic")
CLINIC_PHONE = env.str("CLINIC_PHONE", default="+1 416 555 0199")
CLINIC_TIME_ZONE = env.str("CLINIC_TIME_ZONE", default="America/Toronto")
# Phone numbers typed without a country code are read as numbers of this region.
CLINIC_PHONE_REGION = env.str("CLINIC_PHONE_REGION", default="CA")
# How the pages write a time of day: "24h" (14:30) or "12h" (2:30 PM).
CLINIC_CLOCK = env.str("CLINIC_CLOCK", default="24h")
if CLINIC_CLOCK not in ("12h", "24h"):
    raise ImproperlyConfigured(f"CLINIC_CLOCK must be 12h or 24h, not {CLINIC_CLOCK!r}.")

LANGUAGE_CODE = "en-ca"
TIME_ZONE = CLINIC_TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The image collects into the default; tests collect into a temporary folder.
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.token_auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "config.pagination.ListPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "config.api_error_codes.exception_handler",
    # The patient link's public API (reminders/links/api.py) and its pages (/p/<token>…,
    # reminders/links/throttles.py), per address, counted together: a burst of guesses
    # at dates of birth is answered 429 before the link's own lock-out.
    "DEFAULT_THROTTLE_RATES": {
        "patient_link": env.str("PATIENT_LINK_RATE", default="120/min"),
        "patient_link_verify": env.str("PATIENT_LINK_VERIFY_RATE", default="20/min"),
    },
}
# true opens /api/schema/ and /api/docs/ to anyone; otherwise a signed-in user only
# (config/api_docs.py).
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
SPECTACULAR_SETTINGS = {
    "TITLE": "Clinic scheduler API",
    "DESCRIPTION": "Patients, the care pathway, appointments, recalls and SMS of the clinic.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Error answers and filter values the views do not declare (config/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.openapi.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AppointmentKindEnum": "scheduler.models.Kind",
        "RecallKindEnum": "reminders.models.RecallKind",
    },
}

# Booking rules (docs/rules.md#pathway); kept here so a clinic can tune them without code.
PRESCRIPTION_VALIDITY_DAYS = env.int("PRESCRIPTION_VALIDITY_DAYS", default=365)
# How long a reconstituted vial keeps (docs/rules.md#lots-and-the-injection-record).
VIAL_USE_HOURS = env.int("VIAL_USE_HOURS", default=24)
COSMETIC_EXAM_VALIDITY_DAYS = env.int("COSMETIC_EXAM_VALIDITY_DAYS", default=365)
DOSE_LIMIT_UNITS = env.int("DOSE_LIMIT_UNITS", default=400)
DOSE_WINDOW_DAYS = env.int("DOSE_WINDOW_DAYS", default=84)
SLOT_GRID_MINUTES = 15

# Celery: Redis when REDIS_URL / CELERY_BROKER_URL is set, otherwise a broker on the
# local disk that needs no server (fine for one machine, not for a cluster).
# A parallel test process takes its own database on that server (config/parallel_runs.py).
REDIS_URL = redis_url_for(env.str("REDIS_URL", default=""), worker_number())
# The host part means nothing to the filesystem transport, but without one kombu warns
# "No hostname was supplied" on every start.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/")
BROKER_DIR = VAR_DIR / broker_folder_name(worker_number())
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
    # The filesystem transport crashes on missing folders rather than making them.
    for _folder in ("queue", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    # Must exceed the longest task time limit, or Redis redelivers tasks still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
DJANGO_CELERY_BEAT_TZ_AWARE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"mask_link_tokens": {"()": "config.request_log.MaskLinkTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_link_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # "Not Found: /p/<token>" and the like: masked where they are logged.
        "django.request": {"filters": ["mask_link_tokens"]},
        "django.server": {"filters": ["mask_link_tokens"]},
        "django.security.csrf": {"filters": ["mask_link_tokens"]},
    },
}

SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())

# --- Production ---
if not DEBUG:
    require_production_settings(os.environ)
    # TLS ends at the proxy; it must set X-Forwarded-Proto so Django (and the Twilio
    # signature check, which needs the https URL) sees the request as secure.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain http.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
_public = env.str("PUBLIC_BASE_URL", default="")
CSRF_TRUSTED_ORIGINS = [_public.rstrip("/")] if _public.startswith("http") else []

# --- Recalls and SMS ---
# Booking changes reach reminders through these handlers (bookings never imports it).
BOOKING_EVENT_HANDLERS = [
    "reminders.recalls.handle_booking_event",
    "reminders.links.confirmations.handle_booking_event",
    "reminders.offers.freeing.handle_booking_event",
]
# Time a practitioner gains (new hours, time off taken back) reaches the waitlist offers.
SCHEDULER_EVENT_HANDLERS = ["reminders.offers.freeing.handle_scheduler_event"]
# Templates other apps add to the patient page (bookings renders them, never imports them).
PATIENT_PAGE_PANELS = [
    "reminders/_patient_follow_ups.html",
    "reminders/_patient_waitlist.html",
]
# Consent and opt-out changes made by staff join reminders' consent history.
PATIENT_CONSENT_HANDLERS = ["reminders.consent.record_consent_change"]
# `console` prints each SMS (development, demo); `twilio` sends through Twilio.
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
# Only tests point the real client elsewhere (a fake Twilio on 127.0.0.1).
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="")
# The https address Twilio reaches us at: status callbacks and webhook signatures use it.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="")
require_sms_settings(os.environ)
# The name texts use; set it when CLINIC_NAME itself names a treatment or product.
SMS_CLINIC_NAME = env.str("SMS_CLINIC_NAME", default=CLINIC_NAME)
SMS_MAX_PER_SECOND = env.int("SMS_MAX_PER_SECOND", default=1)
SMS_QUIET_HOURS = env.str("SMS_QUIET_HOURS", default="20:00-09:00")
# One budget per patient for every text the clinic starts (the healthcare exemption's
# caps); answers to the patient's own texts are not counted. docs/rules.md#texts
SMS_MAX_PER_DAY = env.int("SMS_MAX_PER_DAY", default=1)
SMS_MAX_PER_WEEK = env.int("SMS_MAX_PER_WEEK", default=3)
SMS_HTTP_TIMEOUT_SECONDS = env.float("SMS_HTTP_TIMEOUT_SECONDS", default=10.0)
SMS_SEND_TRIES = env.int("SMS_SEND_TRIES", default=3)
SMS_RETRY_BACKOFF_SECONDS = env.float("SMS_RETRY_BACKOFF_SECONDS", default=1.0)
SMS_RETRY_LATER_SECONDS = env.int("SMS_RETRY_LATER_SECONDS", default=300)
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=5)
SMS_DISPATCH_BATCH = env.int("SMS_DISPATCH_BATCH", default=200)
SMS_REDISPATCH_AFTER_SECONDS = env.int("SMS_REDISPATCH_AFTER_SECONDS", default=900)
RECALL_DUE_SOON_LEAD_DAYS = env.int("RECALL_DUE_SOON_LEAD_DAYS", default=14)
RECALL_OVERDUE_AFTER_DAYS = env.int("RECALL_OVERDUE_AFTER_DAYS", default=28)
RECALL_LAPSE_AFTER_DAYS = env.int("RECALL_LAPSE_AFTER_DAYS", default=90)
REVIEW_REMINDER_LEAD_DAYS = env.int("REVIEW_REMINDER_LEAD_DAYS", default=2)
APPOINTMENT_REMINDER_HOURS = env.int("APPOINTMENT_REMINDER_HOURS", default=24)
# Interval schedules (not crontab: DST); the sweeps read the database, so a missed or
# repeated tick changes nothing. Upserted into django-celery-beat when beat starts.
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    **{
        name: {"task": f"reminders.tasks.{task}", "schedule": every}
        for name, task, every in (
            (
                "sweep-recalls",
                "sweep_recalls_task",
                timedelta(minutes=env.int("RECALL_SWEEP_MINUTES", default=60)),
            ),
            (
                "queue-appointment-reminders",
                "queue_appointment_reminders_task",
                timedelta(minutes=15),
            ),
            (
                "dispatch-sms",
                "dispatch_messages_task",
                timedelta(seconds=env.int("SMS_DISPATCH_SECONDS", default=60)),
            ),
            # Holds run out, freed times whose task never ran, entries and offers that ended.
            ("sweep-waitlist-offers", "sweep_offers_task", timedelta(minutes=1)),
        )
    },
}
# Sends wait on the global rate limit: keep them off the queue the sweeps use.
CELERY_TASK_ROUTES = {"reminders.tasks.send_sms_task": {"queue": "sms"}}
# A patient may cancel from their link until this many hours before the start.
SELF_CANCEL_HOURS = env.int("SELF_CANCEL_HOURS", default=24)
# Freed time is offered to this many fitting waitlist patients at once, each offer held
# this many minutes before the next patients are asked (docs/rules.md#waitlist).
WAITLIST_OFFER_BATCH = env.int("WAITLIST_OFFER_BATCH", default=3)
WAITLIST_HOLD_MINUTES = env.int("WAITLIST_HOLD_MINUTES", default=20)
# Starts of newly opened time (new hours, time off taken back) offered per change at most.
WAITLIST_STARTS_PER_CHANGE = env.int("WAITLIST_STARTS_PER_CHANGE", default=8)
