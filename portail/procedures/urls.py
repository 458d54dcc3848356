from django.urls import path

from portail.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mes-demandes/", views.my_requests, name="my_requests"),
    path("enfant/", views.child_info, name="child_info"),
    path("absence/creneaux/", views.absence_slots, name="absence_slots"),
    path("demande/<int:pk>/", views.detail, name="detail"),
    path("demande/<int:pk>/modifier/", views.edit, name="edit"),
    path("demande/<int:pk>/etape/<int:index>/", views.step, name="step"),
    path("demande/<int:pk>/recapitulatif/", views.review, name="review"),
    path("demande/<int:pk>/enregistrer/", views.submit, name="submit"),
    path("demande/<int:pk>/abandonner/", views.abandon, name="abandon"),
    path("demande/<int:pk>/annuler/", views.cancel, name="cancel"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/", views.start, name="start"),
]
