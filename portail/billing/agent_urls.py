from django.urls import path

from portail.billing import agent_views as views

app_name = "billing_agent"
urlpatterns = [
    path("", views.home, name="home"),
    path("comptes-negatifs/", views.negative, name="negative"),
    path("comptes-negatifs/relance/", views.negative_remind, name="negative_remind"),
    path("foyer/<int:pk>/", views.account, name="account"),
    path("foyer/<int:pk>/especes/", views.cash, name="cash"),
    path("foyer/<int:pk>/remboursement/", views.refund, name="refund"),
    path("ecriture/<int:pk>/corriger/", views.reverse, name="reverse"),
    path("recu/<int:pk>/", views.receipt, name="receipt"),
    path("export/", views.export, name="export"),
    path("journal/", views.journal, name="journal"),
    path("journal/pdf/", views.journal_pdf, name="journal_pdf"),
    path("journal/csv/", views.journal_csv, name="journal_csv"),
]
