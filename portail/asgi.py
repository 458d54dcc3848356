import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portail.settings")
application = get_asgi_application()

# No system check runs under an ASGI server either (see wsgi.py).
from portail.billing.checks import refuse_unusable_backend  # noqa: E402

refuse_unusable_backend()
