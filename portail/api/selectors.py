from portail.api.models import PartnerApplication
from portail.core.tokens import hash_token


def application_for_token(token: str) -> PartnerApplication | None:
    """The application holding this token, whether usable or not (revoked, expired)."""
    if not token or len(token) > 200:
        return None
    return PartnerApplication.objects.filter(token_hash=hash_token(token)).first()
