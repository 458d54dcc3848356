from django.shortcuts import render


def forgotten(request):
    """« Mot de passe ou identifiant oublié »: choose what was lost."""
    return render(request, "accounts/forgotten.html")
