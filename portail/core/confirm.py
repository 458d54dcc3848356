"""A confirmation page before a destructive action (cancel, delete), without JavaScript: the
first POST shows the question; only its button (which posts `confirmed`) carries it out."""

from django.shortcuts import render


def confirmation_page(request, question: str, button: str, back_url: str, details=(), hidden=None):
    """None once confirmed; otherwise the page asking for it (the view returns it). `hidden`:
    fields the confirming POST carries again (e.g. which action)."""
    if request.POST.get("confirmed") == "1":
        return None
    return render(
        request,
        "core/confirm.html",
        {
            "question": question,
            "button": button,
            "back_url": back_url,
            "details": details,
            "hidden": (hidden or {}).items(),
        },
    )
