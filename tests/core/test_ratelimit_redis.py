"""The anonymous forms' limits hold across processes when the cache is Redis (production)."""

import socket
import subprocess
import sys
import uuid

import pytest
from django.core.cache import caches

from tests.conftest import REPO

REDIS = ("127.0.0.1", 6379)

HIT = """
import django, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
django.setup()
from django.conf import settings
settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": "redis://127.0.0.1:6379/0", "KEY_PREFIX": sys.argv[1]}}
from portail.core import ratelimit
print(ratelimit.hit("renseignement:email", "victim@example.test", 1))
"""


def _redis_up():
    try:
        socket.create_connection(REDIS, timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_a_second_process_sees_the_first_ones_count(settings):
    prefix = f"test-ratelimit-{uuid.uuid4().hex}"
    run = [sys.executable, "-c", HIT, prefix]
    first = subprocess.run(run, cwd=REPO, capture_output=True, text=True, check=True)
    second = subprocess.run(run, cwd=REPO, capture_output=True, text=True, check=True)
    assert first.stdout.split()[-1] == "True"  # the one confirmation mail allowed
    assert second.stdout.split()[-1] == "False"  # another worker process refuses the next
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    cache = caches.create_connection("default")
    keys = cache._cache.get_client().keys(f"{prefix}:*")
    assert keys  # the count lives in Redis, not in a process's memory
    cache._cache.get_client().delete(*keys)
