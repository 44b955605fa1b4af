"""Settings for localdir, read from the environment.

Development works with no variable set (SQLite file, DEBUG on). Production sets at least
SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and DATABASE_URL; see docs/deployment.md.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from localdir.env import envbool, envint, envlist, envrate

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used on a developer's machine: DEBUG is on.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "localdir")
# The legal notice ("Mentions légales", required in France): who publishes the site, who hosts it, how to write.
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "")
SITE_PUBLISHER_ADDRESS = os.environ.get("SITE_PUBLISHER_ADDRESS", "")
SITE_PUBLICATION_DIRECTOR = os.environ.get("SITE_PUBLICATION_DIRECTOR", "")
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "")
SITE_HOST = os.environ.get("SITE_HOST", "")
SITE_HOST_ADDRESS = os.environ.get("SITE_HOST_ADDRESS", "")

INSTALLED_APPS = [
    "localdir.apps.AdminConfig",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "csp",
    "corsheaders",
    "django_filters",
    # The public API (producers/api/); listed so that its documentation page serves Swagger UI from our static files.
    "ninja",
    "leaflet",
    "phonenumber_field",
    "localdir.apps.LocaldirConfig",
    "producers",
    "moderation",
    "magazine",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above anything that may answer on its own, so that a 304 or a 429 of the API carries its CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which serves static files already compressed. BREACH: Django masks the CSRF token afresh in
    # every response and GZipMiddleware pads each body with random bytes ("Heal the Breach"), so pages with forms
    # are compressed too.
    "django.middleware.gzip.GZipMiddleware",
    # ETag on the uncompressed body (GZip then makes it weak), 304 to a matching If-None-Match, for HEAD too.
    "localdir.http.ConditionalGetMiddleware",
    "localdir.cache.CacheHeadersMiddleware",
    # Above the views and their page cache, below the ETag and compression: what differs between the visitors of a
    # cached page is written in here (the language switch's links, a listing's way back).
    "localdir.slots.SlotsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "localdir.http.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "localdir.urls"
WSGI_APPLICATION = "localdir.wsgi.application"

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
                "localdir.context_processors.site",
            ],
        },
    },
]

# Project templates may override form widgets' templates (templates/producers/widgets/…).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Form choice fields iterate with .iterator(), which on PostgreSQL opens a server-side cursor: three extra
    # round trips per select box. Nothing here streams with server-side cursors (exports page by primary key),
    # and this also keeps the site usable behind a transaction-pooling PgBouncer.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    # A transaction takes the write lock when it begins: two requests writing at once queue (up to `timeout`
    # seconds) instead of the second failing with "database is locked" when the first commits (a 500).
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections buy nothing on SQLite and keep files locked between tests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
# A PostgreSQL read replica for the public pages served from the page cache (localdir/db_router.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES["replica"]["OPTIONS"] = DATABASES["default"].get("OPTIONS", {})
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False)
    # Tests run against the primary: the replica is then the same database under another name.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["localdir.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The admin login resists guessing (django-axes): after AXES_FAILURE_LIMIT failed attempts for one username, or from
# one address, logins are refused for AXES_COOLOFF_MINUTES, even with the right password. A superuser unlocks
# sooner in the admin ("Access attempts") or with `manage.py axes_reset_username NAME` (docs/moderation.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 60))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Privacy: failed attempts are kept (they are the throttle), not a log of every volunteer's successful login.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "localdir.login_throttle.lockout_response"
# The same address the sign-up rate limit counts (RATELIMIT_IP_META_KEY behind a proxy).
AXES_CLIENT_IP_CALLABLE = "localdir.login_throttle.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "localdir" / "root"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "localdir.staticfiles.StaticFilesStorage"
        )
    },
}

# Email: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds before a mail server that does not answer counts as refusing: a request or the daily command never hangs.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "localdir <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where a producer's answer to a volunteer's email goes (a shared mailbox of the volunteers); none if empty.
MODERATION_REPLY_TO = os.environ.get("MODERATION_REPLY_TO", "")
# The yearly confirmation (moderation/freshness.py, docs/moderation.md): a published listing nobody confirmed for
# LISTING_CONFIRM_AFTER_DAYS asks its producer "is it still correct?", reminds them LISTING_CONFIRM_REMINDER_DAYS
# later, and leaves the public pages after LISTING_HIDE_AFTER_DAYS without an answer.
LISTING_CONFIRM_AFTER_DAYS = envint("LISTING_CONFIRM_AFTER_DAYS", 365)
LISTING_CONFIRM_REMINDER_DAYS = envint("LISTING_CONFIRM_REMINDER_DAYS", 30)
LISTING_HIDE_AFTER_DAYS = envint("LISTING_HIDE_AFTER_DAYS", 425)
if LISTING_HIDE_AFTER_DAYS <= LISTING_CONFIRM_AFTER_DAYS + LISTING_CONFIRM_REMINDER_DAYS:
    raise ImproperlyConfigured(
        "LISTING_HIDE_AFTER_DAYS must be more than LISTING_CONFIRM_AFTER_DAYS + LISTING_CONFIRM_REMINDER_DAYS: "
        "the reminder comes before the listing is hidden."
    )
# A daily command (localdir/daily.py) with no success for this long is late: check_daily_commands exits with 1 and
# the admin's home page says so. More than a day, so that a run a little later than the day before is not late.
DAILY_COMMANDS_MAX_AGE_HOURS = envint("DAILY_COMMANDS_MAX_AGE_HOURS", 26, minimum=1)
# The public forms' limits per address (moderation/limits.py, docs/moderation.md): forms stored, and every POST.
MODERATION_SUBMIT_RATE = envrate("MODERATION_SUBMIT_RATE", "5/h")
MODERATION_POST_RATE = envrate("MODERATION_POST_RATE", "60/h")
# A form sent sooner than this after it was opened is taken for a robot's.
MODERATION_MIN_FILL_SECONDS = envint("MODERATION_MIN_FILL_SECONDS", 3, minimum=0)
# Personal data of refused listings and old edits is kept this long ("six months" in the privacy notice).
MODERATION_RETENTION_DAYS = envint("MODERATION_RETENTION_DAYS", 183, minimum=1)
# An email alert nobody confirmed is deleted after this many days (alerts/, the privacy notice says "7 days").
ALERTS_UNCONFIRMED_DAYS = envint("ALERTS_UNCONFIRMED_DAYS", 7, minimum=1)

# Map tiles come from a configurable server; nothing else is loaded from outside.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get(
    "MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
LEAFLET_CONFIG = {
    "TILES": [("OpenStreetMap", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION, "maxZoom": 19})],
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 6,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "RESET_VIEW": False,
    "SCALE": "metric",
    "NO_GLOBALS": False,
}

# Content-Security-Policy: scripts and styles only from our own static files (no inline script, no CDN);
# images also from the tile server. Leaflet positions tiles and markers through the CSSOM, which CSP allows.
_TILES_ORIGIN = "{0.scheme}://{0.hostname}".format(urlsplit(MAP_TILES_URL.replace("{s}", "a")))
_TILES_HOSTS = [_TILES_ORIGIN, _TILES_ORIGIN.replace("://a.", "://*.")] if "{s}" in MAP_TILES_URL else [_TILES_ORIGIN]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:", *_TILES_HOSTS],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    },
}

PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

LISTINGS_PER_PAGE = envint("LISTINGS_PER_PAGE", 20, minimum=1)
# Anonymous visitors without cookies get public pages from the cache for this long (0 disables).
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 60, minimum=0)
# The maps' grid of all published listings (producers/maps/grid.py), kept this long at most; 0 counts every time.
MAP_GRID_SECONDS = envint("MAP_GRID_SECONDS", 600, minimum=0)
# The maps' indexes carry the listing id for PostgreSQL's index-only scans (INCLUDE); SQLite builds them without it,
# as partial indexes on the coordinates, which is what it can use.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# How far ahead each listing's opening slots (the "open now" filter) are written; the daily
# `refresh_opening_slots` command moves the window on, so this is also how long the filter survives without it.
OPENING_SLOT_WEEKS = envint("OPENING_SLOT_WEEKS", 8, minimum=1)

# Bounds on photo decoding (localdir/images.py, docs/moderation.md): pixels decoded per form, images decoded at
# once per worker process, and how long a photo waits for its turn before the form answers "busy".
IMAGE_MAX_PIXELS_PER_REQUEST = envint("IMAGE_MAX_PIXELS_PER_REQUEST", 60_000_000)
IMAGE_PROCESSING_SLOTS = envint("IMAGE_PROCESSING_SLOTS", 1, minimum=1)
IMAGE_PROCESSING_WAIT_SECONDS = envint("IMAGE_PROCESSING_WAIT_SECONDS", 20)

# The licence of the open data exports (docs/open-data.md): named in the files and in a Link header.
# Behind a reverse proxy every request comes from the proxy's address: name the header holding the visitor's
# (e.g. HTTP_X_REAL_IP) so the rate limits and the login throttle count visitors, not the proxy. The environment
# variable keeps django-ratelimit's name; the setting itself is our reader of that header (localdir.client_ip), which
# takes a forwarded list's last entry and falls back to REMOTE_ADDR when the header is missing or not an address.
CLIENT_IP_HEADER = os.environ.get("RATELIMIT_IP_META_KEY", "")
RATELIMIT_IP_META_KEY = "localdir.login_throttle.client_ip"

# The public API (/api/v1/, docs/partners.md): requests per address (RATELIMIT_IP_META_KEY behind a proxy), and
# any site may read it from a browser (CORS, GET only, on /api/ alone).
API_RATE_LIMIT = envrate("API_RATE_LIMIT", "300/m")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After"]
# A browser script may revalidate what it read (the docs tell partners to): these two need a preflight's consent.
CORS_ALLOW_HEADERS = (*cors_default_headers, "if-none-match", "if-modified-since")

OPEN_DATA_LICENCE = os.environ.get("OPEN_DATA_LICENCE", "Licence Ouverte 2.0")
OPEN_DATA_LICENCE_URL = os.environ.get(
    "OPEN_DATA_LICENCE_URL", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
)

# Security: strict by default once DEBUG is off (manage.py check --deploy stays clean).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The one exception: partners' sites may frame the embedded map (/embed/…, producers/embed/). The origins allowed,
# as CSP frame-ancestors sources ("https://mairie.example.fr https://*.example.org"), comma-separated; every site by
# default.
EMBED_FRAME_ANCESTORS = envlist("EMBED_FRAME_ANCESTORS", "*")
SESSION_COOKIE_HTTPONLY = True
# A load balancer's health check may ask an application server straight, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is hard to undo: each deployer opts in explicitly.
        SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
