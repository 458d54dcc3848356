from portail.core.models import TownSettings


def load(stdout):
    town = TownSettings.current()
    town.town_name = "Viry"
    town.portal_name = "Portail famille"
    town.school_zone = TownSettings.Zone.A
    # The demo's FranceConnect is the local provider started by `make run`.
    town.franceconnect_enabled = True
    town.save()
