"""« Gérer les personnes autorisées à récupérer mon enfant @ » (FAQ §3): choose the child, edit
the list (add a new person or one already in the account, remove with the red cross), then
« valider la demande ». Closing it replaces the child's list."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from portail.families.models import AuthorizedPickup, Child
from portail.families.services import set_authorized_pickups
from portail.procedures.kinds import register
from portail.procedures.kinds.base import Procedure, Step, StepForm

FIELDS = ("first_name", "last_name", "relationship", "phone")


def _child(household, pk):
    return Child.objects.filter(household=household, pk=pk).first()


def _current(child):
    return [{f: getattr(p, f) for f in FIELDS} for p in child.authorized_pickups.all()]


def _known_persons(household, persons):
    """People authorised for any child of the household, not yet in the list."""
    seen = {(p["first_name"].lower(), p["last_name"].lower()) for p in persons}
    known = {}
    for p in AuthorizedPickup.objects.filter(child__household=household):
        key = (p.first_name.lower(), p.last_name.lower())
        if key not in seen and key not in known:
            known[key] = {f: getattr(p, f) for f in FIELDS}
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
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    relationship = forms.CharField(label=_("Relationship to the child"), max_length=60)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, known=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.known = list(known)
        self.fields["existing"].choices = [("", _("Select from the list..."))] + [
            (i, f"{p['first_name']} {p['last_name']} ({p['relationship']})")
            for i, p in enumerate(self.known)
        ]
        # Required for a new person (marked « * »), not when picking one already known.
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
            else:
                data["person"] = self.known[index]
        elif not self.errors:
            data["person"] = {name: data[name].strip() for name in FIELDS}
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
        if not _child(household, data.get("child")):
            raise ValidationError(_("The request is incomplete."))
        for p in data.get("persons") or []:
            if not all((p.get(f) or "").strip() for f in FIELDS):
                raise ValidationError(_("The request is incomplete."))

    def apply(self, service_request, actor):
        child = _child(service_request.household, service_request.data.get("child"))
        if child is None:
            raise ValidationError(_("The request is incomplete."))
        set_authorized_pickups(child, service_request.data.get("persons") or [])

    def subject(self, data, household=None):
        child = _child(household, data.get("child"))
        return f"{self.title} – {child.first_name}" if child else str(self.title)

    def handle_step(self, request, sr, index):
        if index != 1:
            return None
        from portail.procedures import services

        household = request.household
        data = dict(sr.draft_data)
        persons = list(data.get("persons") or [])
        child = _child(household, data.get("child"))
        if child is None:
            return redirect("procedures:step", sr.pk, 0)
        form = AddPersonForm(known=_known_persons(household, persons))
        if request.method == "POST":
            if "remove" in request.POST:
                # A row of the list: 0..n-1 (not -1, not 5,000 digits).
                position = request.POST["remove"]
                rows = [str(i) for i in range(len(persons))]
                if position not in rows:
                    return redirect("procedures:step", sr.pk, 1)
                removed = persons.pop(int(position))
                data["persons"] = persons
                services.replace_working_copy(sr, request.user, data)
                messages.success(
                    request,
                    _("%(name)s removed from the list.")
                    % {"name": f"{removed['first_name']} {removed['last_name']}"},
                )
                return redirect("procedures:step", sr.pk, 1)
            if "add" in request.POST:
                form = AddPersonForm(request.POST, known=_known_persons(household, persons))
                if form.is_valid():
                    persons.append(form.cleaned_data["person"])
                    data["persons"] = persons
                    services.replace_working_copy(sr, request.user, data)
                    messages.success(request, _("Person added to the list."))
                    return redirect("procedures:step", sr.pk, 1)
            elif "submit" in request.POST:
                try:
                    services.submit(sr, request.user)
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                    return redirect("procedures:step", sr.pk, 1)
                messages.success(request, _("Your request has been registered."))
                return redirect("procedures:detail", sr.pk)
        return render(
            request,
            "procedures/kinds/pickups_list.html",
            {
                "sr": sr,
                "procedure": self,
                "child": child,
                "persons": persons,
                "form": form,
                "index": index,
                "step": self.steps[index],
            },
        )
