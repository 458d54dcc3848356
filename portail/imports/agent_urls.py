from django.urls import path

from portail.imports import agent_views as views

app_name = "imports_agent"
urlpatterns = [
    path("", views.home, name="home"),
    path("correspondances/ajouter/", views.mapping, name="add_mapping"),
    path("correspondances/<int:pk>/", views.mapping, name="mapping"),
    path("fichiers/<int:pk>/", views.run, name="run"),
    path("fichiers/<int:pk>/confirmer/", views.confirm, name="confirm"),
    path("fichiers/<int:pk>/rapport.csv", views.report_csv, name="report_csv"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/renvoyer/", views.resend, name="resend"),
    path("sans-email/", views.without_email, name="without_email"),
]
