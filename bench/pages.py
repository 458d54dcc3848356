"""The parent pages measured by the benchmarks (skipped while a page does not exist yet)."""

from django.urls import NoReverseMatch, reverse

PAGES = {
    "home": ("pages:home", []),
    "agenda": ("agenda:calendar", []),
    "payments": ("billing:payments", []),
    "my_requests": ("procedures:my_requests", []),
    "profile": ("accounts:profile", []),
    "documents": ("documents:provide", []),
    "messages": ("messaging:inbox", []),
}


def parent_pages() -> dict[str, str]:
    urls = {}
    for key, (name, args) in PAGES.items():
        try:
            urls[key] = reverse(name, args=args)
        except NoReverseMatch:
            continue
    return urls
