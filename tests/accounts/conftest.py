import pytest


@pytest.fixture(autouse=True)
def _mail_on_commit(request, monkeypatch):
    """Unit tests run inside one transaction that never commits: run on-commit work (the mail
    task) at once, as the real commit would. Browser tests commit for real."""
    if "e2e" in str(request.node.fspath):
        return
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
