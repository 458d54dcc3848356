"""The partner API, version 1 (`/api/v1/`): django-ninja, bearer tokens with scopes, French
errors, limit/offset pages. Reads go through the other apps' selectors, writes through their
services; this module only parses, checks the scope and shapes the answers."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router, Status
from ninja import Path as PathParam
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from portail.agenda import selectors as agenda
from portail.api import schemas as s
from portail.api.models import Scope
from portail.api.selectors import application_for_token
from portail.api.services import over_rate_limit, unknown_token_over_limit
from portail.billing import selectors as billing
from portail.core.money import to_money
from portail.core.network import client_ip
from portail.families import selectors as families
from portail.families import services as family_services

MAX_ID = 2**63 - 1
MAX_PERIOD_DAYS = 366


class RateLimited(Exception):
    """Over a limit for the current minute; `message` says which, in French."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ApiError(HttpError):
    """An error whose message is already in French, with optional per-field messages."""

    def __init__(self, status_code: int, message: str, errors=None):
        super().__init__(status_code, message)
        self.errors = errors


class PartnerBearer(HttpBearer):
    """`Authorization: Bearer <token>` of a partner application holding `scope`; nothing else
    (no session, so no CSRF either). Checked before the request's parameters are read. The
    application is kept on the request for the call log, even when its token is revoked or
    expired."""

    def __init__(self, scope: str | None = None):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        application = application_for_token(token)
        if application is None:
            if unknown_token_over_limit(client_ip(request)):
                # Someone trying tokens: stopped before it costs a lookup each.
                raise RateLimited(
                    _(
                        "Too many calls with an unknown access token from this address: "
                        "try again in a minute."
                    )
                )
            return None
        request.api_application = application
        if not application.is_usable():
            return None
        if over_rate_limit(application):
            raise RateLimited(_("Too many requests for this application: try again in a minute."))
        if self.scope is not None and self.scope not in application.scopes:
            raise ApiError(
                403,
                _("This token does not have the scope needed: %(scope)s.") % {"scope": self.scope},
            )
        return application


api = NinjaAPI(
    title="API du Portail famille",
    version="1",
    description=(
        "API des logiciels partenaires de la ville (cuisine centrale, comptabilité, "
        "statistiques du service scolaire). Jeton d'accès dans l'en-tête "
        "`Authorization: Bearer <jeton>`, créé par l'administrateur avec ses portées."
    ),
    urls_namespace="api-v1",
    auth=PartnerBearer(),
    # The library's Swagger UI, served from its own static files (the "ninja" app): it runs
    # under the site's CSP (no inline script). The French page is `views.documentation`.
    docs_url="/console/",
    openapi_url="/openapi.json",
)


# --- French errors --------------------------------------------------------------------------


def _error(request, status, detail, errors=None, headers=None):
    body = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


_PYDANTIC_MESSAGES = {
    "missing": lambda ctx: _("This field is required."),
    "int_parsing": lambda ctx: _("Enter a whole number."),
    "int_type": lambda ctx: _("Enter a whole number."),
    "int_from_float": lambda ctx: _("Enter a whole number."),
    "date_parsing": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_type": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "greater_than_equal": lambda ctx: _("Must be at least %(limit)s.") % {"limit": ctx.get("ge")},
    "less_than_equal": lambda ctx: _("Must be at most %(limit)s.") % {"limit": ctx.get("le")},
    "string_too_long": lambda ctx: (
        _("At most %(count)s characters.") % {"count": ctx.get("max_length")}
    ),
    "string_too_short": lambda ctx: _("This field may not be empty."),
    "string_pattern_mismatch": lambda ctx: _("Invalid value or characters."),
    "string_type": lambda ctx: _("Enter a text."),
    "bool_parsing": lambda ctx: _("Enter true or false."),
    "bool_type": lambda ctx: _("Enter true or false."),
    "extra_forbidden": lambda ctx: _("Unknown field."),
    "model_type": lambda ctx: _("A JSON object is expected."),
    "model_attributes_type": lambda ctx: _("A JSON object is expected."),
    "dict_type": lambda ctx: _("A JSON object is expected."),
    "value_error": lambda ctx: str(ctx.get("error", "")) or _("Invalid value."),
}


def _field_name(loc) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("query", "path", "body"):
        source, parts = parts[0], parts[1:]
        if source == "body" and parts and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc):
    errors = []
    for error in exc.errors:
        message = _PYDANTIC_MESSAGES.get(error.get("type"))
        errors.append(
            {
                "field": _field_name(error.get("loc", ())),
                "message": message(error.get("ctx") or {}) if message else _("Invalid value."),
            }
        )
    return _error(request, 422, _("The data sent is not valid."), errors)


@api.exception_handler(DjangoValidationError)
def _model_validation_error(request, exc):
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": " ".join(messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        errors = [{"field": "body", "message": " ".join(exc.messages)}]
    return _error(request, 422, _("The data sent is not valid."), errors)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return _error(
        request,
        401,
        _("Missing, unknown, revoked or expired access token."),
        headers={"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    return _error(request, 429, exc.message, headers={"Retry-After": "60"})


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if isinstance(exc, ApiError):
        return _error(request, exc.status_code, exc.message, exc.errors)
    messages = {
        400: _("The request body could not be read: JSON expected."),
        403: _("This token does not have the scope needed."),
    }
    return _error(request, exc.status_code, messages.get(exc.status_code, _("Request refused.")))


# --- scopes, pages, periods -----------------------------------------------------------------

READ_ERRORS = {401: s.Error, 403: s.Error, 422: s.Error, 429: s.Error}
ONE_ERRORS = {**READ_ERRORS, 404: s.Error}
WRITE_ERRORS = {**ONE_ERRORS, 400: s.Error}


def operation(router, method, path, *, scope, response, summary, description="", status=200):
    """Register a view on `router` for tokens holding `scope`; the scope is written in the
    schema (`x-scope`) and in the description shown to partners."""

    errors = WRITE_ERRORS if method != "GET" else ONE_ERRORS if "{" in path else READ_ERRORS

    text = f"{description}\n\nPortée nécessaire\u00a0: `{scope}`.".strip()
    return router.api_operation(
        [method],
        path,
        auth=PartnerBearer(scope),
        response={status: response, **errors},
        summary=summary,
        description=text,
        openapi_extra={"x-scope": scope},
    )


def page(queryset, limit: int, offset: int, convert=lambda item: item) -> dict:
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "items": [convert(item) for item in queryset[offset : offset + limit]],
    }


Limit = Query(50, ge=1, le=500, description="Résultats par page (500 au plus).")
Offset = Query(0, ge=0, le=1_000_000_000, description="Résultats sautés.")
IdFilter = Query(None, ge=1, le=MAX_ID)


def IdPath(description):  # noqa: N802
    return PathParam(..., ge=1, le=MAX_ID, description=description)


def check_period(date_from: datetime.date, date_to: datetime.date) -> None:
    if date_to < date_from:
        raise ApiError(
            422,
            _("The data sent is not valid."),
            [{"field": "date_to", "message": _("The end date is before the start date.")}],
        )
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise ApiError(
            422,
            _("The data sent is not valid."),
            [
                {
                    "field": "date_to",
                    "message": _("At most %(days)s days per request.") % {"days": MAX_PERIOD_DAYS},
                }
            ],
        )


def via(request) -> str:
    return f"API\u00a0: {request.auth.name}"


# --- headcounts and bookings ----------------------------------------------------------------

agenda_router = Router(tags=["Effectifs et réservations"])


@operation(
    agenda_router,
    "GET",
    "/headcounts",
    scope=Scope.HEADCOUNTS_READ,
    response=s.HeadcountPage,
    summary="Effectifs par jour, école et activité",
    description="Enfants réservés (hors annulations) par jour × école × activité sur une "
    "période de 366 jours au plus, avec la capacité de l'activité. Seules les combinaisons "
    "ayant au moins une réservation sont listées.",
)
def headcounts(
    request,
    date_from: s.Day,
    date_to: s.Day,
    school_id: int | None = IdFilter,
    activity_id: int | None = IdFilter,
    limit: int = Limit,
    offset: int = Offset,
):
    check_period(date_from, date_to)
    rows = agenda.headcounts(date_from, date_to, school_id=school_id, activity_id=activity_id)
    return page(
        rows,
        limit,
        offset,
        lambda row: {
            "date": row["date"],
            "school_id": row["activity__school_id"],
            "school": row["activity__school__name"],
            "activity_id": row["activity_id"],
            "activity": row["activity__name"],
            "kind": row["activity__kind"],
            "booked": row["booked"],
            "capacity": row["activity__capacity"],
        },
    )


@operation(
    agenda_router,
    "GET",
    "/bookings",
    scope=Scope.BOOKINGS_READ,
    response=s.BookingPage,
    summary="Réservations d'un jour",
    description="Les enfants réservés ce jour-là (hors annulations), par école et activité.",
)
def bookings(
    request,
    date: s.Day,
    school_id: int | None = IdFilter,
    activity_id: int | None = IdFilter,
    limit: int = Limit,
    offset: int = Offset,
):
    rows = agenda.bookings_of_day(date, school_id=school_id, activity_id=activity_id)
    return page(
        rows,
        limit,
        offset,
        lambda b: {
            "id": b.pk,
            "date": b.date,
            "child_id": b.child_id,
            "child_first_name": b.child.first_name,
            "child_last_name": b.child.last_name,
            "household_id": b.child.household_id,
            "school_id": b.activity.school_id,
            "activity_id": b.activity_id,
            "activity": b.activity.name,
            "kind": b.activity.kind,
        },
    )


# --- families -------------------------------------------------------------------------------

families_router = Router(tags=["Familles et enfants"])


def _child(child) -> dict:
    return {
        "id": child.pk,
        "household_id": child.household_id,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "birth_date": child.birth_date,
        "school": {"id": child.school.pk, "name": child.school.name} if child.school else None,
        "level": child.level,
        "no_pork": child.no_pork,
        "gluten_free": child.gluten_free,
        "allergies": child.allergies,
        "has_pai": child.has_pai,
    }


def _household(household) -> dict:
    return {
        "id": household.pk,
        "name": household.name,
        "address_line1": household.address_line1,
        "address_line2": household.address_line2,
        "postcode": household.postcode,
        "city": household.city,
        "family_quotient": household.family_quotient,
        "adults": [
            {
                "id": a.pk,
                "first_name": a.first_name,
                "last_name": a.last_name,
                "relationship": a.relationship,
                "email": a.email,
                "phone": a.phone,
                "has_account": a.user_id is not None,
            }
            for a in household.adults.all()
        ],
        "contacts": [
            {"id": c.pk, "kind": c.channel, "value": c.value, "label": c.label}
            for c in household.contacts.all()
        ],
        "children": [_child(c) for c in household.children.all()],
    }


def _household_or_404(household_id):
    household = families.household_by_id(household_id)
    if household is None:
        raise Http404
    return household


@operation(
    families_router,
    "GET",
    "/schools",
    scope=Scope.FAMILIES_READ,
    response=list[s.SchoolRef],
    summary="Écoles",
    description="Les écoles de la ville et leurs identifiants (pour `school_id`).",
)
def schools(request):
    return [{"id": school.pk, "name": school.name} for school in families.schools()]


@operation(
    families_router,
    "GET",
    "/households",
    scope=Scope.FAMILIES_READ,
    response=s.HouseholdPage,
    summary="Foyers",
    description="Les foyers avec leurs adultes, coordonnées et enfants, par identifiant.",
)
def households(request, limit: int = Limit, offset: int = Offset):
    return page(families.households(), limit, offset, _household)


@operation(
    families_router,
    "GET",
    "/households/{household_id}",
    scope=Scope.FAMILIES_READ,
    response=s.HouseholdOut,
    summary="Un foyer",
)
def household(request, household_id: int = IdPath("Identifiant du foyer.")):
    return _household(_household_or_404(household_id))


@operation(
    families_router,
    "PATCH",
    "/households/{household_id}",
    scope=Scope.FAMILIES_WRITE,
    response=s.HouseholdOut,
    summary="Modifier l'adresse d'un foyer",
    description="Seuls les champs envoyés sont modifiés. La modification est journalisée.",
)
def update_household(
    request, payload: s.HouseholdPatch, household_id: int = IdPath("Identifiant du foyer.")
):
    household = _household_or_404(household_id)
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    family_services.update_household_details(household, data, via=via(request))
    return _household(_household_or_404(household_id))


@operation(
    families_router,
    "POST",
    "/households/{household_id}/contacts",
    scope=Scope.FAMILIES_WRITE,
    response=s.ContactOut,
    status=201,
    summary="Ajouter un téléphone ou une adresse e-mail à un foyer",
    description="La modification est journalisée.",
)
def add_contact(request, payload: s.ContactIn, household_id: int = IdPath("Identifiant du foyer.")):
    household = _household_or_404(household_id)
    data = payload.model_dump()
    data["channel"] = data.pop("kind")  # the API's word for the contact's channel
    contact = family_services.add_contact(household, data, via=via(request))
    return Status(
        201,
        {
            "id": contact.pk,
            "kind": contact.channel,
            "value": contact.value,
            "label": contact.label,
        },
    )


@operation(
    families_router,
    "GET",
    "/children",
    scope=Scope.FAMILIES_READ,
    response=s.ChildPage,
    summary="Enfants",
    description="Les enfants, par identifiant\u00a0; `school_id` ne garde que ceux d'une école.",
)
def children(request, school_id: int | None = IdFilter, limit: int = Limit, offset: int = Offset):
    return page(families.children(school_id=school_id), limit, offset, _child)


def _child_or_404(child_id):
    child = families.child_by_id(child_id)
    if child is None:
        raise Http404
    return child


@operation(
    families_router,
    "GET",
    "/children/{child_id}",
    scope=Scope.FAMILIES_READ,
    response=s.ChildOut,
    summary="Un enfant",
)
def child(request, child_id: int = IdPath("Identifiant de l'enfant.")):
    return _child(_child_or_404(child_id))


@operation(
    families_router,
    "PATCH",
    "/children/{child_id}",
    scope=Scope.FAMILIES_WRITE,
    response=s.ChildOut,
    summary="Modifier l'école ou la classe d'un enfant",
    description="Seuls les champs envoyés sont modifiés\u00a0; `school_id` à null retire l'école. "
    "La modification est journalisée.",
)
def update_child(
    request, payload: s.ChildPatch, child_id: int = IdPath("Identifiant de l'enfant.")
):
    child = _child_or_404(child_id)
    data = payload.model_dump(exclude_unset=True)
    changes = {}
    if "school_id" in data:
        school = None
        if data["school_id"] is not None:
            school = families.school_by_id(data["school_id"])
            if school is None:
                raise ApiError(
                    422,
                    _("The data sent is not valid."),
                    [{"field": "school_id", "message": _("No school has this id.")}],
                )
        changes["school"] = school
    if data.get("level") is not None:
        changes["level"] = data["level"]
    family_services.update_child_schooling(child, changes, via=via(request))
    return _child(_child_or_404(child_id))


# --- ledger ---------------------------------------------------------------------------------

ledger_router = Router(tags=["Compte d'avance (comptabilité)"])


@operation(
    ledger_router,
    "GET",
    "/ledger/entries",
    scope=Scope.LEDGER_READ,
    response=s.LedgerEntryPage,
    summary="Écritures du compte d'avance sur une période",
    description="Les écritures datées dans la période (366 jours au plus), dans l'ordre où "
    "elles ont été passées. Montants en chaînes à deux décimales (jamais de nombres à virgule "
    "flottante)\u00a0; une correction est une écriture inverse (`reverses_id`).",
)
def ledger_entries(
    request,
    date_from: s.Day,
    date_to: s.Day,
    household_id: int | None = IdFilter,
    limit: int = Limit,
    offset: int = Offset,
):
    check_period(date_from, date_to)
    entries = billing.ledger_entries_between(date_from, date_to, household_id=household_id)
    return page(
        entries,
        limit,
        offset,
        lambda e: {
            "id": e.pk,
            "household_id": e.account.household_id,
            "date": e.date,
            "recorded_at": e.created_at,
            "amount": s.money(e.amount),
            "label": e.label,
            "source": e.source,
            "reverses_id": e.reverses_id,
        },
    )


def _balance(row) -> dict:
    opening, credits, debits = (
        to_money(row["opening"]),
        to_money(row["credits"]),
        to_money(row["debits"]),
    )
    return {
        "household_id": row["household_id"],
        "household": row["household__name"],
        "opening": s.money(opening),
        "credits": s.money(credits),
        "debits": s.money(debits),
        "closing": s.money(opening + credits + debits),
    }


@operation(
    ledger_router,
    "GET",
    "/ledger/balances",
    scope=Scope.LEDGER_READ,
    response=s.BalancePage,
    summary="Soldes des foyers sur une période",
    description="Pour chaque foyer ayant un compte d'avance\u00a0: solde d'ouverture, crédits, "
    "débits et solde de clôture de la période (par date d'écriture, 366 jours au plus).",
)
def ledger_balances(
    request,
    date_from: s.Day,
    date_to: s.Day,
    limit: int = Limit,
    offset: int = Offset,
):
    check_period(date_from, date_to)
    return page(billing.balances_between(date_from, date_to), limit, offset, _balance)


api.add_router("", agenda_router)
api.add_router("", families_router)
api.add_router("", ledger_router)
