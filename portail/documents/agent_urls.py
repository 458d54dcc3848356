from django.urls import path

from portail.documents import agent_views as views

app_name = "documents_agent"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/valider/", views.validate, name="validate"),
    path("<int:pk>/invalider/", views.invalidate, name="invalidate"),
    path("<int:pk>/fichier/", views.file, name="file"),
    path("<int:pk>/apercu/", views.preview, name="preview"),
    path("foyer/<int:pk>/", views.household, name="household"),
    path("foyer/<int:pk>/reclamer/<int:type_pk>/<str:concerns>/", views.claim, name="claim"),
]
