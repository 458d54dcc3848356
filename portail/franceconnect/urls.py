# Included by allauth under /compte/ (allauth.urls adds each provider's `urlpatterns`). The
# callback and logout URLs are the two to declare to FranceConnect (docs/accounts.md).
from django.urls import path

from portail.franceconnect import views

urlpatterns = [
    path("franceconnect/login/", views.login, name="franceconnect_login"),
    path("franceconnect/login/callback/", views.callback, name="franceconnect_callback"),
    path("franceconnect/deconnexion/", views.logout_callback, name="franceconnect_logout_callback"),
]
urlpatterns += [path("profil/franceconnect/delier/", views.unlink, name="franceconnect_unlink")]
