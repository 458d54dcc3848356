from django.shortcuts import render

from portail.backoffice.permissions import agent_required
from portail.pages.models import ContactMessage


@agent_required
def home(request):
    return render(
        request,
        "backoffice/home.html",
        {"contact_messages": ContactMessage.objects.filter(handled_at=None)[:50]},
    )
