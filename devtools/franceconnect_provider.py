"""A local stand-in for FranceConnect, for the demo (`make run`) and the tests.

Built on oidc-provider-mock (authlib + Flask): a real OpenID Connect provider (discovery, JWKS,
authorization code flow, RS256-signed ID tokens carrying the nonce, end-session endpoint) whose
authorization page lists the test identities below and has a « Deny » button (refused consent).
It behaves like FranceConnect v2 where the portal can tell: FranceConnect's scope names
(`given_name`, `family_name`, `birthdate`...), the `acr` claim, and a signed (JWT) userinfo.

    python devtools/franceconnect_provider.py --port 9000 [--token-max-age SECONDS]

A negative --token-max-age issues ID tokens that are already expired (tests).
Never expose it: it accepts any client and runs Flask's debugger.
"""

import argparse
import json
import os
import sys
from datetime import timedelta
from urllib.parse import urlencode

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain HTTP on loopback

import flask  # noqa: E402
from joserfc import jwt  # noqa: E402
from joserfc.jwk import RSAKey  # noqa: E402
from oidc_provider_mock import User, _app, _storage  # noqa: E402
from oidc_provider_mock._server import _threaded_server  # noqa: E402

# FranceConnect's documented test identity, and a second person (for linking an account).
IDENTITIES = [
    User(
        sub="fc-angela-dubois",
        claims={
            "given_name": "Angela Claire Louise",
            "family_name": "DUBOIS",
            "birthdate": "1962-08-24",
            "gender": "female",
            "email": "angela.dubois@example.test",
            "acr": "eidas1",
        },
    ),
    User(
        sub="fc-camille-martin",
        claims={
            "given_name": "Camille",
            "family_name": "MARTIN",
            "birthdate": "1985-03-12",
            "gender": "female",
            "email": "camille.martin@example.test",
            "acr": "eidas1",
        },
    ),
]

# FranceConnect names a scope after each claim; the mock knows only OpenID's standard scopes.
FC_SCOPES = {
    "given_name": ["given_name"],
    "family_name": ["family_name"],
    "birthdate": ["birthdate"],
    "gender": ["gender"],
    "preferred_username": ["preferred_username"],
}
_app._SCOPES_TO_CLAIMS.update(FC_SCOPES)
_storage.Client.SCOPES_SUPPORTED = (*_storage.Client.SCOPES_SUPPORTED, *FC_SCOPES)


def make_app(token_max_age: int = 3600, signed_userinfo: bool = True) -> flask.Flask:
    app = _app.app(
        require_nonce=True,
        issue_refresh_token=False,
        access_token_max_age=timedelta(seconds=token_max_age),
        user_claims=IDENTITIES,
    )
    clients_by_token: dict[str, str] = {}

    @app.after_request
    def franceconnect_v2(response: flask.Response) -> flask.Response:
        endpoint = flask.request.endpoint or ""
        if endpoint.endswith(".authorize") and flask.request.form.get("action") == "deny":
            # Refused consent: FranceConnect answers `error=access_denied` with the `state`.
            state = flask.request.args.get("state", "")
            response.location = f"{response.location}&{urlencode({'state': state})}"
            return response
        if response.status_code != 200:
            return response
        if endpoint.endswith(".issue_token"):
            # Remember which client holds each access token: the userinfo JWT's audience.
            client_id = flask.request.authorization.username if flask.request.authorization else ""
            client_id = client_id or flask.request.form.get("client_id", "")
            clients_by_token[response.get_json()["access_token"]] = client_id
        elif endpoint.endswith(".userinfo") and signed_userinfo:
            # FranceConnect v2 answers userinfo with a JWT signed like the ID token.
            token = (flask.request.headers.get("Authorization") or "").removeprefix("Bearer ")
            claims = {
                **response.get_json(),
                "iss": flask.request.host_url.rstrip("/"),
                "aud": clients_by_token.get(token, ""),
            }
            key = RSAKey.import_key(flask.g.oidc_provider_mock_storage.jwk.as_dict(is_private=True))
            body = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
            response.set_data(body)
            response.mimetype = "application/jwt"
        return response

    return app


def run_in_thread(port: int = 0, token_max_age: int = 3600, signed_userinfo: bool = True):
    """A context manager: the provider on 127.0.0.1:`port` (0: a free port), as a werkzeug
    server whose `server_port` tells the port. Without `signed_userinfo`, userinfo is plain
    JSON (FranceConnect v1 and most providers)."""
    app = make_app(token_max_age, signed_userinfo)
    return _threaded_server(app=app, host="127.0.0.1", port=port)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--token-max-age", type=int, default=3600)
    args = parser.parse_args(argv)
    print(f"Fournisseur d'identité local (FranceConnect) : http://127.0.0.1:{args.port}")
    print("Identités de test : " + json.dumps([u.sub for u in IDENTITIES]))
    make_app(args.token_max_age).run(host="127.0.0.1", port=args.port, use_reloader=False)


if __name__ == "__main__":
    sys.exit(main())
