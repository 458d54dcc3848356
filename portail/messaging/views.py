from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from portail.messaging import selectors, services


@login_required
def inbox(request):
    return render(request, "messaging/inbox.html", {"messages_list": selectors.inbox(request.user)})


@login_required
def detail(request, pk):
    message = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.mark_read(message)
    return render(request, "messaging/detail.html", {"message": message})
