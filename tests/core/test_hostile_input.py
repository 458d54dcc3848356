"""No server error from any input (issue 12, item 5).

Two walks over the demo town, as an attacker would try them:
- every URL pattern of the project (the resolver, recursively; the admin aside) with hostile
  path parameters and a hostile query string, as anonymous, parent, agent and cashier;
- every form reachable by following links from each role's home page, posted with hostile values
  (over-long numbers in buttons, NUL bytes, 10,000 characters, dates outside any school year).
Each answer must be below 500, and a refused post (4xx or the form shown again) must leave every
table as it was.
"""

import datetime
import io
import re
import sys
import traceback
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.dispatch import receiver
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from portail.accounts.models import User
from portail.core import clock

ROLES = ["anonymous", "demo.parent", "demo.agent", "demo.regie"]
HUGE = "9" * 31  # > 10**30: beyond any database integer
LONG = "a" * 10_000
NUL = "\x00"
BAD_DATES = ["9999-12-31", "0001-01-01", "2101-01-01", "2026-02-30"]
# Per converter: values that still match the pattern, so they reach the view.
HOSTILE = {
    "int": ["0", "2147483648", "9223372036854775808", HUGE],
    "str": [*BAD_DATES, "x%00y", "%C3%A9%E2%82%AC%F0%9F%98%80", LONG],
    "path": ["%00", "..%2F..%2Fetc%2Fpasswd", LONG, "9999-12-31"],
    "slug": [LONG, "0", HUGE],
    "uuid": ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"],
}
BENIGN = {"int": "1", "str": "2026-03-02", "path": "x", "slug": "x", "uuid": HOSTILE["uuid"][0]}
QUERY = urlencode(
    {
        "q": NUL,
        "next": NUL + LONG,
        "child": HUGE,
        "mois": "9999-99",
        "year": HUGE,
        "statut": NUL,
        "page": HUGE,
        "date": "9999-12-31",
        "start": "0001-01-01",
        "end": "9999-12-31",
        "school": HUGE,
        "kind": NUL,
        "status": NUL,
    }
)
# Tables whose rows a refused request may still touch: sessions, the login lock's log, the
# partner API's call log (every call is logged, refused ones included).
UNTRACKED = {
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "api.apicall",
}


def _routes(patterns=None, prefix="", namespace=""):
    """(name, route, converters) of every pattern; route uses `{name}` for parameters."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = str(entry.pattern)
        if route.startswith("administration/"):
            continue  # Django's admin: its own code, staff only
        converters = getattr(entry.pattern, "converters", {})
        text = re.sub(r"<(?:(\w+):)?(\w+)>", r"{\2}", route)
        text = text.lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + text, inner)
        elif isinstance(entry, URLPattern):
            kinds = {name: _kind(conv) for name, conv in converters.items()}
            for name in re.findall(r"\(\?P<(\w+)>", route):
                kinds.setdefault(name, "str")  # re_path groups
            full = prefix + text
            full = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", full)
            yield f"{namespace}{entry.name or full}", "/" + full, kinds


def _kind(converter):
    return {
        "IntConverter": "int",
        "StringConverter": "str",
        "PathConverter": "path",
        "SlugConverter": "slug",
        "UUIDConverter": "uuid",
    }.get(type(converter).__name__, "str")


ROUTES = {name: (route, kinds) for name, route, kinds in _routes()}


def _hostile_paths(route, kinds):
    yield route.format(**{k: BENIGN[v] for k, v in kinds.items()})
    for param, kind in kinds.items():
        for value in HOSTILE[kind]:
            values = {k: BENIGN[v] for k, v in kinds.items()}
            values[param] = value
            yield route.format(**values)


@pytest.fixture(scope="module")
def town(django_db_setup, django_db_blocker):
    """The demo town, loaded once per module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(role):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))
    return client


def _counts():
    """Rows of every table, in one query."""
    models = [
        m
        for m in apps.get_models()
        if m._meta.label_lower not in UNTRACKED and not m._meta.proxy and m._meta.managed
    ]
    quote = connection.ops.quote_name
    sql = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        row = cursor.fetchone()
    return {m._meta.label_lower: n for m, n in zip(models, row, strict=True)}


_LAST_ERROR = []


@receiver(got_request_exception)
def _keep_error(sender, request=None, **kwargs):
    frame = traceback.extract_tb(sys.exc_info()[2])[-1]
    _LAST_ERROR[:] = [f"{frame.filename}:{frame.lineno} {sys.exc_info()[1]!r}"]


def _errors(response, what):
    if response.status_code >= 500:
        return [f"{response.status_code} on {what}: {''.join(_LAST_ERROR)[-300:]}"]
    return []


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_hostile_path_parameters_never_give_a_server_error(town, name):
    route, kinds = ROUTES[name]
    failures = []
    for role in ROLES:
        if role == "demo.regie" and not route.startswith("/gestion/"):
            continue  # the cashier is an agent of one area; elsewhere a parent-less user
        client = _client(role)
        benign = route.format(**{k: BENIGN[v] for k, v in kinds.items()})
        failures += _errors(client.get(f"{benign}?{QUERY}"), f"{role} GET {benign} ?hostile query")
        before = _counts()
        for path in _hostile_paths(route, kinds):
            failures += _errors(client.get(path), f"{role} GET {path[:120]}")
            response = client.post(path, {"q": NUL, "action": HUGE, "date": "9999-12-31"})
            failures += _errors(response, f"{role} POST {path[:120]}")
            if response.status_code < 400:
                before = _counts()  # accepted (or redirected): a new reference point
            elif _counts() != before:
                failures.append(f"rows changed by a refused POST {path[:120]} as {role}")
    assert not failures, "\n".join(failures)


# --- forms -----------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """Links and forms of a page: forms as (method, action, {field: [(kind, value)]}, buttons)."""

    def __init__(self):
        super().__init__()
        self.links, self.forms = [], []
        self._form = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": {},
                "buttons": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and tag == "option" and self._select and a.get("value"):
            self._form["fields"][self._select].append(("option", a["value"]))
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = a.get("name")
            if not name:
                return
            kind = (a.get("type") or "").lower()
            if tag == "button" or kind == "submit":
                self._form["buttons"].append((name, a.get("value") or ""))
            elif name == "csrfmiddlewaretoken":
                self._form["csrf"] = a.get("value")
            else:
                self._form["fields"].setdefault(name, []).append((kind or tag, a.get("value")))
                self._select = name if tag == "select" else None

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _plain_query(form):
    """A GET form filled as a person would (a name to search, the first choice of each list),
    so the crawl reaches the pages behind search and choice forms."""
    data = {}
    for name, entries in form["fields"].items():
        options = [v for kind, v in entries if kind == "option"]
        ticks = [v for kind, v in entries if kind in ("checkbox", "radio") and v]
        if options:
            data[name] = options[0]
        elif ticks:
            data[name] = ticks
        elif entries[0][0] == "date":
            data[name] = entries[0][1] or (clock.today() + datetime.timedelta(days=14)).isoformat()
        else:
            data[name] = next((v for _kind, v in entries if v), "Martin")
    return urlencode(data, doseq=True)


def _crawl(client, start="/", limit_per_route=2, limit=150, bodies=None):
    """Pages reached from `start` (same site, GET only, redirects followed, search and choice
    forms filled), at most 2 pages per URL shape (digits aside). `bodies`, a dict, receives every
    answer (page, PDF, CSV...) by URL."""
    seen, per_shape, queue, pages = set(), {}, [start], []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or path.startswith(("/administration/", "/compte/logout")):
            continue
        seen.add(url)
        shape = re.sub(r"\d+", "N", path)
        if per_shape.get(shape, 0) >= limit_per_route:
            continue
        response = client.get(url, follow=True)
        if bodies is not None and response.status_code == 200:
            bodies[url] = response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        per_shape[shape] = per_shape.get(shape, 0) + 1
        final = response.request["PATH_INFO"]
        if response.request.get("QUERY_STRING"):
            final += "?" + response.request["QUERY_STRING"]
        parser = _Forms()
        parser.feed(response.content.decode())
        pages.append((final, parser.forms))
        targets = list(parser.links)
        for form in parser.forms:
            if form["method"] == "get":
                targets.append(f"{form['action'] or path}?{_plain_query(form)}")
        for href in targets:
            parts = urlsplit(urljoin(final, href))
            if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


LAST = re.compile(r"fermeture|supprimer|annuler|abandonner|logout|password|email")
HOSTILE_VALUES = ["x\x00y", LONG, "9" * 5000, "-" + HUGE, "9999-12-31", "0001-01-01", "1e400"]


def _hostile_posts(form):
    """One post per hostile value: every field and every button value set to it."""
    for value in HOSTILE_VALUES:
        data = {name: value for name in form["fields"]}
        if form.get("csrf"):
            data["csrfmiddlewaretoken"] = form["csrf"]
        buttons = form["buttons"] or [(None, None)]
        for button, _value in buttons:
            posted = dict(data)
            if button:
                posted[button] = value
            yield value, posted


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_hostile_form_values_never_give_a_server_error_nor_half_saved_rows(town, role):
    client = _client(role)
    start = {
        "anonymous": "/",
        "demo.parent": "/",
        "demo.agent": "/gestion/",
        "demo.regie": "/gestion/",
    }
    start = start[role]
    found = [(url, form) for url, forms in _crawl(client, start) for form in forms]
    # What ends the session or the account last, so the other forms are still reachable.
    found.sort(key=lambda item: bool(LAST.search(item[1]["action"] or item[0])))
    failures, posted_forms = [], set()
    for url, form in found:
        action = urljoin(url, form["action"]) if form["action"] else url
        key = (re.sub(r"\d+", "N", urlsplit(action).path), tuple(sorted(form["fields"])))
        if key in posted_forms or "logout" in action:
            continue
        posted_forms.add(key)
        for value, data in _hostile_posts(form):
            shown = f"{role} {form['method'].upper()} {action} ({value[:12]!r})"
            if form["method"] == "get":
                failures += _errors(client.get(action, data), shown)
                continue
            before = _counts()
            response = client.post(action, data)
            failures += _errors(response, shown)
            if response.status_code != 302 and _counts() != before:
                changed = {k for k, v in _counts().items() if before.get(k) != v}
                failures.append(f"{shown}: refused but rows changed in {sorted(changed)}")
    assert len(posted_forms) > 3, "the crawl found too few forms"
    assert not failures, "\n".join(failures)


# --- the administration ----------------------------------------------------------------------


def _admin_routes():
    """The admin's routes, grouped by model (`app/model/`), with `{object_id}` placeholders."""
    from django.contrib import admin

    groups = {}
    for name, route, kinds in _routes(admin.site.urls[0], "administration/", "admin:"):
        parts = route.split("/")
        key = "/".join(parts[2:4]) if len(parts) > 4 and "{" not in parts[2] else "site"
        groups.setdefault(key, []).append((route, kinds))
    return groups


ADMIN_ROUTES = _admin_routes()
ADMIN_QUERY = urlencode(
    {
        "q": LONG,
        "o": HUGE,
        "p": HUGE,
        "created_at__gte": "9999-12-31 00:00+00:00",
        "date__lte": "0001-01-01",
    }
)


@pytest.mark.django_db
@pytest.mark.parametrize("group", sorted(ADMIN_ROUTES))
def test_the_administration_with_hostile_parameters_never_gives_a_server_error(town, group):
    client = _client("demo.admin")
    failures = []
    for route, kinds in ADMIN_ROUTES[group]:
        if not kinds:
            failures += _errors(client.get(f"{route}?{ADMIN_QUERY}"), f"admin GET {route} ?query")
            continue
        for value in [HUGE, LONG, "-1", "%C3%A9%E2%82%AC"]:
            path = route.format(**{k: value for k in kinds})
            failures += _errors(client.get(path), f"admin GET {path[:120]}")
    assert not failures, "\n".join(failures)
