"""The partners' documentation page: French, no script (the site's CSP), accessible."""

import json

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible


@pytest.mark.django_db(transaction=True)
def test_partners_read_the_documentation_and_reach_the_schema(page):
    page.goto("/api/v1/docs/")
    assert page.locator("h1").inner_text().startswith("API du Portail famille")
    assert page.locator("html").get_attribute("lang") == "fr"
    section = page.locator("section", has=page.locator("h3", has_text="GET /api/v1/headcounts"))
    assert "Portée nécessaire\u00a0: headcounts:read" in section.inner_text()
    assert section.locator("code", has_text="headcounts:read").count() == 1
    assert "date_from" in section.locator("table").inner_text()
    assert page.locator("h3").count() == 12  # every operation of the schema
    page.screenshot(path="/tmp/h-api-docs.png", full_page=False)
    assert_accessible(page)
    page.get_by_role("link", name="/api/v1/openapi.json").click()
    schema = json.loads(page.locator("body").inner_text())
    assert schema["info"]["version"] == "1"


@pytest.mark.django_db(transaction=True)
def test_the_interactive_console_runs_under_the_sites_csp(page):
    """The library's Swagger UI, from local static files; the `page` fixture fails on any CSP
    or JavaScript error."""
    page.goto("/api/v1/console/")
    page.get_by_text("Effectifs par jour, école et activité").wait_for()
    assert page.locator(".opblock").count() == 12
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
