"""Rate limits of the anonymous forms, counted in the Django cache (Redis in production), so a
limit holds across every process. Fixed windows: simple, and good enough against floods."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from portail.core import clock
from portail.core.network import client_ip


def hit(scope: str, key: str, limit: int, window_seconds: int | None = None) -> bool:
    """Count one use of `key` (an address, an e-mail) in `scope`; False once over `limit`."""
    window = window_seconds or settings.ANONYMOUS_FORMS_WINDOW_MINUTES * 60
    slot = int(clock.now().timestamp()) // window
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{slot}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= limit


def client_over_limit(request, scope: str) -> bool:
    """One more anonymous form sent from this client address; True when it is one too many."""
    return not hit(f"{scope}:ip", client_ip(request), settings.ANONYMOUS_FORMS_PER_ADDRESS)


def too_many_requests(request):
    """The French « too many requests » page (the template allauth's limits render too)."""
    return render(request, "429.html", status=429)
