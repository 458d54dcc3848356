from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.shortcuts import render
from django.urls import path


@login_required
def page(request):
    """A signed-in page: one query of 30 rows, rendered by a template."""
    rows = list(User.objects.order_by("pk").values_list("pk", "username", "date_joined")[:30])
    return render(request, "floor.html", {"rows": rows})


urlpatterns = [
    path("", page),
    path("login/", auth_views.LoginView.as_view(template_name="login.html")),
]
