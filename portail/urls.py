from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from portail.core.converters import DateConverter

# Before any app's urls are read: `<date:day>` refuses dates outside 1900-2100 (404).
register_converter(DateConverter, "date")

urlpatterns = [
    path("", include("portail.pages.urls")),
    path("", include("portail.core.urls")),
    path("compte/", include("portail.accounts.urls")),
    path("compte/", include("allauth.urls")),
    path("foyer/", include("portail.families.urls")),
    path("messages/", include("portail.messaging.urls")),
    path("justificatifs/", include("portail.documents.urls")),
    path("demarches/", include("portail.procedures.urls")),
    path("agenda/", include("portail.agenda.urls")),
    path("paiements/", include("portail.billing.urls")),
    path("invitation/", include("portail.imports.urls")),
    path("gestion/", include("portail.backoffice.urls")),
    # Agents' side of each area, next to the area's own code.
    path("gestion/comptes/", include("portail.accounts.agent_urls")),
    path("gestion/justificatifs/", include("portail.documents.agent_urls")),
    path("gestion/demandes/", include("portail.procedures.agent_urls")),
    path("gestion/agenda/", include("portail.agenda.agent_urls")),
    path("gestion/regie/", include("portail.billing.agent_urls")),
    path("gestion/messages/", include("portail.pages.agent_urls")),
    path("api/v1/", include(("portail.api.urls", "api-v1"))),
    path("gestion/import/", include("portail.imports.agent_urls")),
    path("administration/", admin.site.urls),
]

handler400 = "portail.core.views.bad_request"
handler500 = "portail.core.views.server_error"

if settings.DEBUG:
    urlpatterns += [path("dev/", include("portail.messaging.dev_urls"))]
