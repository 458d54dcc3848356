from django.urls import path

from portail.core import views

app_name = "core"
urlpatterns = [
    path("theme.css", views.theme_css, name="theme_css"),
    path("logo", views.logo, name="logo"),
    path("healthz", views.healthz, name="healthz"),
    # Asked by browsers for pages without <link rel="icon"> (PDFs, the API's JSON).
    path("favicon.ico", views.favicon, name="favicon"),
]
