from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portail.core import ratelimit
from portail.pages import services
from portail.pages.forms import ContactForm


def contact(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if ratelimit.client_over_limit(request, "contact"):
            return ratelimit.too_many_requests(request)
        if form.is_valid() and form.within_limits():
            if not form.cleaned_data.get("website"):
                data = form.cleaned_data
                services.submit_contact(**{f: data[f] for f in ContactForm.Meta.fields})
            messages.success(request, _("Your message has been sent to the service. Thank you."))
            return redirect("pages:contact")
    return render(request, "pages/contact.html", {"form": form})


def home(request):
    return render(request, "pages/home.html")


def static_page(template):
    def view(request):
        return render(request, template)

    view.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html")
    return view
