"""Every word a parent or an agent reads is French (issue 15, item 1).

The demo town is walked as the parent, the agent and the cashier (every page reachable by links
and search forms, and every URL pattern filled with the demo's objects); the visible text of each
page (not attributes, URLs nor code), the PDFs it links to (pypdf's text), the demo's messages and
e-mails, and every mail template must hold no common English word of an interface. A string left
out of the catalogues, behind a gettext alias makemessages does not see, or translated in the
wrong app's catalogue shows up here in English."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation
from django.utils.functional import Promise
from pypdf import PdfReader

from portail.messaging.models import Message, OutboundEmail
from tests.core.test_hostile_input import ROUTES, _client, _crawl
from tests.core.test_hostile_input import town as town  # the demo town, loaded once per module

# Words of an English interface that are no French word (whole words, case as written).
# Matched whatever the case; found words are reported in lower case. Not « close » (French).
ENGLISH = [
    "the", "and", "your", "you", "request", "requests", "booking", "bookings", "booked", "save",
    "cancel", "cancelled", "submit", "required", "this field", "nobody", "added", "removed",
    "list", "registered", "back", "next", "previous", "search", "yes", "please", "password",
    "username", "with", "from", "home", "payments", "my requests", "my profile", "child",
    "children", "enter", "choose", "select", "download", "delete", "edit", "open",
    "status", "unread", "send", "sign in", "log in", "log out", "field", "must", "should",
    "not found", "error", "invalid", "ensure", "characters", "loading", "show", "hide",
]  # fmt: skip
WORDS = re.compile(
    r"(?<![\w@./-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w@/-])", re.IGNORECASE
)
# Proper names and code a French page may show as they are.
ALLOWED = re.compile(
    r"FranceConnect|OpenAPI|JSON|Swagger|Authorization: Bearer|Accueil Soir|"
    r"limit|offset|count|detail|errors"
)


class _Text(HTMLParser):
    """Visible text: no script, style, template, nor attribute values."""

    HIDDEN = {"script", "style", "template", "code", "pre", "noscript"}

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def english_words(text):
    text = ALLOWED.sub(" ", text)
    return sorted({m.group(1).lower() for m in WORDS.finditer(text)})


def _visible(html):
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _problems(where, text):
    found = english_words(text)
    if not found:
        return []
    context = [text[max(0, m.start() - 40) : m.end() + 40] for m in WORDS.finditer(text)][:3]
    return [f"{where}: {found} … {context}"]


def test_the_word_list_catches_english_and_spares_french():
    assert english_words("Your request has been registered.") == ["registered", "request", "your"]
    assert english_words("Person added to the list.") == ["added", "list", "the"]
    assert english_words("Votre demande est enregistrée ; thé et café à la cantine.") == []
    assert english_words("Accueil Soir 1 avec FranceConnect") == []


def _filled_routes():
    """Every parameter-free URL pattern outside the API, the admin and the dev tools."""
    for route, kinds in ROUTES.values():
        if not kinds and not route.startswith(("/api/", "/dev/", "/compte/logout")):
            yield route


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,start",
    [("demo.parent", "/"), ("demo.agent", "/gestion/"), ("demo.regie", "/gestion/")],
)
@pytest.mark.usefixtures("town")
def test_every_page_and_pdf_is_in_french(role, start):
    client = _client(role)
    bodies = {}
    _crawl(client, start, limit=250, bodies=bodies)
    for route in _filled_routes():
        if route not in bodies:
            response = client.get(route, follow=True)
            if response.status_code == 200:
                bodies[route] = response
    failures, pages, pdfs = [], 0, 0
    for url, response in sorted(bodies.items()):
        kind = response.get("Content-Type", "")
        if "html" in kind:
            pages += 1
            failures += _problems(f"{role} {url}", _visible(response.content.decode()))
        elif "pdf" in kind:
            pdfs += 1
            reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)
                                          if response.streaming else response.content))  # fmt: skip
            text = " ".join(page.extract_text() for page in reader.pages)
            failures += _problems(f"{role} {url} (PDF)", text)
    assert pages > 10
    if role == "demo.parent":
        assert pdfs, "the walk reached no PDF (statement, receipt, certificate)"
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.usefixtures("town")
def test_demo_messages_and_emails_are_in_french():
    failures = []
    for message in Message.objects.all():
        failures += _problems(f"message {message.subject!r}", f"{message.subject} {message.body}")
    for email in OutboundEmail.objects.all():
        failures += _problems(f"e-mail {email.subject!r}", f"{email.subject} {email.body}")
    assert Message.objects.exists()
    assert not failures, "\n".join(failures)


def _mail_templates():
    names = set()
    for engine in engines.all():
        for loader in engine.engine.template_loaders:
            for directory in loader.get_dirs():
                for path in directory.rglob("*.txt"):
                    if "portail" in str(path):
                        names.add(str(path.relative_to(directory)))
    return sorted(names)


class _Two(dict):
    """A template context where every name is 2 (a count for plurals, a harmless value)."""

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return 2


@pytest.mark.parametrize("name", _mail_templates())
def test_mail_templates_are_in_french(name):
    """The fixed text of each mail (variables set to 2)."""
    with translation.override("fr"):
        text = get_template(name).render(_Two())
    assert not _problems(name, text), _problems(name, text)


# --- the administration (issue 15, item 1: « admin labels in French ») ---------------------

# Words the same in both languages (checked by hand): not a missing translation.
SAME_IN_FRENCH = {
    "ID", "logo", "e-mail", "SIRET", "action", "contact", "contacts", "message", "messages",
    "date", "allergies", "position", "import", "imports", "invitation", "invitations", "total",
}  # fmt: skip


# The keys of a JSON field the admin shows (a request's data) are data, not interface.
JSON_KEY = re.compile(r'"\w+":')


def _verbose_names():
    for model in apps.get_app_config("core").apps.get_models():
        if not model.__module__.startswith("portail."):
            continue
        meta = model._meta
        for label in ("verbose_name", "verbose_name_plural"):
            yield f"{meta.label} Meta.{label}", meta.original_attrs.get(label)
        for field in meta.local_fields + meta.local_many_to_many:
            if not (field.primary_key and field.auto_created):
                yield f"{meta.label}.{field.name}", field.verbose_name


def test_every_model_and_field_is_named_in_french():
    failures = []
    for where, name in _verbose_names():
        if not isinstance(name, Promise):
            failures.append(f"{where}: {name!r} is not translatable (gettext_lazy)")
            continue
        with translation.override("en"):
            english = str(name)
        with translation.override("fr"):
            french = str(name)
        if french == english and english not in SAME_IN_FRENCH:
            failures.append(f"{where}: {english!r} has no French")
        failures += _problems(where, french)
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.usefixtures("town")
def test_every_admin_list_add_and_change_page_is_in_french():
    client = _client("demo.admin")
    failures, pages = [], 0
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        base = f"/administration/{meta.app_label}/{meta.model_name}/"
        urls = [base, f"{base}add/"]
        first = model_admin.get_queryset(RequestFactory().get(base)).order_by("pk").first()
        if first is not None:
            urls.append(f"{base}{first.pk}/change/")
        for url in urls:
            response = client.get(url)
            if response.status_code == 403:  # no add permission (sealed records, logs)
                continue
            assert response.status_code == 200, url
            pages += 1
            text = JSON_KEY.sub(" ", _visible(response.content.decode()))
            failures += _problems(f"admin {url}", text)
    assert pages > 40
    assert not failures, "\n".join(failures)
