"""Login throttling keys on the real client, behind a real nginx and without a proxy.

Two clients connect from two loopback addresses (127.0.0.2 and 127.0.0.3); nginx (Debian's,
configured as docs/DEPLOY.md says) stands in front of the live server, which runs the real
middleware, axes and allauth."""

import pytest
from axes.models import AccessAttempt

from tests.factories import PASSWORD, make_parent
from tests.proxy import Nginx, client_from, nginx_binary

A, B = "127.0.0.2", "127.0.0.3"
NGINX = nginx_binary()

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt.txt)"),
]


@pytest.fixture
def nginx(live_server, tmp_path):
    port = int(live_server.url.rsplit(":", 1)[1])
    proxy = Nginx(NGINX, tmp_path, port)
    yield proxy
    proxy.stop()


def login(session, base, identifier, password, forged=None):
    """The login form as a browser posts it; `forged` is an X-Forwarded-For the client adds."""
    headers = {"X-Forwarded-For": forged} if forged else {}
    session.get(f"{base}/compte/login/", headers=headers, timeout=10)
    data = {
        "login": identifier,
        "password": password,
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }
    return session.post(
        f"{base}/compte/login/", data=data, headers=headers, allow_redirects=False, timeout=10
    )


def locked(response):
    return response.status_code == 429 and "votre compte est bloqué" in response.text


def signed_in(response):
    return response.status_code == 302 and "sessionid" in response.cookies


def test_behind_nginx_a_client_locks_an_account_for_itself_only(nginx, settings):
    settings.PROXY_COUNT = 1
    user, _, _ = make_parent()
    a, b = client_from(A), client_from(B)
    responses = [login(a, nginx.url, user.username, "Wrong-Pass-1") for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert locked(responses[4])
    assert locked(login(a, nginx.url, user.username, PASSWORD))
    # The lock is on (account, client A), as nginx saw A; not on nginx's own address.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {A}
    # A pretends to be someone else: nginx appends A's real address, which the app reads.
    assert locked(login(a, nginx.url, user.username, PASSWORD, forged=B))
    assert locked(login(client_from(A), nginx.url, user.username, PASSWORD, forged="10.9.9.9"))
    # B, through the same proxy, still signs in to the same account.
    assert signed_in(login(b, nginx.url, user.username, PASSWORD))


def test_behind_nginx_the_login_budget_is_per_client(nginx, settings):
    settings.PROXY_COUNT = 1
    user, _, _ = make_parent()
    a = client_from(A)
    # allauth's « login » limit (30 a minute per address); unknown names so axes locks nothing.
    for n in range(30):
        assert login(a, nginx.url, f"nobody{n}", "Wrong-Pass-1").status_code == 200
    over = login(a, nginx.url, user.username, PASSWORD)
    assert over.status_code == 429 and not locked(over)
    assert login(a, nginx.url, user.username, PASSWORD, forged=B).status_code == 429
    # The rest of the town is not throttled by A.
    assert signed_in(login(client_from(B), nginx.url, user.username, PASSWORD))


def test_without_proxy_a_forged_header_is_ignored(live_server, settings):
    settings.PROXY_COUNT = 0
    user, _, _ = make_parent()
    a = client_from(A)
    # A claims to be B on every attempt: the connection's address is what counts.
    responses = [
        login(a, live_server.url, user.username, "Wrong-Pass-1", forged=B) for _ in range(5)
    ]
    assert locked(responses[4])
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {A}
    assert locked(login(client_from(A), live_server.url, user.username, PASSWORD))
    assert signed_in(login(client_from(B), live_server.url, user.username, PASSWORD))
