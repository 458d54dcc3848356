from django.urls import path

from portail.agenda import agent_views as views

app_name = "agenda_agent"
urlpatterns = [
    path("", views.home, name="home"),
    path("effectifs/", views.headcounts, name="headcounts"),
    path("effectifs/csv/", views.headcounts_csv, name="headcounts_csv"),
    path("effectifs/ods/", views.headcounts_ods, name="headcounts_ods"),
    path("fermetures/ajouter/", views.closure_add, name="closure_add"),
    path("fermetures/<int:pk>/supprimer/", views.closure_remove, name="closure_remove"),
    path("pointage/<int:activity_pk>/<date:date>/", views.sheet, name="sheet"),
    path("pointage/<int:activity_pk>/<date:date>/ajouter/", views.sheet_add, name="sheet_add"),
    path("pointage/<int:activity_pk>/<date:date>/csv/", views.sheet_csv, name="sheet_csv"),
    path("enfant/<int:child_pk>/", views.child_calendar, name="child_calendar"),
    path("enfant/<int:child_pk>/<date:date>/", views.child_day, name="child_day"),
    path("enfant/<int:child_pk>/changement-ecole/", views.move_child, name="move_child"),
    path("changement-ecole/<int:move_pk>/", views.move_proposals, name="move_proposals"),
]
