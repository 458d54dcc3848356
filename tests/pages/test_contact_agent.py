"""« Nous contacter » on the agents' side: the list (untreated by default, filters, count,
export), one message, the reply by e-mail to the sender (stored, audited, through the mail
queue) and « traité » (who and when)."""

import csv
import io

import pytest
from django.test import Client

from portail.core.models import AuditEvent
from portail.messaging.models import OutboundEmail
from portail.pages.models import ContactMessage, ContactReply
from tests.factories import AgentFactory, CashierFactory, make_parent


@pytest.fixture
def agent(db):
    return AgentFactory(first_name="Alice", last_name="Agent")


@pytest.fixture
def client(agent):
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def message(db):
    return ContactMessage.objects.create(
        name="Claire Dubois",
        email="claire@example.test",
        phone="0601020304",
        subject="Cantine du lundi",
        body="Bonjour,\nmon fils mange-t-il lundi ?",
    )


def test_the_list_shows_what_waits_and_filters(client, message):
    ContactMessage.objects.create(name="X", email="x@example.test", subject="Réglé", body="b")
    ContactMessage.objects.filter(subject="Réglé").update(handled_at=message.created_at)
    waiting = client.get("/gestion/messages/").content.decode()
    assert "Cantine du lundi" in waiting and "Réglé" not in waiting and "1 message" in waiting
    handled = client.get("/gestion/messages/?state=handled").content.decode()
    assert "Réglé" in handled and "Cantine du lundi" not in handled
    found = client.get("/gestion/messages/?state=all&q=dubois").content.decode()
    assert "Cantine du lundi" in found and "Réglé" not in found


def test_the_export_has_every_filtered_message(client, message):
    for i in range(60):
        ContactMessage.objects.create(
            name=f"P{i}", email=f"p{i}@example.test", subject="S", body="b"
        )
    response = client.get("/gestion/messages/?export=csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(lines) == 1 + 61
    assert lines[0][:3] == ["Reçu", "Expéditeur", "E-mail"]


def test_reply_is_mailed_to_the_sender_stored_and_marks_it_handled(client, agent, message):
    page = client.get(f"/gestion/messages/{message.pk}/").content.decode()
    assert "mon fils mange-t-il lundi" in page and "0601020304" in page
    response = client.post(
        f"/gestion/messages/{message.pk}/repondre/", {"body": "Oui, il est inscrit lundi."}
    )
    assert response.status_code == 302
    mail = OutboundEmail.objects.get(to="claire@example.test")
    assert "Oui, il est inscrit lundi." in mail.body and "> mon fils mange-t-il lundi" in mail.body
    assert "Cantine" not in mail.subject  # nothing the sender typed goes into a header
    reply = ContactReply.objects.get()
    assert (reply.message, reply.author, reply.to) == (message, agent, "claire@example.test")
    message.refresh_from_db()
    assert message.handled_by == agent and message.handled_at is not None
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "pages.contact_reply",
        "pages.contact_handled",
    }
    page = client.get(f"/gestion/messages/{message.pk}/").content.decode()
    assert "Oui, il est inscrit lundi." in page and "Traité le" in page and "Alice Agent" in page


def test_an_empty_reply_is_refused_beside_the_field(client, message):
    response = client.post(f"/gestion/messages/{message.pk}/repondre/", {"body": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not OutboundEmail.objects.exists()


def test_mark_handled_then_back_to_handle(client, agent, message):
    client.post(f"/gestion/messages/{message.pk}/traite/")
    message.refresh_from_db()
    assert message.handled_by == agent
    client.post(f"/gestion/messages/{message.pk}/traite/", {"reopen": "1"})
    message.refresh_from_db()
    assert message.handled_at is None and message.handled_by is None
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("who", ["parent", "cashier"])
def test_only_agents_read_and_answer(db, message, who):
    user = make_parent()[0] if who == "parent" else CashierFactory()
    client = Client()
    client.force_login(user)
    assert client.get("/gestion/messages/").status_code == 403
    assert client.get(f"/gestion/messages/{message.pk}/").status_code == 403
    assert (
        client.post(f"/gestion/messages/{message.pk}/repondre/", {"body": "x"}).status_code == 403
    )


def test_an_unknown_message_is_404(client):
    assert client.get("/gestion/messages/999999/").status_code == 404
