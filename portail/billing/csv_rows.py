"""The rows of the billing CSV files (accounting export, day's cash journal): French headers and
values as the town's accounting reads them. The views write them; the selectors read the data."""

from portail.core import spreadsheet


def ledger_rows(entries):
    """Header, then one row per ledger entry (`selectors.ledger_entries_for_export`)."""
    yield (
        [
            "date",
            "foyer",
            "libellé",
            "source",
            "montant",
            "référence",
            "enfant",
            "activité",
            "jour du service",
            "auteur",
            "motif",
            "écriture",
            "corrige",
        ]
    )
    for e in entries:
        reference = ""
        if hasattr(e, "receipt"):
            reference = e.receipt.reference
        elif hasattr(e, "payment"):
            reference = e.payment.transaction_id or ""
        yield (
            [
                e.date.isoformat(),
                e.account.household.name,
                e.label,
                e.get_source_display(),
                spreadsheet.amount(e.amount),
                reference,
                str(e.child) if e.child else "",
                e.activity.name if e.activity else "",
                e.service_date.isoformat() if e.service_date else "",
                e.author_name,
                e.reason,
                e.pk,
                e.reverses_id or "",
            ]
        )


def cash_journal_rows(data):
    """The day's cash journal (`selectors.cash_journal`): header, receipts, totals."""
    cell = spreadsheet.cell
    yield (
        ["reçu", "date", "heure", "foyer", "payeur", "montant", "caissier", "état", "annulé le",
         "motif de l'annulation"]
    )  # fmt: skip
    for row in data.rows:
        r, reversal = row.receipt, row.reversal
        issued = row.issued_at
        yield (
            [
                r.reference,
                issued.strftime("%d/%m/%Y"),
                issued.strftime("%H:%M"),
                cell(r.household.name),
                cell(r.payer_name),
                spreadsheet.amount(r.amount),
                cell(row.cashier),
                "annulé" if reversal else "valide",
                reversal.date.strftime("%d/%m/%Y") if reversal else "",
                cell(reversal.reason) if reversal else "",
            ]
        )
    yield (["total encaissé", "", "", "", "", spreadsheet.amount(data.total)])
    yield (["total annulé", "", "", "", "", spreadsheet.amount(data.cancelled_total)])
    yield (["caissier(s)", cell(", ".join(data.cashiers))])
