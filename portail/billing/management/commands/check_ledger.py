from django.core.management.base import BaseCommand, CommandError

from portail.billing.selectors import ledger_check


class Command(BaseCommand):
    help = (
        "Compare every stored balance with the sum of its entries and every consumption debit "
        "with the booking or attendance it bills. Exits non-zero on any discrepancy."
    )

    def handle(self, *args, **options):
        checked, found = ledger_check()
        for discrepancy in found:
            self.stdout.write(str(discrepancy))
        summary = f"{checked} accounts checked, {len(found)} discrepancies"
        if found:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)
