"""What a kind of procedure declares: its title, its form steps, the documents it needs, how
its data reads back, and what closing it does."""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _


@dataclass
class Step:
    title: str
    form_class: type
    template: str = "procedures/step.html"


class Procedure:
    slug = ""
    title = ""  # ends with « @ » when a login is needed (FAQ §3)
    description = ""
    login_required = True
    position = 100
    steps: list[Step] = []
    # Show a review page before submitting (« ENREGISTRER LA DEMANDE »).
    review = True
    review_title = _("Check your request")
    # Closing needs a written answer (sent to the requester).
    answer_required = False
    # Closing needs every supporting document it asks for to be valid, unless the agent writes
    # why it closes anyway (`services.close`).
    valid_documents_to_close = False

    def summary(self, data: dict, household=None) -> list[tuple[str, str]]:
        """(label, value) lines shown on the review and detail pages and to agents."""
        return []

    def validate(self, data: dict, household) -> None:
        """Check the whole request before it is submitted or closed; raise ValidationError."""

    def apply(self, service_request, actor) -> None:
        """Carry out the request when an agent closes it (same transaction as the change)."""

    def on_step_saved(self, index: int, data: dict, old: dict, household) -> dict:
        """Adjust the working copy after a step is saved (e.g. load the current list)."""
        return data

    def documents_child(self, data: dict, household):
        """The child the request is about, for its supporting documents: None for every child
        of the household; an unsaved Child for a child not registered yet."""
        return None

    def request_title(self, data: dict, household=None) -> str:
        """The title of a filed request of this kind (its messages, its history)."""
        return str(self.title)


class StepForm(forms.Form):
    """A step's form. `to_data()` gives JSON-safe values stored in the request."""

    def __init__(self, *args, household=None, data_store=None, **kwargs):
        self.household = household
        self.store = data_store or {}
        super().__init__(*args, **kwargs)

    def to_data(self) -> dict:
        out = {}
        for name, value in self.cleaned_data.items():
            out[name] = _jsonable(value)
        return out


def _jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple)) or hasattr(value, "model"):
        return [_jsonable(v) for v in value]
    return value


TERMS_LABEL = _("I accept the terms of use of the service")
