import pytest
from django.http import Http404

from portail.families.models import Child
from portail.families.scoping import get_for_household
from tests.factories import make_parent


@pytest.mark.django_db
def test_another_familys_child_is_404():
    _, mine, my_child = make_parent()
    _, theirs, their_child = make_parent()
    assert get_for_household(Child, mine, my_child.pk) == my_child
    with pytest.raises(Http404):
        get_for_household(Child, mine, their_child.pk)
    with pytest.raises(Http404):
        get_for_household(Child, None, my_child.pk)


@pytest.mark.django_db
def test_request_household_is_the_parents(client):
    user, household, _ = make_parent()
    client.force_login(user)
    response = client.get("/")
    assert response.wsgi_request.household == household
