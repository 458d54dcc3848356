from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portail.pages import services
from portail.pages.forms import ContactForm


def home(request):
    return render(request, "pages/home.html")


def contact(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data.get("website"):
            services.submit_contact(form)
        messages.success(request, _("Your message has been sent to the service. Thank you."))
        return redirect("pages:contact")
    return render(request, "pages/contact.html", {"form": form})


def static_page(template):
    def view(request):
        return render(request, template)

    view.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html")
    return view
