from django.urls import path

from portail.billing import views

app_name = "billing"
urlpatterns = [
    path("", views.payments, name="payments"),
    path("recharger/", views.topup, name="topup"),
    path("retour/<uuid:pk>/", views.payment_return, name="return"),
    path("notification/<uuid:pk>/", views.notification, name="notification"),
    path("simulateur/<uuid:pk>/", views.simulator, name="simulator"),
    path("recu/<int:pk>/", views.receipt_pdf, name="receipt"),
    path("attestation-fiscale/", views.tax_certificate, name="tax_certificate"),
    path("attestation-fiscale/<int:pk>/", views.tax_certificate_pdf, name="tax_certificate_pdf"),
    path("releve/", views.statement, name="statement"),
    path("releve/imprimer/", views.statement_pdf, name="statement_pdf"),
]
