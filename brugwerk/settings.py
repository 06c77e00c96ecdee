"""Django settings for Brugwerk.

Two modes. Development/demo (the default): SQLite under var/, DEBUG only when BRUGWERK_DEBUG is set.
Production (BRUGWERK_ENV=production): DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS are required, and
every security setting is at its strict value so that `check --deploy --fail-level WARNING` passes.
"""

import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from brugwerk.env import ConfigurationError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BRUGWERK_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("BRUGWERK_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ConfigurationError("BRUGWERK_ENV must be development, test or production.")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)
    DEBUG = False
    if not env_str("DATABASE_URL"):
        raise ConfigurationError("DATABASE_URL must point at PostgreSQL in production.")
else:
    SECRET_KEY = env_str("SECRET_KEY", "brugwerk-development-only-not-secret-" + "x" * 30)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
    DEBUG = env_bool("BRUGWERK_DEBUG", False)

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'brugwerk.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the live server and the browser tests write side by side.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "brugwerk.access",
    "brugwerk.core",
    "brugwerk.accounts",
    "brugwerk.audit",
    "brugwerk.regions",
    "brugwerk.network",
    "brugwerk.pool",
    "brugwerk.vocabularies",
    "brugwerk.cases",
    "brugwerk.agenda",
    "brugwerk.expertise",
    "brugwerk.signals",
    "brugwerk.groups",
    "brugwerk.cooperation",
    "brugwerk.learning",
    "brugwerk.timeuse",
    "brugwerk.home",
    "brugwerk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and CSRF middleware, so it sees the cookies they set; static files are
    # answered by WhiteNoise above and keep their caching.
    "brugwerk.accounts.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "brugwerk.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "brugwerk.audit.reads.ReadsMiddleware",
]

ROOT_URLCONF = "brugwerk.urls"
WSGI_APPLICATION = "brugwerk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "brugwerk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "brugwerk.home.context_processors.navigation",
            ],
        },
    }
]

# --- Accounts, 2FA, lockout, sessions -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "brugwerk.accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:start"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor authentication is required for every role that can see personal data. Only the demo
# (BRUGWERK_DEMO_MODE) may switch it off, and production refuses to.
BRUGWERK_DEMO_MODE = env_bool("BRUGWERK_DEMO_MODE", False)
if PRODUCTION and BRUGWERK_DEMO_MODE:
    raise ConfigurationError("BRUGWERK_DEMO_MODE cannot be used in production.")
BRUGWERK_REQUIRE_2FA = env_bool("BRUGWERK_REQUIRE_2FA", True)
if not BRUGWERK_REQUIRE_2FA and not BRUGWERK_DEMO_MODE:
    raise ConfigurationError("BRUGWERK_REQUIRE_2FA can only be switched off together with BRUGWERK_DEMO_MODE.")
OTP_TOTP_ISSUER = "Brugwerk"

AXES_FAILURE_LIMIT = env_int("BRUGWERK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours: a lock lifts by itself after half an hour
# Lock an account at one address, not the account everywhere and not the address for everyone: five
# wrong passwords for an account from one address stop that account being tried from that address,
# so it is not guessed there, while a stranger's failures elsewhere do not lock the owner out (a lock
# per username alone let anyone lock any account at will), and one person's typos do not lock out
# the other staff of a school who share its public address. Guessing across many addresses gains
# little: every role that sees personal data needs a second factor too.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Count failures per account, not per spelling: "An", "an" and her e-mail address share one lockout.
# A login that matches no account is counted (and stored) as a keyed digest, never in clear.
AXES_USERNAME_CALLABLE = "brugwerk.accounts.backends.axes_username"
AXES_SENSITIVE_PARAMETERS = ["username"]  # nor in the form data axes keeps with each attempt
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_PROXY_COUNT = env_int("BRUGWERK_PROXY_COUNT", 0) or None

SESSION_COOKIE_AGE = 30 * 60  # idle sessions end after 30 minutes ...
SESSION_SAVE_EVERY_REQUEST = True  # ... counted from the last request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers ---------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{h}" for h in ALLOWED_HOSTS])

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [Path(env_str("BRUGWERK_LOCALE_DIR", str(BASE_DIR / "brugwerk" / "locale")))]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    # Outside production whitenoise serves straight from the apps' static folders (no collectstatic).
    WHITENOISE_USE_FINDERS = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Tasks (Django's tasks framework); a worker backend replaces this when one is deployed -------
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

MAILERS = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {
            k: v
            for k, v in {
                "host": env_str("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 587) if env_str("EMAIL_HOST") else None,
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True) if env_str("EMAIL_HOST") else None,
            }.items()
            if v is not None
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "brugwerk@localhost")

# --- The audit trail's anchors outside the database (docs/architecture.md, "The audit chain") ------
# Every entry's hash is an HMAC under BRUGWERK_AUDIT_KEY (or BRUGWERK_AUDIT_KEY_FILE), a key that is never
# in the database; production refuses to start without it. The tests use a fixed key, so runs repeat;
# otherwise (the demo, development) a random key is made in VAR_DIR/audit.key on first use.
TESTING = ENVIRONMENT == "test" or "pytest" in sys.modules
BRUGWERK_AUDIT_KEY = env_str("BRUGWERK_AUDIT_KEY", required=PRODUCTION)
if PRODUCTION and len(BRUGWERK_AUDIT_KEY or "") < 32:
    raise ConfigurationError("BRUGWERK_AUDIT_KEY must be at least 32 characters long.")
if not BRUGWERK_AUDIT_KEY and TESTING:
    BRUGWERK_AUDIT_KEY = "brugwerk-test-audit-key-not-secret"
BRUGWERK_AUDIT_KEY_PATH = VAR_DIR / "audit.key"
# Checkpoints of the chain's head (`manage.py audit_checkpoint`, and a task after every N entries; 0 = none)
# go to a file outside the database and, when BRUGWERK_DPO_EMAIL is set, by mail to the data-protection
# officer. Tests get no file unless a test sets one, so no run sees another's checkpoints.
BRUGWERK_AUDIT_CHECKPOINT_FILE = env_str(
    "BRUGWERK_AUDIT_CHECKPOINT_FILE", None if TESTING else str(VAR_DIR / "audit-checkpoints.jsonl")
)
BRUGWERK_AUDIT_CHECKPOINT_EVERY = env_int("BRUGWERK_AUDIT_CHECKPOINT_EVERY", 1000)
BRUGWERK_DPO_EMAIL = env_str("BRUGWERK_DPO_EMAIL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
