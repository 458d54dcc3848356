import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portail.settings")
application = get_wsgi_application()

# gunicorn runs no system check: refuse to serve with a backend that would credit forged answers.
from portail.billing.checks import refuse_unusable_backend  # noqa: E402

refuse_unusable_backend()
