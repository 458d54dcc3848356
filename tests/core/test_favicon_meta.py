"""A favicon and a meta description on every page (issue 15, item 7)."""

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_pages_link_a_favicon_that_exists_and_describe_the_portal(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/core/favicon.svg" type="image/svg+xml">' in html
    assert '<meta name="description" content="Portail famille de ' in html
    assert "réservations de la cantine et du périscolaire" in html
    with open(finders.find("core/favicon.svg"), encoding="utf-8") as icon:
        assert "<svg" in icon.read()
    assert client.get("/favicon.ico")["Location"] == "/static/core/favicon.svg"
