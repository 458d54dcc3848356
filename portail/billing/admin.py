from django.contrib import admin

from portail.billing.models import CashReceipt, LedgerEntry, Payment, PrepaidAccount, TaxCertificate
from portail.core.admin import ReadOnlyAdmin

# Money is moved by the portal's services only: the administrator reads, never edits.


@admin.register(PrepaidAccount)
class PrepaidAccountAdmin(ReadOnlyAdmin):
    list_display = ["household", "balance"]
    search_fields = ["household__name"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["date", "account", "label", "amount", "source", "author_name"]
    list_filter = ["source"]
    search_fields = ["label", "account__household__name"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "household", "amount", "status", "backend", "transaction_id"]
    list_filter = ["status", "backend"]


@admin.register(CashReceipt)
class CashReceiptAdmin(ReadOnlyAdmin):
    list_display = ["year", "number", "payer_name", "amount", "issued_at"]


@admin.register(TaxCertificate)
class TaxCertificateAdmin(ReadOnlyAdmin):
    list_display = ["issued_in", "number", "child_name", "year", "amount", "replaces"]
