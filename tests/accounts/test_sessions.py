import datetime

import pytest
import time_machine
from django.conf import settings as django_settings

from tests.factories import PASSWORD


def login(client, user):
    return client.post("/compte/login/", {"login": user.username, "password": PASSWORD})


@pytest.mark.django_db
def test_login_starts_a_new_session_and_logout_ends_it(client, parent):
    user, _, _ = parent
    client.get("/compte/login/")
    client.session.save()
    before = client.session.session_key
    login(client, user)
    after = client.session.session_key
    assert after and after != before
    client.post("/compte/logout/")
    assert "_auth_user_id" not in client.session
    assert client.get("/compte/profil/").status_code == 302


@pytest.mark.django_db
def test_idle_session_times_out(client, parent):
    user, _, _ = parent
    start = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)
    idle = datetime.timedelta(minutes=django_settings.SESSION_COOKIE_AGE // 60)
    with time_machine.travel(start, tick=False):
        login(client, user)
    # Activity keeps the session alive...
    with time_machine.travel(start + idle - datetime.timedelta(minutes=1), tick=False):
        assert client.get("/compte/profil/").status_code == 200
    with time_machine.travel(start + 2 * idle - datetime.timedelta(minutes=2), tick=False):
        assert client.get("/compte/profil/").status_code == 200
    # ...idleness ends it.
    with time_machine.travel(start + 3 * idle, tick=False):
        assert client.get("/compte/profil/").status_code == 302


def test_production_cookies_are_secure():
    import os
    import subprocess
    import sys

    code = (
        "import portail.settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_SAVE_EVERY_REQUEST, s.SESSION_COOKIE_AGE)"
    )
    env = {**os.environ, "HTTPS": "1", "DEBUG": "0", "SESSION_IDLE_MINUTES": "20"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    # The idle timeout is kept without a write on every request (SessionRefreshMiddleware).
    assert out == ["True", "True", "True", "False", "1200"]


START = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)


def _signed_in_at_start(client, parent):
    user, _, _ = parent
    with time_machine.travel(START, tick=False):
        login(client, user)
        assert client.get("/compte/profil/").status_code == 200
    return START


def _stored_expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.django_db
def test_pages_do_not_write_the_session_but_refresh_it_every_few_minutes(client, parent):
    start = _signed_in_at_start(client, parent)
    refresh = datetime.timedelta(seconds=django_settings.SESSION_REFRESH_SECONDS)
    saved = _stored_expiry(client)
    # Pages read within the refresh interval leave the stored session alone...
    with time_machine.travel(start + refresh - datetime.timedelta(seconds=5), tick=False):
        assert client.get("/compte/profil/").status_code == 200
        assert client.get("/").status_code == 200
    assert _stored_expiry(client) == saved
    # ...the first one after it pushes the expiry back.
    with time_machine.travel(start + refresh + datetime.timedelta(seconds=5), tick=False):
        assert client.get("/compte/profil/").status_code == 200
    assert _stored_expiry(client) == saved + refresh + datetime.timedelta(seconds=5)


@pytest.mark.django_db
def test_an_active_session_stays_and_an_idle_one_ends_within_the_idle_time(client, parent):
    start = _signed_in_at_start(client, parent)
    idle = datetime.timedelta(seconds=django_settings.SESSION_COOKIE_AGE)
    # A page every 4 minutes for two hours: never signed out.
    last = start
    for step in range(1, 31):
        last = start + step * datetime.timedelta(minutes=4)
        with time_machine.travel(last, tick=False):
            assert client.get("/compte/profil/").status_code == 200
    # Idle: signed out at the latest SESSION_IDLE_MINUTES after the last page.
    with time_machine.travel(last + idle, tick=False):
        assert client.get("/compte/profil/").status_code == 302
