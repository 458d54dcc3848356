from django.urls import path

from portail.accounts import views

app_name = "accounts"
urlpatterns = [
    path("oubli/", views.forgotten, name="forgotten"),
    path("oubli/identifiant/", views.lost_identifier, name="lost_identifier"),
    path("profil/", views.profile, name="profile"),
    path("profil/adresse/", views.edit_address, name="edit_address"),
    path("profil/adultes/ajouter/", views.edit_adult, name="add_adult"),
    path("profil/adultes/<int:pk>/", views.edit_adult, name="edit_adult"),
    path("profil/enfants/ajouter/", views.edit_child, name="add_child"),
    path("profil/enfants/<int:pk>/", views.edit_child, name="edit_child"),
    path("profil/contacts/ajouter/", views.edit_contact, name="add_contact"),
    path("profil/contacts/<int:pk>/", views.edit_contact, name="edit_contact"),
    path("profil/contacts/<int:pk>/supprimer/", views.delete_contact, name="delete_contact"),
    path("profil/options/", views.options, name="options"),
    path("profil/identifiant/", views.change_username, name="change_username"),
    path("email/annuler/<str:token>/", views.cancel_email_change, name="cancel_email_change"),
    path("donnees/", views.my_data, name="my_data"),
    path("donnees/telecharger/", views.download_data, name="download_data"),
    path("donnees/fermeture/", views.request_closure, name="request_closure"),
]
