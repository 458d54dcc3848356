"""Shared fixtures: factories, a real SMTP sink, a Chromium browser driven by Playwright, axe."""

import os
import socket
import threading
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PASSWORD, make_parent

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent
# Races need PostgreSQL's row locks (`select_for_update` does nothing on SQLite): tests marked
# `postgres` are skipped on SQLite (below) and run in CI's PostgreSQL pass.
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
# Sample uploads (a proof of address in each accepted format), kept with the tests.
UPLOADS = Path(__file__).resolve().parent / "fixtures" / "uploads"


# --- Mail: a real SMTP server on loopback; Django sends through its SMTP backend. ----------


class _Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        import email

        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """The mails received by the sink, decoded: subject, to, body text."""

    def __init__(self, sink):
        self._sink = sink

    def __len__(self):
        return len(self._sink.messages)

    def __iter__(self):
        return iter(self.all())

    def all(self):
        return [self._decode(m) for m in self._sink.messages]

    def to(self, address):
        return [m for m in self.all() if address.lower() in m["to"].lower()]

    def last(self, address=None):
        mails = self.to(address) if address else self.all()
        assert mails, f"no mail received{' for ' + address if address else ''}"
        return mails[-1]

    @staticmethod
    def _decode(message):
        from email.header import decode_header, make_header

        body = ""
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                body = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
                break
        return {
            "subject": str(make_header(decode_header(message["Subject"] or ""))),
            "to": message["To"] or "",
            "body": body,
        }


@pytest.fixture
def mailbox(settings):
    """Start an SMTP sink and point Django's SMTP backend at it; yields the received mails."""
    from aiosmtpd.controller import Controller

    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield Mailbox(sink)
    finally:
        controller.stop()


# --- Data ------------------------------------------------------------------------------------


@pytest.fixture
def parent(db):
    """A parent with a household and one child: (user, household, child)."""
    return make_parent()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright per test process: its sync API cannot be started twice in a process."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on a phone-sized screen, with `page.url_for(path)` on the live server."""
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "Content Security" in msg.text
            else None
        ),
    )
    yield tab
    context.close()
    assert not errors, f"JavaScript or CSP errors in the page: {errors}"


def login(page, username, password=PASSWORD):
    """Sign in through the real login form."""
    page.goto("/compte/login/")
    page.get_by_label("Identifiant ou e-mail").fill(username)
    page.get_by_label("Mot de passe").first.fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def assert_accessible(page):
    """axe-core finds no violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error

    page.wait_for_load_state("load")
    try:
        results = Axe().run(page)
    except Error:
        # A click's navigation was still under way: run again on the page it led to.
        page.wait_for_load_state("load")
        results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def axe():
    return assert_accessible


def race(*functions) -> list:
    """The race harness: run the functions in threads released at the same instant, each on
    its own database connection; their results in order (an exception raised is returned)."""
    from django.db import connection

    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # the loser's refusal: the test looks at it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def pytest_collection_modifyitems(config, items):
    # Browser tests need the live server's transactional database.
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    if not ON_POSTGRES:
        skip_sqlite = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip_sqlite)
    if os.environ.get("SKIP_E2E"):
        skip = pytest.mark.skip(reason="SKIP_E2E is set")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


assert settings  # imported for pytest-django's settings fixture
