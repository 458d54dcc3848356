from django.dispatch import receiver

from portail.accounts.signals import signup_email_reserved
from portail.imports.services import reinvite_for_signup


@receiver(signup_email_reserved)
def imported_family_signing_up(sender, email, request, **kwargs) -> bool:
    return reinvite_for_signup(email)
