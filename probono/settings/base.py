"""Base settings for Probono, read from the environment (12-factor)."""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # A one-line refusal: a traceback would bury the only thing the operator needs to know.
        sys.exit("Probono refuses to start: SECRET_KEY is not set and DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pages",
    "accounts",
    "matching",
    "notifications",
    "missions",
    "observatory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after security: every page Django answers carries both headers (see below).
    "csp.middleware.CSPMiddleware",
    "probono.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.EmailConfirmationMiddleware",  # an unconfirmed account cannot act
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Content-Security-Policy (django-csp 4): nothing inline, no other origin. The templates carry
# no <script>, <style> nor style=""; the charts' SVG is stripped of pygal's (observatory/
# charts.py). object-src and base-uri do not fall back to default-src, so they are spelt out.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (probono.middleware): no page uses these browser features, so none may.
# Only features browsers know: an unknown one (FLoC's interest-cohort, gone) is an error in
# the console of every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

ROOT_URLCONF = "probono.urls"
WSGI_APPLICATION = "probono.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Embedded default: a SQLite file in the git-ignored var/ folder, so `make run` needs no server.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'probono.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A kept connection is checked before a request reuses it: after PostgreSQL restarts, the first
# request on each stale connection was a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first; PBKDF2 kept after it so that older hashes still verify, and Django rehashes
# them with Argon2 at the next log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)
# Absolute links in e-mails sent by tasks, which have no request to build them from.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Probono <noreply@probono.localhost>")
# Where people report an accessibility problem (the accessibility statement, accessibilite/).
ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "ACCESSIBILITY_CONTACT_EMAIL", default="accessibilite@probono.localhost"
)
# Where people write about their personal data (the privacy notice, confidentialite/).
PRIVACY_CONTACT_EMAIL = env.str(
    "PRIVACY_CONTACT_EMAIL", default="donnees-personnelles@probono.localhost"
)

# Celery: with no broker URL, tasks run in-process (eager) so the embedded default needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# No result backend: nothing reads task results, and the Redis backend subscribes on every
# send and retries 20 × 1 s when Redis is down, which blocked web requests for 19 s.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Reliability: a task is acknowledged only once done, and re-queued if its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits, and what follows from them (tests/probono/test_settings.py holds the order):
# - soft < hard: a run past the soft limit records its own failure; the hard one kills it;
# - no run can last past the hard limit, so a run claimed longer ago than that lost its
#   worker (kill -9, out of memory): the next full pass marks it failed and redoes its needs;
# - the broker's visibility timeout exceeds the hard limit, so a task still running is never
#   delivered twice, and a dead worker's task comes back minutes later rather than after 1 h;
# - the full pass runs less often than that, so a pass never overlaps its own redeliveries.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
BROKER_VISIBILITY_TIMEOUT = CELERY_TASK_TIME_LIMIT + 60
CELERY_TASK_SERIALIZER = "json"
# Bounded broker waits: a web request must not hang when Redis is unreachable.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    "max_retries": 1,
}
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2

CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
MATCHING_FULL_PASS_EVERY_MINUTES = env.int("MATCHING_FULL_PASS_EVERY_MINUTES", default=30)
CELERY_BEAT_SCHEDULE = {
    # Catches every need left without proposals, e.g. published while the broker was down.
    "matching-full-pass": {
        "task": "matching.full_pass",
        "schedule": MATCHING_FULL_PASS_EVERY_MINUTES * 60,
    },
    # Reminds members of needs about to end, then expires the needs past their end.
    "matching-expire-needs": {"task": "matching.expire_needs", "schedule": 6 * 60 * 60},
    # Crontab hours are UTC (Celery's default timezone): early morning in France.
    "notifications-daily-digest": {
        "task": "notifications.send_daily_digests",
        "schedule": crontab(hour=5, minute=0),
    },
    # Sends the immediate e-mails the broker could not take when their step committed.
    "notifications-missed-emails": {"task": "notifications.send_missed_emails", "schedule": 900},
    "missions-answer-reminders": {
        "task": "missions.send_answer_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    "missions-expire-proposals": {
        "task": "missions.expire_proposals",
        "schedule": crontab(hour=4, minute=0),
    },
    "missions-close-forgotten": {
        "task": "missions.close_forgotten_missions",
        "schedule": crontab(hour=3, minute=30),
    },
    "missions-weekly-priorities": {
        "task": "missions.send_weekly_priorities",
        "schedule": crontab(day_of_week="mon", hour=6, minute=30),
    },
}
# Personal data (GDPR): accounts with no log-in for this long are anonymised by the retention
# job, after a warning e-mail sent this many days before.
ACCOUNT_RETENTION_INACTIVE_DAYS = env.int("ACCOUNT_RETENTION_INACTIVE_DAYS", default=3 * 365)
ACCOUNT_RETENTION_WARNING_DAYS = env.int("ACCOUNT_RETENTION_WARNING_DAYS", default=30)
CELERY_BEAT_SCHEDULE["accounts-retention"] = {
    "task": "accounts.apply_retention",
    "schedule": crontab(hour=2, minute=15),
}
# The privacy notice's version: a sign-up records the version the person agreed to.
# A date, with a suffix when the text changes twice the same day.
PRIVACY_NOTICE_VERSION = env.str("PRIVACY_NOTICE_VERSION", default="2026-11-28.2")
# Who hosts the service and where, and who sends its e-mails: named in the privacy notice
# (empty: the notice says the CRESS is to fill them in).
PRIVACY_HOSTING = env.str("PRIVACY_HOSTING", default="")
PRIVACY_EMAIL_PROVIDER = env.str("PRIVACY_EMAIL_PROVIDER", default="")
# How long the link that confirms a new account's e-mail address stays valid.
EMAIL_CONFIRMATION_DAYS = env.int("EMAIL_CONFIRMATION_DAYS", default=7)
# An account whose address was never confirmed is deleted this long after its sign-up by the
# retention job: anyone may sign up with another's address, which would keep its owner out.
UNCONFIRMED_ACCOUNT_DAYS = env.int("UNCONFIRMED_ACCOUNT_DAYS", default=EMAIL_CONFIRMATION_DAYS + 23)

NEED_EXPIRY_REMINDER_DAYS = env.int("NEED_EXPIRY_REMINDER_DAYS", default=7)

# The review and consent loop (missions/): when people are reminded, and when a proposal
# nobody acted on expires (which frees the volunteer's capacity and reopens the need).
REVIEW_REMINDER_DAYS = env.int("REVIEW_REMINDER_DAYS", default=7)
REVIEW_EXPIRY_DAYS = env.int("REVIEW_EXPIRY_DAYS", default=30)
ANSWER_REMINDER_DAYS = env.int("ANSWER_REMINDER_DAYS", default=5)
ANSWER_EXPIRY_DAYS = env.int("ANSWER_EXPIRY_DAYS", default=14)
# Missions with no hours for this many days are shown first to staff.
MISSION_IDLE_DAYS = env.int("MISSION_IDLE_DAYS", default=60)
# A mission nobody closed is closed this many days after its need's wished end.
MISSION_AUTO_CLOSE_DAYS = env.int("MISSION_AUTO_CLOSE_DAYS", default=30)

# Matching (see matching/matcher.py for how hours per month become a number of needs).
MATCHING_PROPOSALS_PER_NEED = env.int("MATCHING_PROPOSALS_PER_NEED", default=2)
MATCHING_HOURS_PER_SLOT = env.int("MATCHING_HOURS_PER_SLOT", default=8)
MATCHING_MAX_SLOTS_PER_OFFER = env.int("MATCHING_MAX_SLOTS_PER_OFFER", default=5)
# Only a speed setting: the engine prices left-out pairs back in until the result is exact.
MATCHING_MAX_CANDIDATES_PER_NEED = env.int("MATCHING_MAX_CANDIDATES_PER_NEED", default=60)
MATCHING_FULL_PASS_GROUPS = env.int("MATCHING_FULL_PASS_GROUPS", default=4)
# PostgreSQL work_mem for the matcher's reads (a run's transaction only).
MATCHING_WORK_MEM = env.str("MATCHING_WORK_MEM", default="64MB")
# A volunteer is asked (a proposal of theirs approved by the CRESS) at most this many times in
# 30 days; past that, the matcher proposes their offers again once the oldest ask ages out.
MATCHING_MAX_ASKS_PER_MONTH = env.int("MATCHING_MAX_ASKS_PER_MONTH", default=4)
# Score weights, passed to matching.engine.Weights: skill × level points, place (same
# département > neighbour > remote), availability overlap, waiting time (capped), and the
# equity boost for départements with few offers for their needs.
MATCHING_WEIGHTS = {
    "skill": 1.0,
    "junior": 1.0,
    "confirmed": 2.0,
    "expert": 3.0,
    "same_departement": 2.0,
    "neighbour": 1.0,
    "remote": 0.5,
    "availability": 1.0,
    "waiting": 1.0,
    "waiting_cap_days": 90,
    "equity": 1.5,
    "open_period_days": 180,
}

# The CRESS's region: the observatory's "whole territory" for regional staff.
OBSERVATORY_REGION = env.list("OBSERVATORY_REGION", default=["02", "59", "60", "62", "80"])

# Log-in throttling (django-axes). Failures count per account AND address: one person cannot
# lock a whole office (one address) out, nor an attacker lock an account out everywhere. The
# cool-off is finite and not extended by attempts made during it, so the owner gets back in.
INSTALLED_APPS.append("axes")
# Last, as axes asks: it turns the lock-out flag a log-in view raised into the lock-out page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "accounts.throttling.typed_email"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_COOLOFF_MESSAGE = _(
    "Trop de tentatives de connexion à ce compte depuis votre adresse : réessayez plus tard."
)
# Personal data: no record of every successful log-in (address, browser) kept forever.
AXES_DISABLE_ACCESS_LOG = True
# Behind reverse proxies, how many of them append to X-Forwarded-For (0: none, REMOTE_ADDR
# is the client). Read by accounts.throttling.client_address for log-ins and sign-ups.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sign-ups per address per hour, counted in the cache (CACHE_URL): Redis in production so that
# every worker shares one count; the embedded default is each process's own memory.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
SIGNUPS_PER_ADDRESS_PER_HOUR = env.int("SIGNUPS_PER_ADDRESS_PER_HOUR", default=5)
# Invitation e-mails one structure may send in a calendar day, « Renvoyer » included (each
# sending is capped at 200 addresses, accounts.forms_invitations): counted in the cache too.
INVITATIONS_PER_DAY = env.int("INVITATIONS_PER_DAY", default=500)

# The REST API (Django REST framework, schema by drf-spectacular; docs assets vendored by
# drf-spectacular-sidecar, no CDN). Tokens for partners' programs, the session for the
# browser (with its CSRF check on writes).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "probono.api.TokenAuthentication",  # DRF's, for confirmed accounts only
        "probono.api_guards.SessionAuthentication",  # DRF's, its CSRF refusal in French
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's pages carry inline script and style, which the
    # Content-Security-Policy refuses; /api/docs/ is the page for people.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's JSON parser, refusing too deep a nesting with a 400 rather than a RecursionError.
    "DEFAULT_PARSER_CLASSES": ["probono.api_guards.JSONParser"],
    # No OPTIONS answers (405): they described views by their English class names.
    "DEFAULT_METADATA_CLASS": None,
    # ?format= is the need filters' (the page's), not a choice of renderer.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # DRF's handler, with its English messages (the JSON parser's, a null body's) in French.
    "EXCEPTION_HANDLER": "probono.api_guards.errors_in_french",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Probono",
    "DESCRIPTION": "Besoins publiés, catalogue des compétences, besoins et offres de chacun, "
    "exports pour la CRESS. Jeton personnel : /api/jeton/ (en-tête "
    "`Authorization: Token <jeton>`) ; un jeton faux ou révoqué est refusé (401) même sur les "
    "lectures publiques : pour lire sans compte, n'envoyez pas d'en-tête. Les listes sont "
    f"paginées par {REST_FRAMEWORK['PAGE_SIZE']} (`?page=2`, liens `next` et `previous`). "
    "Le schéma est servi en YAML, en JSON avec l'en-tête `Accept: application/json`. "
    "Les messages d'erreur sont en français.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components: ids and dates are read-only, not sent.
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for the 101 départements, whichever field carries them.
    "ENUM_NAME_OVERRIDES": {"DepartementEnum": "accounts.departements.DEPARTEMENT_CHOICES"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "probono.api.add_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
