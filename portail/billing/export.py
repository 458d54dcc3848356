"""The prepaid account's part of « Mes données »: balance, ledger, payments, issued documents."""

from portail.billing.models import CashReceipt, LedgerEntry, Payment, TaxCertificate
from portail.billing.selectors import balance_of


def export_household(household) -> dict:
    return {
        "balance": balance_of(household),
        "ledger": [
            {"date": e.date, "amount": e.amount, "label": e.label, "source": e.get_source_display()}
            for e in LedgerEntry.objects.filter(account__household=household).order_by("date", "pk")
        ],
        "card_payments": [
            {"created_at": p.created_at, "amount": p.amount, "status": p.get_status_display()}
            for p in Payment.objects.filter(household=household).order_by("created_at")
        ],
        "cash_receipts": [
            {"number": f"{r.year}-{r.number}", "amount": r.amount, "issued_at": r.issued_at}
            for r in CashReceipt.objects.filter(household=household).order_by("issued_at")
        ],
        "tax_certificates": [
            {"year": c.year, "child": c.child_name, "amount": c.amount}
            for c in TaxCertificate.objects.filter(household=household).order_by("year")
        ],
    }
