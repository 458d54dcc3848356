from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from portail.core import views

app_name = "core"
urlpatterns = [
    path("theme.css", views.theme_css, name="theme_css"),
    path("logo", views.logo, name="logo"),
    path("healthz", views.healthz, name="healthz"),
    # Asked by browsers for pages without <link rel="icon"> (PDFs, the API's JSON).
    path("favicon.ico", RedirectView.as_view(url=static("core/favicon.svg")), name="favicon"),
]
