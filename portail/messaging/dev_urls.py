"""Development mailbox (DEBUG only): every e-mail the portal queued, readable in the browser."""

from django.shortcuts import get_object_or_404, render
from django.urls import path

from portail.messaging.models import OutboundEmail


def mailbox(request):
    return render(
        request, "messaging/dev_mailbox.html", {"emails": OutboundEmail.objects.all()[:200]}
    )


def mail(request, pk):
    return render(
        request, "messaging/dev_mail.html", {"email": get_object_or_404(OutboundEmail, pk=pk)}
    )


app_name = "dev"
urlpatterns = [
    path("mails/", mailbox, name="mailbox"),
    path("mails/<int:pk>/", mail, name="mail"),
]
