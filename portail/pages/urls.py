from django.urls import path

from portail.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("nous-contacter/", views.contact, name="contact"),
    path("aide/", views.static_page("pages/help.html"), name="help"),
    path("cgu/", views.static_page("pages/terms.html"), name="terms"),
    path("mentions-legales/", views.static_page("pages/legal.html"), name="legal"),
    path("accessibilite/", views.static_page("pages/accessibility.html"), name="accessibility"),
]
