from django.http import HttpResponse
from django.urls import path

from portail.urls import urlpatterns as portal_urls


def floor(request):
    """The framework floor: the whole middleware stack, the session, one query."""
    from portail.families.models import Household

    count = Household.objects.filter(pk=request.household.pk if request.household else 0).count()
    return HttpResponse(f"ok {count}", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *portal_urls]
