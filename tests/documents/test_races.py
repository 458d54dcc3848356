"""Two agents check the same document at once: one wins, the family is told once."""

import pytest
from django.core.exceptions import ValidationError

from portail.documents import services
from portail.documents.models import SupportingDocument
from portail.messaging.models import Message
from tests.conftest import race
from tests.documents.factories import DocumentTypeFactory, upload
from tests.factories import AgentFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_checks_of_one_document(parent):
    user, household, child = parent
    document = upload(household, DocumentTypeFactory(), user)
    agents = [AgentFactory(), AgentFactory()]
    results = race(
        lambda: services.validate_document(document=document, agent=agents[0], valid_until=None),
        lambda: services.invalidate_document(document=document, agent=agents[1], reason="Flou"),
    )
    outcomes = ["refused" if isinstance(r, ValidationError) else "done" for r in results]
    assert sorted(outcomes) == ["done", "refused"]
    document.refresh_from_db()
    assert document.status in (SupportingDocument.Status.VALID, SupportingDocument.Status.INVALID)
    assert Message.objects.filter(recipient=user).count() == 1
