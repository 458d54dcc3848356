"""Issue 14 item 2: Argon2id at OWASP's minimum; older hashes upgraded at the next login."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from tests.factories import PASSWORD

# The production list (tests/settings.py swaps in a fast hasher for the rest of the suite).
PRODUCTION_HASHERS = [
    "portail.accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]


def test_production_hashes_with_argon2id_first():
    import subprocess
    import sys

    code = "import portail.settings as s; print(s.PASSWORD_HASHERS[0])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == PRODUCTION_HASHERS[0]


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_new_passwords_are_argon2id_at_owasp_minimum():
    encoded = make_password(PASSWORD)
    algorithm, variety, version, params, _salt, _hash = encoded.split("$")
    assert (algorithm, variety) == ("argon2", "argon2id")
    params = dict(p.split("=") for p in params.split(","))
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2 and int(params["p"]) == 1


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_pbkdf2_hash_is_upgraded_to_argon2id_at_login(client, parent):
    user, _, _ = parent
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert user.password.startswith("pbkdf2_sha256$")

    response = client.post("/compte/login/", {"login": user.username, "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)
    # The next login checks the new hash.
    client.post("/compte/logout/")
    response = client.post("/compte/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_bench_settings_hash_like_production():
    import subprocess
    import sys

    code = "import bench.settings as s; print(s.PASSWORD_HASHERS[0])"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout.strip()
    assert out == PRODUCTION_HASHERS[0]
