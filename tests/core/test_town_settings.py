import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portail.core.models import TownSettings
from portail.pages.models import ContactMessage
from tests.factories import AgentFactory, UserFactory


@pytest.mark.django_db
def test_administrator_rebrands_the_town_without_code(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    town = TownSettings.current()
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
        b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
        b"\x00\x00\x00IEND\xaeB`\x82"
    )
    data = {
        "town_name": "Collonges",
        "portal_name": "Espace famille",
        "logo": SimpleUploadedFile("logo.png", png, content_type="image/png"),
        "primary_colour": "#004488",
        "accent_colour": "#226622",
        "service_name": "Service enfance",
        "phone": "04 50 11 22 33",
        "email": "enfance@collonges.test",
        "address": "Mairie de Collonges",
        "opening_hours": "Lundi 9 h – 12 h",
        "school_zone": "Zone B",
        "legal_name": "Commune de Collonges",
        "siret": "21740074500011",
        "regie_name": "Régie enfance",
        "signatory_name": "Anne Durand",
        "signatory_role": "Régisseuse titulaire",
        "cash_limit": "300.00",
        "cash_confirmation_threshold": "150.00",
        "credit_required_to_book": "on",
    }
    response = client.post(f"/administration/core/townsettings/{town.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    town = TownSettings.current()
    assert (town.siret, town.signatory_name) == ("21740074500011", "Anne Durand")
    data["siret"] = "2174"
    data["logo"] = SimpleUploadedFile("logo.png", png, content_type="image/png")
    refused = client.post(f"/administration/core/townsettings/{town.pk}/change/", data)
    assert "14 chiffres" in refused.content.decode()
    client.logout()
    home = client.get("/").content.decode()
    assert "Collonges" in home and "Espace famille" in home and 'class="brand-logo"' in home
    assert "--primary: #004488" in client.get("/theme.css").content.decode()
    assert client.get("/logo").status_code == 200
    contact = client.get("/nous-contacter/").content.decode()
    assert "04 50 11 22 33" in contact and "enfance@collonges.test" in contact


@pytest.mark.django_db
def test_svg_logo_is_refused(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    town = TownSettings.current()
    svg = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml")
    response = client.post(
        f"/administration/core/townsettings/{town.pk}/change/",
        {"town_name": "X", "logo": svg, "primary_colour": "#000000", "accent_colour": "#000000"},
    )
    assert response.status_code == 200
    assert not TownSettings.current().logo


@pytest.mark.django_db
def test_contact_messages_reach_the_agents(client):
    ContactMessage.objects.create(name="Paul", email="p@example.test", subject="Cantine", body="?")
    client.force_login(AgentFactory())
    # The dashboard counts them and links to their list (docs/backoffice.md).
    dashboard = client.get("/gestion/").content.decode()
    assert (
        '<a href="/gestion/messages/" class="counter"><span class="counter-figure">1</span>'
        in dashboard
    )
    assert "Cantine" in client.get("/gestion/messages/").content.decode()


@pytest.mark.django_db
def test_back_office_is_for_agents_only(client):
    client.force_login(UserFactory())
    assert client.get("/gestion/").status_code == 403
    client.logout()
    assert client.get("/gestion/").status_code == 302
