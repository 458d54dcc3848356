"""Settings of the family portal.

Every value comes from the environment (see the README's table) with a safe default:
DEBUG is off, cookies are secure and HTTPS is enforced unless the environment says otherwise.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="insecure-dev-key-change-me" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Behind a TLS proxy in production; plain HTTP only on a developer's machine or in tests.
HTTPS = env.bool("HTTPS", default=not DEBUG)
PORT = env.int("PORT", default=8000)

INSTALLED_APPS = [
    "portail.core",
    # Below accounts (ARCHITECTURE.md): `demo` and `seed_town` run the apps' steps in this
    # order, so accounts' step finds the households and adults it gives accounts to.
    "portail.families",
    "portail.accounts",
    "portail.franceconnect",
    "portail.messaging",
    "portail.documents",
    "portail.agenda",
    "portail.billing",
    "portail.procedures",
    "portail.api",
    "portail.imports",
    "portail.backoffice",
    "portail.pages",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # django-ninja's static files: the API's Swagger UI served locally, not from a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Sees every response (static files included): no-store on personal ones, Permissions-Policy.
    "portail.core.middleware.PrivacyHeadersMiddleware",
    "portail.core.middleware.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files are precompressed; HTML pages only, never downloads.
    "portail.core.middleware.HtmlGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portail.core.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portail.families.middleware.HouseholdMiddleware",
    "portail.procedures.middleware.UnknownProcedureMiddleware",
    # axes must come last (django-axes documentation).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portail.urls"
# Our form templates (core/templates/django/forms/): « * » on required fields, errors beside them.
FORM_RENDERER = "portail.core.forms.PortalFormRenderer"
WSGI_APPLICATION = "portail.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portail.core.context_processors.portal",
                "portail.messaging.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portail.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Concurrent writers (server + task worker) wait instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://portail")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first (django-axes documentation), then identifier-or-email login through allauth.
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's, reading each request's user with household and groups in one
    # query (accounts/backends.py).
    "portail.accounts.backends.ModelBackend",
    "portail.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "email", "first_name", "last_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "portail.accounts.validators.PortalPasswordValidator"},
]
# Argon2id first (accounts/hashers.py: OWASP's minimum m=19 MiB, t=2, p=1); a PBKDF2 hash of
# an existing account is checked once more, then rehashed with Argon2id at that login.
PASSWORD_HASHERS = [
    "portail.accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pages:home"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 1
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Sessions end with the browser or the idle timeout; no « remember me » on shared computers.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Per address only, and looser than axes, so that a parent only ever sees axes' lockout message
# and nobody elsewhere can block an account (a per-account limit would count all addresses).
ACCOUNT_RATE_LIMITS = {"login_failed": "50/5m/ip"}
# The portal's account adapter (accounts.adapter), with FranceConnect's logout on top.
ACCOUNT_ADAPTER = "portail.franceconnect.adapter.FranceConnectAccountAdapter"
ACCOUNT_FORMS = {
    "login": "portail.accounts.forms.LoginForm",
    "signup": "portail.accounts.forms.SignupForm",
    "reset_password": "portail.accounts.forms.ResetPasswordForm",
    "add_email": "portail.accounts.forms.AddEmailForm",
}

# django-axes: lock (account, address) pairs, never a whole address.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_COOLOFF_MINUTES", default=30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "portail.accounts.lockout.axes_username"
AXES_RESET_ON_SUCCESS = True
# The cool-off counts from the lockout: a parent retrying meanwhile does not prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_ENABLE_ADMIN = True
AXES_VERBOSE = False
# Proxies in front of the app: the client's address is read by core.network.client_ip, and
# axes (here) and allauth's rate limits (AccountAdapter.get_client_ip) key on it.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "portail.core.network.client_ip"

SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
# The age above is an idle timeout, kept without a write on every request: the session is saved
# again when its last save is older than this (core.middleware.SessionRefreshMiddleware), so an
# idle session ends between SESSION_IDLE_MINUTES minus this and SESSION_IDLE_MINUTES.
SESSION_REFRESH_SECONDS = min(300, SESSION_COOKIE_AGE // 6)
SESSION_SAVE_EVERY_REQUEST = False
if env.str("CACHE_URL", default=""):
    # A shared cache (Redis): sessions read from it, written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the portal never uses (uploads use the file picker, payment the bank's page).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip
# French error pages (core/views.py): the CSRF failure explains what to do.
CSRF_FAILURE_VIEW = "portail.core.views.csrf_failure"

# django-csp 4: no inline script or style anywhere; the town's colours come from a CSS view.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'", *env.list("PAYMENT_FORM_ACTIONS", default=[])],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = []  # each app keeps its own locale/ folder

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files are private: outside the static root, never served by URL, only by a view.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# Mail: console + the development mailbox page by default; SMTP (or any backend) by EMAIL_URL.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Portail famille <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# Background work: the database queue, run by `manage.py db_worker`.
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}

PAYMENT_BACKEND = env.str("PAYMENT_BACKEND", default="simulator")
PAYMENT_OPTIONS = env.json("PAYMENT_OPTIONS", default={})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}")

# Town rules (the administrator edits the town's identity in the admin; these are policy).
NEGATIVE_BALANCE_GRACE_DAYS = env.int("NEGATIVE_BALANCE_GRACE_DAYS", default=15)

# Each area's settings below its own heading (keeps merges of parallel work clean).
# --- periodic jobs (core.jobs) ---
import datetime  # noqa: E402

# Runs of the periodic jobs are kept this long (back-office page « Tâches planifiées »).
JOB_RUNS_RETENTION = datetime.timedelta(days=env.int("JOB_RUNS_RETENTION_DAYS", default=90))

# --- accounts ---
# The activation link lands on the login page (« page de confirmation »); an e-mail change
# confirmed while signed in goes back to « options ».
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_EMAIL_CONFIRMATION_ANONYMOUS_REDIRECT_URL = "account_login"
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "accounts:options"
# A new address replaces the old one only once confirmed by its link.
ACCOUNT_CHANGE_EMAIL = True
# Password and e-mail changes are confirmed by a mail to the account holder.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Never reveal whether an address has an account, not even by mail to a stranger.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = None
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "portail.accounts.validators.username_validators"
ACCOUNT_LOGOUT_REDIRECT_URL = "pages:home"
# Password reset links: single use (bound to the password hash), valid 24 hours.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_HOURS", default=24) * 3600
# Accounts not activated within this delay are deleted by `purge_unactivated_accounts`.
ACCOUNT_ACTIVATION_HOURS = env.int("ACCOUNT_ACTIVATION_HOURS", default=24)

# --- franceconnect ---
# The portal's registration with FranceConnect (docs/accounts.md): the platform (integration
# « fcp-low.sbx.dev-franceconnect.fr », production « oidc.franceconnect.gouv.fr »), the client id
# and secret it gave. Without a client id, FranceConnect is off whatever the town setting says.
FRANCECONNECT_SERVER_URL = env.str(
    "FRANCECONNECT_SERVER_URL", default="https://fcp-low.sbx.dev-franceconnect.fr/api/v2"
)
FRANCECONNECT_CLIENT_ID = env.str("FRANCECONNECT_CLIENT_ID", default="")
FRANCECONNECT_CLIENT_SECRET = env.str("FRANCECONNECT_CLIENT_SECRET", default="")
SOCIALACCOUNT_ADAPTER = "portail.franceconnect.adapter.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"signup": "portail.franceconnect.forms.SignupForm"}
SOCIALACCOUNT_PROVIDERS = {
    "franceconnect": {
        "APPS": [
            {
                "client_id": FRANCECONNECT_CLIENT_ID,
                "secret": FRANCECONNECT_CLIENT_SECRET,
                "settings": {
                    "server_url": FRANCECONNECT_SERVER_URL,
                    "token_auth_method": "client_secret_post",
                },
            }
        ]
        if FRANCECONNECT_CLIENT_ID
        else [],
    }
}
# Never sign in or link an existing account because FranceConnect gives the same e-mail: the
# parent links it from « options » after signing in with their password.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
# The first FranceConnect login always shows the short sign-up page (household details).
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
if FRANCECONNECT_CLIENT_ID:
    # The login button's form is redirected to FranceConnect, and so is the logout form.
    from urllib.parse import urlsplit  # noqa: E402

    _fc = urlsplit(FRANCECONNECT_SERVER_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_fc.scheme}://{_fc.netloc}")

# --- documents ---
DOCUMENTS_MAX_UPLOAD_BYTES = env.int("DOCUMENTS_MAX_UPLOAD_BYTES", default=2 * 1024 * 1024)
# An .odt (a zip) inflating beyond this is refused as abnormal (zip bomb).
DOCUMENTS_ODT_MAX_UNCOMPRESSED_BYTES = env.int(
    "DOCUMENTS_ODT_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024
)
# The family is warned this many days before a valid document expires (daily job).
DOCUMENTS_EXPIRY_WARNING_DAYS = env.int("DOCUMENTS_EXPIRY_WARNING_DAYS", default=30)

# --- procedures ---
# Drafts untouched for this many days are purged (`manage.py purge_drafts`); at most this many
# drafts per family.
PROCEDURES_DRAFT_RETENTION_DAYS = env.int("PROCEDURES_DRAFT_RETENTION_DAYS", default=100)
PROCEDURES_MAX_DRAFTS = env.int("PROCEDURES_MAX_DRAFTS", default=10)
# A request filed without an account waits this long for its sender to confirm the address.
PROCEDURES_CONFIRMATION_HOURS = env.int("PROCEDURES_CONFIRMATION_HOURS", default=48)
# Anonymous forms (« Demande de renseignement », « Nous contacter »): per client address, and
# per e-mail address typed, within a window (core.ratelimit, in the cache).
ANONYMOUS_FORMS_WINDOW_MINUTES = env.int("ANONYMOUS_FORMS_WINDOW_MINUTES", default=60)
ANONYMOUS_FORMS_PER_ADDRESS = env.int("ANONYMOUS_FORMS_PER_ADDRESS", default=10)
ANONYMOUS_FORMS_PER_EMAIL = env.int("ANONYMOUS_FORMS_PER_EMAIL", default=1)

# --- partner API ---
# Calls with an unknown token, per client address and minute, before a 429 (token guessing);
# days the call log is kept (`manage.py purge_api_calls`, daily).
API_UNKNOWN_TOKEN_PER_MINUTE = env.int("API_UNKNOWN_TOKEN_PER_MINUTE", default=20)
API_CALL_LOG_DAYS = env.int("API_CALL_LOG_DAYS", default=90)

# --- agenda ---
# A parent books or cancels day D until the end of the day that leaves this many full days
# before D (« 72h, 3 jours pleins »); counted in working days when AGENDA_DELAY_WORKING_DAYS.
AGENDA_MIN_DELAY_DAYS = env.int("AGENDA_MIN_DELAY_DAYS", default=3)
AGENDA_DELAY_WORKING_DAYS = env.bool("AGENDA_DELAY_WORKING_DAYS", default=False)
# How far ahead a parent may book (days).
AGENDA_MAX_DELAY_DAYS = env.int("AGENDA_MAX_DELAY_DAYS", default=366)

# --- billing ---
from decimal import Decimal  # noqa: E402

# Online top-up bounds (euros) and the name printed under the signature of issued documents.
BILLING_TOPUP_MIN = Decimal(env.str("BILLING_TOPUP_MIN", default="1.00"))
BILLING_TOPUP_MAX = Decimal(env.str("BILLING_TOPUP_MAX", default="1000.00"))
BILLING_SIGNATORY = env.str("BILLING_SIGNATORY", default="Le régisseur de recettes")
# Where DejaVuSans.ttf and DejaVuSans-Bold.ttf are (Debian: fonts-dejavu-core), embedded in PDFs.
PDF_FONT_DIR = Path(env.str("PDF_FONT_DIR", default="/usr/share/fonts/truetype/dejavu"))
# The built-in payment simulator credits whatever it is told: never outside development.
PAYMENT_SIMULATOR_ENABLED = env.bool("PAYMENT_SIMULATOR_ENABLED", default=DEBUG)
# A card payment with no answer from the bank after this is asked to the bank (`poll_payments`),
# then marked abandoned; a late authenticated answer still credits it, once.
BILLING_PAYMENT_TIMEOUT_MINUTES = env.int("BILLING_PAYMENT_TIMEOUT_MINUTES", default=30)
# Backends that post a form to the bank need its origin in the CSP `form-action` (a redirect
# after our own form is checked against it too).
_PAYMENT_ORIGINS = {
    "payfip_ws": ["https://www.payfip.gouv.fr"],
    "systempayv2": ["https://paiement.systempay.fr"],
    "payzen": ["https://secure.payzen.eu"],
    "paybox": ["https://tpeweb.paybox.com", "https://preprod-tpeweb.paybox.com"],
}
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += [
    origin
    for origin in _PAYMENT_ORIGINS.get(PAYMENT_BACKEND, [])
    if origin not in CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]
]
