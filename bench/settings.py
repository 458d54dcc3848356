"""Benchmark settings: production settings over plain HTTP, plus a floor view."""

import os

os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from portail.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

if os.environ.get("LOAD_TEST") == "1":
    # `make load` only: every simulated parent logs in from 127.0.0.1, which allauth's per-IP
    # limits would take for an attack. Never set by default.
    ACCOUNT_RATE_LIMITS = False
