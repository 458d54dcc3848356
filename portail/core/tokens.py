"""Secret tokens carried by links (calendar feed, cancel an e-mail change): the plain token goes
to the user once; only its SHA-256 is stored, and lookups are by hash."""

import hashlib
import secrets


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token (256 bits, URL-safe) and its hash."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)
