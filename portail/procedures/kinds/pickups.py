"""« Gérer les personnes autorisées à récupérer mon enfant @ » (FAQ §3): choose the child, edit
the list (add a new person or one already in the account, remove with the red cross), then
« valider la demande ». Closing it replaces the child's list."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portail.accounts.forms import clean_person_name, clean_phone_number
from portail.families.models import AuthorizedPickup, Child
from portail.families.services import set_authorized_pickups
from portail.procedures.kinds import register
from portail.procedures.kinds.base import Procedure, Step, StepForm

FIELDS = ("first_name", "last_name", "relationship", "phone")


def _child(household, pk):
    return Child.objects.filter(household=household, pk=pk).first()


def _current(child):
    return [{f: getattr(p, f) for f in FIELDS} for p in child.authorized_pickups.all()]


def _key(person):
    """Who a person is, whatever the case and spacing: « marie  DUPONT » is Marie Dupont."""
    return tuple(" ".join(person[f].split()).casefold() for f in ("first_name", "last_name"))


def _known_persons(household, persons):
    """The household's adults and the people authorised for any child of the household, not
    yet in the list (an adult may lack a phone or a relationship: the form asks for it)."""
    seen = {_key(p) for p in persons}
    known = {}
    candidates = [
        {
            "first_name": a.first_name,
            "last_name": a.last_name,
            "relationship": a.get_relationship_display() if a.relationship else "",
            "phone": a.phone,
        }
        for a in household.adults.all()
    ]
    candidates += [
        {f: getattr(p, f) for f in FIELDS}
        for p in AuthorizedPickup.objects.filter(child__household=household)
    ]
    for person in candidates:
        key = _key(person)
        if key not in seen and key not in known:
            known[key] = person
    return list(known.values())


class ChildForm(StepForm):
    child = forms.ModelChoiceField(
        label=_("Child"), queryset=Child.objects.none(), empty_label=_("Select from the list...")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Child.objects.filter(household=self.household)


class AddPersonForm(forms.Form):
    SOURCES = [("new", _("new person")), ("existing", _("already in the account"))]
    source = forms.ChoiceField(
        label=_("New or already in the account"),
        choices=SOURCES,
        widget=forms.RadioSelect,
        initial="new",
    )
    existing = forms.TypedChoiceField(
        label=_("Person already in the account"), required=False, coerce=int
    )
    # The same rules as « Mon profil » (accounts.forms).
    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[clean_person_name]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, validators=[clean_person_name]
    )
    relationship = forms.CharField(label=_("Relationship to the child"), max_length=60)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        validators=[clean_phone_number],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, known=(), persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.known = list(known)
        self.persons = list(persons)
        self.fields["existing"].choices = [("", _("Select from the list..."))] + [
            (
                i,
                f"{p['first_name']} {p['last_name']}"
                + (f" ({p['relationship']})" * bool(p["relationship"])),
            )
            for i, p in enumerate(self.known)
        ]
        # Required for a new person (marked « * »), not when picking one already known (an
        # adult of the account without a phone gives it here).
        adding_known = self.is_bound and self.data.get("source") == "existing"
        for name in FIELDS:
            self.fields[name].required = not adding_known

    use_required_attribute = False

    def clean(self):
        data = super().clean()
        if data.get("source") == "existing":
            index = data.get("existing")
            if index in (None, "") or not (0 <= index < len(self.known)):
                self.add_error("existing", _("Choose a person from the list."))
                return data
            known = self.known[index]
            person = {f: (known[f] or data.get(f) or "").strip() for f in FIELDS}
            for name in ("relationship", "phone"):
                if not person[name] and name not in self.errors:
                    self.add_error(name, _("Give it for this person."))
            field = "existing"
        elif self.errors:
            return data
        else:
            person = {name: " ".join(data[name].split()) for name in FIELDS}
            field = "last_name"
        if any(_key(p) == _key(person) for p in self.persons):
            self.add_error(field, _("This person is already in the list."))
        elif not self.errors:
            data["person"] = person
        return data


@register
class PickupsProcedure(Procedure):
    slug = "personnes-autorisees"
    title = _("Manage the persons authorised to collect my child @")
    description = _("Add or remove the persons allowed to collect your child from the services.")
    position = 20
    review = False
    steps = [
        Step(_("Child"), ChildForm),
        Step(_("Authorised persons"), None, "procedures/kinds/pickups_list.html"),
    ]

    def on_step_saved(self, index, data, old, household):
        if index == 0 and (old.get("child") != data.get("child") or "persons" not in data):
            child = _child(household, data.get("child"))
            data["persons"] = _current(child) if child else []
        return data

    def summary(self, data, household=None):
        child = _child(household, data.get("child"))
        persons = data.get("persons") or []
        lines = [(_("Child"), str(child or ""))]
        lines.append(
            (
                _("Authorised persons"),
                "; ".join(
                    f"{p['first_name']} {p['last_name']} ({p['relationship']}, {p['phone']})"
                    for p in persons
                )
                or _("nobody"),
            )
        )
        return lines

    def validate(self, data, household):
        child = _child(household, data.get("child"))
        if not child:
            raise ValidationError(_("The request is incomplete."))
        persons = data.get("persons") or []
        for p in persons:
            if not all((p.get(f) or "").strip() for f in FIELDS):
                raise ValidationError(_("The request is incomplete."))
        if len({_key(p) for p in persons}) < len(persons):
            raise ValidationError(_("A person appears twice in the list."))
        if sorted(_key(p) + (p["relationship"], p["phone"]) for p in persons) == sorted(
            _key(p) + (p["relationship"], p["phone"]) for p in _current(child)
        ):
            raise ValidationError(
                _("The list is unchanged: add or remove a person before validating the request.")
            )

    def apply(self, service_request, actor):
        child = _child(service_request.household, service_request.data.get("child"))
        if child is None:
            raise ValidationError(_("The request is incomplete."))
        set_authorized_pickups(child, service_request.data.get("persons") or [])

    def request_title(self, data, household=None):
        child = _child(household, data.get("child"))
        return f"{self.title} – {child.first_name}" if child else str(self.title)
