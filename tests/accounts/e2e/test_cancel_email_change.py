"""The cancel link mailed to the old address, in a browser (axe on each page)."""

import pytest
from playwright.sync_api import expect

from portail.accounts import services
from portail.accounts.models import User
from tests.conftest import assert_accessible
from tests.factories import make_parent


@pytest.mark.django_db(transaction=True)
def test_the_old_address_puts_itself_back(page, mailbox):
    user, _, _ = make_parent()
    old = user.email
    User.objects.filter(pk=user.pk).update(email="pirate@example.test")
    services.record_email_change(user, old, "pirate@example.test")
    link = next(w for w in mailbox.last(old)["body"].split() if "/compte/email/annuler/" in w)
    path = "/compte/" + link.split("/compte/", 1)[1]  # the mail's link, on the live server
    page.goto(path)
    assert_accessible(page)
    page.get_by_role("button", name=f"Rétablir {old}").click()
    expect(page.get_by_text(f"Votre adresse {old} est rétablie")).to_be_visible()
    assert_accessible(page)
    assert User.objects.get(pk=user.pk).email == old
    page.goto(path)
    expect(page.get_by_text("Ce lien n'est plus valable")).to_be_visible()
    assert_accessible(page)
