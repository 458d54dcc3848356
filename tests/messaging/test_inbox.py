import pytest

from portail.messaging.services import notify
from tests.factories import UserFactory


@pytest.mark.django_db
def test_inbox_shows_unread_count_and_marks_read(client):
    user = UserFactory()
    other = UserFactory()
    message = notify(user, "Votre demande est close", "Texte", email=False)
    foreign = notify(other, "Pas pour vous", "Secret", email=False)
    client.force_login(user)
    html = client.get("/messages/").content.decode()
    assert "Votre demande est close" in html and "Pas pour vous" not in html
    assert '<span class="badge">1' in html
    assert client.get(f"/messages/{foreign.pk}/").status_code == 404
    assert "Texte" in client.get(f"/messages/{message.pk}/").content.decode()
    assert '<span class="badge">' not in client.get("/messages/").content.decode()
