"""French of Django's and allauth's own messages that the portal words differently.

Django merges the catalogues with the first installed app winning: portail.accounts comes before
allauth and django.contrib.auth, so these entries replace theirs. They are listed here (never
called) so that makemessages keeps them in the accounts catalogue."""

from django.utils.translation import gettext_noop

MESSAGES = [
    # allauth says « pseudo » / « nom d'utilisateur »; the portal's field is « Identifiant ».
    gettext_noop("The username and/or password you specified are not correct."),
    gettext_noop("Username can not be used. Please use other username."),
    gettext_noop("Username"),
    gettext_noop("Username or email"),
    gettext_noop("Username (optional)"),
    # django.contrib.auth: the field's name in « too similar to the … » and in the admin.
    gettext_noop("username"),
    gettext_noop("A user with that username already exists."),
]
