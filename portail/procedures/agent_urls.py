from django.urls import path

from portail.procedures import agent_views

app_name = "procedures_agent"
urlpatterns = [
    path("", agent_views.home, name="home"),
    path("<int:pk>/", agent_views.detail, name="detail"),
    path("<int:pk>/action/", agent_views.act, name="act"),
]
