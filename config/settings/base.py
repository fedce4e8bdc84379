"""Settings shared by every environment; every secret and address comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "anymail",
    "django_prometheus",
    "core",
    "accounts",
    "courses",
    "learning",
    "purchases",
    "ratings",
    "pages",
    "blog",
    "legal",
]

# No LocaleMiddleware: the site is English only (no translated templates, no locale/), and
# with it a browser's Accept-Language switched Django's and allauth's own strings (form
# labels, errors, humanize) into that language on otherwise English pages, which the shared
# page cache could then serve to everyone. It was also a quarter of a bare request's time.
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the session: reading it may already go to the replica (core/db_router.py).
    "core.db_middleware.ReadYourWritesMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Innermost, so that a read retried on the primary re-runs only the view.
    "core.db_middleware.DatabaseUnavailableMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Django's cookie-then-session storage, with the cookie signer built only when needed.
MESSAGE_STORAGE = "core.messages.FallbackStorage"

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
                "core.context_processors.site",
                "core.context_processors.seo",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/dataschool"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming replica for the reads of web requests (core/db_router.py); none by default.
if env("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = {
        **env.db("REPLICA_DATABASE_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
for _alias in DATABASES.values():
    # django-prometheus' wrapper of the same backend: query counts and durations per alias.
    _alias["ENGINE"] = "django_prometheus.db.backends.postgresql"
    # A stopped server answers "refused" at once; this bounds an unreachable one.
    _alias.setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3)
    )
DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
READ_YOUR_WRITES_SECONDS = env.int("READ_YOUR_WRITES_SECONDS", default=10)
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "core.metrics.InstrumentedRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="dataschool"),
        "TIMEOUT": 300,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
            # A Redis outage degrades to uncached pages; the error is logged, not raised.
            "IGNORE_EXCEPTIONS": True,
        },
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "core.cache"
# cached_db: sessions read from Redis, written through to PostgreSQL, so a flush logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/1")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Redis or RabbitMQ (amqp://...): docs/scale-out.md says when to pick which. A task that
# outlives the visibility timeout (Redis) would run twice; the longest task (the reconcile
# sweep) takes seconds, so an hour is far above it. RabbitMQ's consumer_timeout (30 min by
# default) bounds an unacknowledged task the same way.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A task whose worker died (OOM, kill -9) goes back to the queue instead of being lost.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    # Payment events whose task never ran or failed, with backoff (purchases.services).
    "purchases-retry-unprocessed-events": {
        "task": "purchases.tasks.retry_unprocessed_events",
        "schedule": 60.0,
    },
    # Pending orders whose webhook may have been lost: ask the provider about the session.
    "purchases-reconcile-pending-orders": {
        "task": "purchases.tasks.reconcile_pending_orders",
        "schedule": 15 * 60.0,
    },
    # The day's drip sections, announced once per learner (learning.drip). Sections open at
    # midnight in TIME_ZONE; checking hourly announces them within the hour in any time zone
    # (a run finds nothing new once the day's emails are sent: each leaves a marker row).
    "learning-announce-opened-sections": {
        "task": "learning.tasks.announce_opened_sections",
        "schedule": 60 * 60.0,
    },
}

# --- Auth and accounts --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# A required "I accept the terms" box on sign-up (allauth adds it to the social sign-up form too).
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.TermsSignupForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Sign-up and password reset never reveal whether an address is registered: sign-up with a
# taken address shows the same "check your inbox" page and emails the owner instead.
ACCOUNT_PREVENT_ENUMERATION = True
# Adding or changing an email address, like two-factor changes, asks for the password again
# when the last login or password check is older than the timeout (accounts.adapters).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
MFA_REAUTHENTICATION_REQUIRED = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Data School] "
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Rate limits count the real client: behind N reverse proxies that append to X-Forwarded-For,
# the address the outermost trusted proxy saw; or a header a proxy sets (X-Real-IP,
# CF-Connecting-IP). With no proxy (0, the default) the header is ignored, as anyone can forge it.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="") or None
# allauth's rate limits stay on (its defaults), counted in the Redis cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Data School"

SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
# A first Google/GitHub sign-in shows the sign-up form, so the new learner accepts the terms
# (legal.TermsAcceptance) like everyone else; returning learners sign in at once.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_PROVIDERS: dict = {}
# A social login appears only when its keys are set.
if env("GOOGLE_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": env("GOOGLE_CLIENT_ID"), "secret": env("GOOGLE_CLIENT_SECRET")}],
        "SCOPE": ["profile", "email"],
    }
if env("GITHUB_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["github"] = {
        "APPS": [{"client_id": env("GITHUB_CLIENT_ID"), "secret": env("GITHUB_CLIENT_SECRET")}],
        "SCOPE": ["user:email"],
    }

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_MAX_PIXELS = 4096

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Only for the filebased backend (make cluster counts receipts there).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Data School <hello@dataschool.local>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ANYMAIL = {
    key: value
    for key, value in {
        "MAILGUN_API_KEY": env("MAILGUN_API_KEY", default=""),
        "MAILGUN_SENDER_DOMAIN": env("MAILGUN_SENDER_DOMAIN", default=""),
        "SENDGRID_API_KEY": env("SENDGRID_API_KEY", default=""),
        "POSTMARK_SERVER_TOKEN": env("POSTMARK_SERVER_TOKEN", default=""),
        "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default=""),
    }.items()
    if value
}

# --- Payments -----------------------------------------------------------------------------
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# "stripe", or "local": the test checkout on this site (DEBUG only; check --deploy errors).
PAYMENTS_GATEWAY = env("PAYMENTS_GATEWAY", default="stripe")

# --- Invoices and tax ---------------------------------------------------------------------
# The seller's legal details, printed on every invoice and credit note (copied onto the row
# when it is issued, so a later change never alters an issued document). In SELLER_ADDRESS a
# literal "\n" starts a new line.
SELLER_NAME = env("SELLER_NAME", default="Data School Demo Ltd")
SELLER_ADDRESS = env(
    "SELLER_ADDRESS", default="1 Example Street\\n1000 Brussels\\nBelgium"
).replace("\\n", "\n")
SELLER_VAT_ID = env("SELLER_VAT_ID", default="BE0123456789")
# The rate the local test gateway applies; with Stripe, Stripe Tax computes it per buyer.
TAX_RATE_PERCENT = env("TAX_RATE_PERCENT", default="21")  # a decimal, e.g. 20 or 5.5
# Whether course prices include tax (Stripe's tax_behavior "inclusive") or tax is added.
PRICES_INCLUDE_TAX = env.bool("PRICES_INCLUDE_TAX", default=True)
INVOICE_NUMBER_PREFIX = env("INVOICE_NUMBER_PREFIX", default="DS")

# --- I18n, static, media ------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Paid lesson files live apart from public media (never under MEDIA_ROOT, never behind the
# CDN) and leave only through the access-checked learning:lesson_file view. With X-Accel on,
# that view answers with X-Accel-Redirect to nginx's internal location at the prefix below
# (an alias of PROTECTED_MEDIA_ROOT), so gunicorn never streams the bytes: docs/protected-files.md.
PROTECTED_MEDIA_ROOT = env("PROTECTED_MEDIA_ROOT", default=str(BASE_DIR / "var" / "protected"))
PROTECTED_FILES_X_ACCEL = env.bool("PROTECTED_FILES_X_ACCEL", default=False)
PROTECTED_FILES_X_ACCEL_PREFIX = env("PROTECTED_FILES_X_ACCEL_PREFIX", default="/protected-files/")
# Snapshots of the uploads (manage.py backup_files): content-addressed copies and manifests.
FILE_BACKUP_DIR = env("FILE_BACKUP_DIR", default=str(BASE_DIR / "var" / "file-backups"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# bench/pages.py measures pages against /bench/hello/, a bare response through every
# middleware; it answers 404 unless DEBUG or this is on.
BENCH_HELLO = env.bool("BENCH_HELLO", default=False)

# --- Logging and errors -------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.security.DisallowedHost": {"level": "ERROR"},
        # WeasyPrint logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# /metrics answers loopback clients, and others that send "Authorization: Bearer <token>".
METRICS_TOKEN = env("METRICS_TOKEN", default="")

SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)

from core.sentry import init_sentry  # noqa: E402

init_sentry(SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces=SENTRY_TRACES_SAMPLE_RATE)

# --- SQL exercises (learning.sql_sandbox) -------------------------------------------------
# Learners' queries log in as their own role ("<database>_sqlrunner"); in production give it
# a password (and the same in pg_hba.conf), or point exercises at a replica of their own.
SQL_SANDBOX_PASSWORD = env("SQL_SANDBOX_PASSWORD", default="")
SQL_SANDBOX_TIMEOUT_MS = env.int("SQL_SANDBOX_TIMEOUT_MS", default=2000)
SQL_SANDBOX_ROW_LIMIT = env.int("SQL_SANDBOX_ROW_LIMIT", default=200)
# Runs of exercise queries a learner may make per minute (each run is two sandbox queries).
SQL_EXERCISE_RUNS_PER_MINUTE = env.int("SQL_EXERCISE_RUNS_PER_MINUTE", default=20)

# --- Signed certificates (learning.credentials) -------------------------------------------
# Ed25519 seed (32 bytes, base64) that signs Open Badges credentials. Empty: derived from
# SECRET_KEY (development). Generate one with:
#   python -c "import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"
CREDENTIALS_SIGNING_KEY = env("CREDENTIALS_SIGNING_KEY", default="")
