"""« Mes données »: everything the portal holds about a household, collected from every app.

Each installed app may provide `<app>/export.py` with `export_household(household) -> dict`;
the sections are keyed by the app's label. An app without that module holds nothing personal.
"""

import importlib
import json
from importlib.util import find_spec

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder

from portail.core import clock


def exporters():
    """(label, function) for every installed app that has an `export` module."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.export"
        try:
            if find_spec(name) is None:
                continue
        except ModuleNotFoundError:
            continue
        module = importlib.import_module(name)
        function = getattr(module, "export_household", None)
        if callable(function):
            found.append((config.label, function))
    return found


def export_household(household) -> dict:
    data = {"exported_at": clock.now(), "household": household.name}
    for label, function in exporters():
        data[label] = function(household)
    return data


def export_json(household) -> str:
    return json.dumps(
        export_household(household), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
