from django.urls import path

from portail.accounts import views

app_name = "accounts"
urlpatterns = [
    path("oubli/", views.forgotten, name="forgotten"),
]
