from django.urls import path

from portail.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.provide, name="provide"),
    path("fournir/<int:type_pk>/<str:concerns>/", views.upload, name="upload"),
    path("fichier/<int:pk>/", views.file, name="file"),
]
