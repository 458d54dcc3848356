"""The agents' side of accounts (/gestion/comptes/): find, unlock, resend activation, close."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portail.accounts import selectors, services
from portail.accounts.models import ClosureRequest, User
from portail.core.lists import Listing
from portail.core.permissions import agent_required


@agent_required
def home(request):
    query = request.GET.get("q", "").strip()[:150]
    listing = Listing(request, selectors.search_users(query))
    return render(
        request,
        "accounts/agent/home.html",
        {
            "query": query,
            "listing": listing,
            "results": [selectors.account_state(user) for user in listing.page],
            "closures": selectors.open_closure_requests(),
            "locked": selectors.locked_accounts(),
        },
    )


@agent_required
def account(request, pk):
    user = get_object_or_404(User, pk=pk)
    return render(request, "accounts/agent/account.html", {"state": selectors.account_state(user)})


@require_POST
@agent_required
def unlock(request, pk):
    user = get_object_or_404(User, pk=pk)
    services.agent_unlock(request.user, user)
    messages.success(request, _("The account %(username)s is unlocked.") % {"username": user})
    return redirect("accounts_agent:account", pk=user.pk)


@require_POST
@agent_required
def resend_activation(request, pk):
    user = get_object_or_404(User, pk=pk)
    if services.agent_resend_activation(request.user, user, request):
        messages.success(request, _("The activation e-mail has been sent again."))
    else:
        messages.info(request, _("This account is already activated."))
    return redirect("accounts_agent:account", pk=user.pk)


@require_POST
@agent_required
def confirm_closure(request, pk):
    closure = get_object_or_404(ClosureRequest, pk=pk, confirmed_at=None)
    services.confirm_closure(request.user, closure)
    messages.success(
        request, _("The account %(username)s is closed.") % {"username": closure.username}
    )
    return redirect("accounts_agent:home")
