from django.urls import path

from portail.agenda import views

app_name = "agenda"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("enfant/<int:child_pk>/<date:date>/", views.day, name="day"),
    path("saisie-groupee/", views.bulk, name="bulk"),
    path("saisie-groupee/periode/", views.bulk_period, name="bulk_period"),
    path("saisie-groupee/enregistrer/", views.bulk_save, name="bulk_save"),
    path("calendrier/", views.feed_settings, name="feed_settings"),
    path("ical/<str:token>.ics", views.feed, name="feed"),
]
