"""Two agents check the same document at once: one wins, the family is told once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portail.documents import services
from portail.documents.models import SupportingDocument
from portail.messaging.models import Message
from tests.documents.factories import DocumentTypeFactory, upload
from tests.factories import AgentFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_checks_of_one_document(parent):
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update needs PostgreSQL")
    user, household, child = parent
    document = upload(household, DocumentTypeFactory(), user)
    agents = [AgentFactory(), AgentFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def check(agent, valid):
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            if valid:
                services.validate_document(document=document, agent=agent, valid_until=None)
            else:
                services.invalidate_document(document=document, agent=agent, reason="Flou")
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=check, args=(agent, i == 0)) for i, agent in enumerate(agents)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "refused"]
    document.refresh_from_db()
    assert document.status in (SupportingDocument.Status.VALID, SupportingDocument.Status.INVALID)
    assert Message.objects.filter(recipient=user).count() == 1
