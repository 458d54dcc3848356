"""Steps with a view of their own (a list edited row by row), keyed by (procedure slug, step
index); the generic step view hands them over. The kinds describe steps and rules, these
handle HTTP."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portail.procedures import services
from portail.procedures.kinds.pickups import AddPersonForm, _child, _known_persons


def pickups_persons(request, sr, procedure, index):
    """« Personnes autorisées », step 2: add a new or known person, remove one, submit."""
    household = request.household
    data = dict(sr.draft_data)
    persons = list(data.get("persons") or [])
    child = _child(household, data.get("child"))
    if child is None:
        return redirect("procedures:step", sr.pk, 0)
    form = AddPersonForm(known=_known_persons(household, persons), persons=persons)
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
            form = AddPersonForm(
                request.POST, known=_known_persons(household, persons), persons=persons
            )
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
            "procedure": procedure,
            "child": child,
            "persons": persons,
            "form": form,
            "index": index,
            "step": procedure.steps[index],
        },
    )


STEP_VIEWS = {("personnes-autorisees", 1): pickups_persons}
