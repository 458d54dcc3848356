from django.urls import path

from portail.backoffice import family_views, views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("taches/", views.jobs, name="jobs"),
    path("recherche/", family_views.search, name="search"),
    path("familles/<int:pk>/", family_views.family, name="family"),
    path("familles/<int:pk>/adresse/", family_views.edit_address, name="family_address"),
    path("familles/<int:pk>/quotient/", family_views.edit_quotient, name="family_quotient"),
    path("familles/<int:pk>/adulte/<int:adult_pk>/", family_views.edit_adult, name="family_adult"),
    path("familles/<int:pk>/enfant/<int:child_pk>/", family_views.edit_child, name="family_child"),
    path("familles/<int:pk>/contact/", family_views.edit_contact, name="family_contact_add"),
    path(
        "familles/<int:pk>/contact/<int:contact_pk>/",
        family_views.edit_contact,
        name="family_contact",
    ),
    path("journal/", family_views.journal, name="journal"),
    path("journal/export.csv", family_views.journal_csv, name="journal_csv"),
    path("recapitulatif/", views.digest, name="digest"),
]
