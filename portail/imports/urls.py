from django.urls import path

from portail.imports import views

app_name = "imports"
urlpatterns = [
    path("bienvenue/", views.welcome, name="welcome"),
    path("<str:token>/", views.invitation, name="invitation"),
]
