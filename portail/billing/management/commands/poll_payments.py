from django.core.management.base import BaseCommand

from portail.billing.services import expire_pending


class Command(BaseCommand):
    help = (
        "Online payments with no answer from the bank after BILLING_PAYMENT_TIMEOUT_MINUTES: "
        "ask the bank (backends that can say, e.g. payfip_ws), then mark the unsettled ones "
        "abandoned; ask again about those abandoned in the last day. Idempotent; run it every "
        "few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="ignored; accepted like the other daily jobs")

    def handle(self, *args, **options):
        count = expire_pending()
        self.stdout.write(f"{count} payment(s) abandoned.")
