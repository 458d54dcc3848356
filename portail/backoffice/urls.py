from django.urls import path

from portail.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("taches/", views.jobs, name="jobs"),
    path("recapitulatif/", views.digest, name="digest"),
]
