"""django-axes glue: identifier and e-mail are one account for the lockout counter."""

from django.contrib.auth import get_user_model


def canonical_login(text: str) -> str:
    """The identifier of the account that `text` (identifier or e-mail, any case) names,
    or `text` lower-cased when no account matches (so unknown names are throttled too)."""
    text = (text or "").strip().lower()[:254]
    if not text:
        return text
    User = get_user_model()
    field = "email" if "@" in text else "username"
    username = User.objects.filter(**{field: text}).values_list("username", flat=True).first()
    return username or text


def axes_username(request, credentials):
    credentials = credentials or {}
    raw = credentials.get("username") or credentials.get("email") or credentials.get("login")
    if raw is None and request is not None and request.method == "POST":
        raw = request.POST.get("login") or request.POST.get("username")
    # Axes keeps it in a 255-character column; the login form refuses longer ones before.
    return canonical_login(str(raw or "")[:254])
