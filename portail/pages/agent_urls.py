from django.urls import path

from portail.pages import agent_views as views

app_name = "pages_agent"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/repondre/", views.reply, name="reply"),
    path("<int:pk>/traite/", views.handled, name="handled"),
]
