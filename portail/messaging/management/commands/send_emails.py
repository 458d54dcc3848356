from django.core.management.base import BaseCommand

from portail.messaging import services


class Command(BaseCommand):
    help = "Send e-mails whose retry time has come (run every few minutes by a timer)."

    def handle(self, *args, **options):
        count = services.retry_due()
        self.stdout.write(f"{count} e-mail(s) tried")
