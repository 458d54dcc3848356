from django.urls import path

from portail.accounts import agent_views

app_name = "accounts_agent"
urlpatterns = [
    path("", agent_views.home, name="home"),
    path("<int:pk>/", agent_views.account, name="account"),
    path("<int:pk>/debloquer/", agent_views.unlock, name="unlock"),
    path("<int:pk>/activation/", agent_views.resend_activation, name="resend_activation"),
    path("fermetures/<int:pk>/", agent_views.confirm_closure, name="confirm_closure"),
]
