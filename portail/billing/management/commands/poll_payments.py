from django.core.management.base import BaseCommand

from portail.billing.services import expire_pending


class Command(BaseCommand):
    help = (
        "Ask the bank about online payments still pending after 5 minutes (backends that can "
        "say), and mark as abandoned those never confirmed after BILLING_PAYMENT_EXPIRY_HOURS. "
        "Idempotent; run it every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="ignored; accepted like the other daily jobs")

    def handle(self, *args, **options):
        count = expire_pending()
        self.stdout.write(f"{count} payment(s) abandoned.")
