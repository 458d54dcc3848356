"""Demo requests of « Famille Martin », so « Mes demandes » shows every status: a draft, a
pending absence, a closed change of authorised persons, a refused one with its reason; and an
information request waiting in the agents' queue."""

import datetime

from portail.accounts.models import User
from portail.agenda.models import AbsenceReason, Activity
from portail.agenda.selectors import cancellable_bookings
from portail.core import clock
from portail.families.models import Household, School
from portail.procedures import services
from portail.procedures.kinds import get_procedure
from portail.procedures.models import ServiceRequest


def _next_booked_day(child, activity):
    """The next day (within a month) the child's booking of `activity` can still be cancelled:
    an absence is declared on a booked day only."""
    for offset in range(1, 31):
        day = clock.today() + datetime.timedelta(days=offset)
        if activity in cancellable_bookings(child, day):
            return day
    return None


def load(stdout):
    household = Household.objects.filter(name="Famille Martin").first()
    parent = User.objects.filter(username="demo.parent").first()
    agent = User.objects.filter(username="demo.agent").first()
    if not (household and parent and agent):
        return
    if ServiceRequest.objects.filter(household=household).exists():
        return  # already loaded: the demo keeps the requests a visitor made
    lea = household.children.get(first_name="Léa")
    hugo = household.children.get(first_name="Hugo")
    pickups = get_procedure("personnes-autorisees")
    absence = get_procedure("absence")

    # « clos »: Hugo's list gets his uncle, beside his grandmother.
    data = pickups.on_step_saved(0, {"child": hugo.pk}, {}, household)
    data["persons"].append(
        {
            "first_name": "Paul",
            "last_name": "Martin",
            "relationship": "Oncle",
            "phone": "06 22 33 44 55",
        }
    )
    sr = services.submit(services.start_draft(pickups, household, parent, data, step=2), parent)
    services.take(sr, agent)
    services.close(sr, agent, "La liste de Hugo est à jour.")

    # « refusé », with the agent's reason.
    data = pickups.on_step_saved(0, {"child": lea.pk}, {}, household)
    data["persons"].append(
        {"first_name": "Lucas", "last_name": "Roux", "relationship": "Ami", "phone": "06"}
    )
    sr = services.submit(services.start_draft(pickups, household, parent, data, step=2), parent)
    services.reject(
        sr,
        agent,
        "Le numéro de téléphone de Lucas Roux est incomplet : refaites la demande avec un "
        "numéro à 10 chiffres.",
    )

    # « en attente »: Léa absent from the canteen on the next school day.
    reason = AbsenceReason.objects.filter(name="Maladie").first()
    lunch = Activity.objects.filter(school=lea.school, kind=Activity.Kind.LUNCH).first()
    day = _next_booked_day(lea, lunch) if lunch else None
    if reason and day:
        data = {
            "terms": True,
            "child": lea.pk,
            "reason": reason.pk,
            "date": day.isoformat(),
            "activities": [lunch.pk],
        }
        services.submit(services.start_draft(absence, household, parent, data, step=2), parent)

    # « brouillon »: an enrolment started and not finished.
    school = School.objects.order_by("name").first()
    services.start_draft(
        get_procedure("inscription-scolaire"),
        household,
        parent,
        {"child": str(hugo.pk), "school": school.pk if school else None, "level": "GS"},
        step=1,
    )

    # A question from someone without an account, for the agents' queue.
    services.file_public_request(
        get_procedure("renseignement"),
        {
            "name": "Marie Lopez",
            "email": "marie.lopez@demo.viry.test",
            "subject": "Inscription en cours d'année",
            "message": "Nous emménageons à Viry en janvier : comment inscrire notre fils ?",
        },
        "Marie Lopez",
        "marie.lopez@demo.viry.test",
    )
    stdout.write("procedures: demo requests of Famille Martin loaded.")
