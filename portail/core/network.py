"""The client's address, the one way: axes, allauth and the portal's own rate limits key on it."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The connection's address, or behind `PROXY_COUNT` proxies the address the first one saw.

    Each proxy appends the address it received from to X-Forwarded-For, so the entry
    `PROXY_COUNT` from the right is the client as our outermost proxy saw it; anything to its
    left was written by the client and is ignored (a forged header changes nothing).
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.PROXY_COUNT
    if count > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [part for part in chain if part]
        if len(chain) >= count:
            candidate = chain[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote
