"""The tax certificate of amounts actually paid (docs/billing.md, « Tax certificate »)."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from portail.agenda.models import Activity
from portail.billing import selectors, services
from portail.billing.models import BillingCounter, LedgerEntry, TaxCertificate
from portail.core.models import TownSettings
from tests.billing.factories import make_activity
from tests.factories import ChildFactory, make_parent

D = datetime.date
Source = LedgerEntry.Source
PAGE = "/paiements/attestation-fiscale/"


def at(day, hour=12):
    """Travel to noon (Paris and UTC are on the same day) of `day`."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour), tick=False)


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- the pure allocation ---------------------------------------------------------------------

HUGO = 7
START = D(2026, 1, 1)


def mv(i, day, amount, source, **kw):
    return selectors.Movement(i, day, Decimal(amount), source, **kw)


def eligible(i, day, amount, name="Accueil soir"):
    return mv(i, day, amount, Source.CONSUMPTION, child=HUGO, activity=name, eligible=True)


def meal(i, day, amount):
    return mv(i, day, amount, Source.CONSUMPTION, child=HUGO, activity="Restauration scolaire")


def figures(movements, year):
    return selectors.certificate_figures(selectors.allocate_payments(movements), HUGO, year)


def test_a_credit_pays_the_oldest_unpaid_debit_first_and_givebacks_take_the_latest():
    movements = [
        eligible(1, D(2026, 12, 1), "-10"),
        eligible(2, D(2026, 12, 2), "-10", "Accueil matin"),
        mv(3, D(2027, 1, 5), "15", Source.CASH),  # pays all of 1, half of 2
    ]
    assert figures(movements, 2026).amount == 0
    assert figures(movements, 2026).unpaid == Decimal("20.00")
    assert figures(movements, 2027).earlier == [
        (2026, "Accueil matin", Decimal("5.00")),
        (2026, "Accueil soir", Decimal("10.00")),
    ]
    # Money given back takes the latest credit (the refund), the card still pays the debit.
    movements = [
        mv(1, D(2026, 1, 2), "10", Source.CARD),
        mv(2, D(2026, 1, 3), "10", Source.REFUND),
        mv(3, D(2026, 1, 4), "-10", "payout"),
        eligible(4, D(2026, 1, 5), "-10"),
    ]
    assert figures(movements, 2026).amount == Decimal("10.00")


# Operations over two civil years: (day, kind, cents); a reversal targets an earlier entry.
KINDS = ["topup", "cash", "refund", "childcare", "meal", "reversal", "giveback"]
operations = st.lists(
    st.tuples(
        st.integers(0, 729), st.sampled_from(KINDS), st.integers(1, 6000), st.integers(0, 10**6)
    ),
    max_size=40,
)


def build(ops):
    """Ledger-ordered movements (dates never go back) and the actual running balances."""
    movements, balances, balance = [], [], Decimal(0)
    for i, (offset, kind, cents, pick) in enumerate(sorted(ops, key=lambda op: op[0])):
        day, amount = START + datetime.timedelta(days=offset), Decimal(cents) / 100
        if kind == "reversal":
            targets = [
                m
                for m in movements
                if m.source != Source.REVERSAL and m.id not in {r.reverses for r in movements}
            ]
            if not targets:
                continue
            target = targets[pick % len(targets)]
            m = mv(
                i,
                day,
                -target.amount,
                Source.REVERSAL,
                reverses=target.id,
                child=target.child,
                activity=target.activity,
                eligible=target.eligible,
            )
        elif kind in ("topup", "cash", "refund"):
            source = {"topup": Source.CARD, "cash": Source.CASH, "refund": Source.REFUND}[kind]
            m = mv(i, day, amount, source)
        elif kind == "giveback":
            m = mv(i, day, -amount, "payout")
        else:
            m = (eligible if kind == "childcare" else meal)(i, day, -amount)
        movements.append(m)
        balance += m.amount
        balances.append(balance)
    return movements, balances


@settings(max_examples=400, deadline=None)
@given(operations)
# Found by Hypothesis: a 2026 card payment reversed in 2027, the balance never below zero.
@example(
    [(0, "topup", 1, 0), (0, "topup", 1, 0), (0, "childcare", 1, 0), (0, "childcare", 1, 0)]
    + [(365, "topup", 1, 0), (365, "reversal", 1, 0)]
)
def test_certificates_never_exceed_what_was_paid(ops):
    movements, balances = build(ops)
    removed = {m.reverses for m in movements if m.source == Source.REVERSAL}
    removed |= {m.id for m in movements if m.source == Source.REVERSAL}
    live = [m for m in movements if m.id not in removed]
    paid = sum((m.amount for m in live if m.source in (Source.CARD, Source.CASH)), Decimal(0))
    paid_2026 = sum(
        (m.amount for m in live if m.source in (Source.CARD, Source.CASH) and m.date.year == 2026),
        Decimal(0),
    )
    eligible_debits = -sum((m.amount for m in live if m.eligible), Decimal(0))
    refunds = sum((m.amount for m in live if m.source == Source.REFUND), Decimal(0))
    y2026, y2027 = figures(movements, 2026), figures(movements, 2027)
    total = y2026.amount + y2027.amount
    assert min(y2026.amount, y2027.amount, y2026.unpaid, y2027.unpaid) >= 0
    assert total <= paid and total <= eligible_debits
    assert y2026.amount <= paid_2026  # nothing received after 31 December counts in 2026
    assert not y2026.earlier  # nothing before 2026
    if all(b >= 0 for b in balances):
        assert eligible_debits - refunds <= total <= eligible_debits
        if not refunds:
            assert total == eligible_debits
            # A 2026 payment reversed in 2027 never paid 2026 (the year it paid is corrected,
            # docs/billing.md): what it seemed to pay is unpaid on 31 December, even though the
            # running balance never went below zero.
            by_id = {m.id: m for m in movements}
            late_reversal = any(
                m.source == Source.REVERSAL
                and by_id[m.reverses].amount > 0
                and by_id[m.reverses].date.year < m.date.year
                for m in movements
            )
            if not late_reversal:
                assert y2026.unpaid == 0
    if balances and balances[-1] >= 0 and not refunds:
        assert total == eligible_debits  # everything was paid in the end, by the family


# --- the worked examples of docs/billing.md, through the database ---------------------------


@pytest.fixture
def hugo(db):
    user, household, lea = make_parent("martin", birth_date=D(2018, 5, 4), first_name="Léa")
    child = ChildFactory(household=household, first_name="Hugo", birth_date=D(2021, 9, 2))
    return user, household, child


@pytest.fixture
def activities(hugo):
    _user, _household, child = hugo
    made = {
        "matin": make_activity(child.school, Activity.Kind.MORNING, "1.40"),
        "soir": make_activity(child.school, Activity.Kind.EVENING1, "1.60"),
        "repas": make_activity(child.school, Activity.Kind.LUNCH, "4.10"),
    }
    names = {"matin": "Accueil matin", "soir": "Accueil soir", "repas": "Restauration scolaire"}
    for key, activity in made.items():
        activity.name = names[key]
        activity.save()
    return made


def consume(household, child, activity, day, amount):
    return services.post_entry(
        household,
        -Decimal(amount),
        services.consumption_label(activity, child, day, "booked", 1),
        Source.CONSUMPTION,
        date=day,
        child=child,
        activity=activity,
        service_date=day,
    )


def credit(household, day, amount, source=Source.CARD):
    return services.post_entry(household, Decimal(amount), f"{source} {day}", source, date=day)


def issue(household, child, year, today):
    with at(today):
        return services.issue_tax_certificate(household, child, year)


def test_example_1_account_always_positive(hugo, activities):
    _user, household, child = hugo
    credit(household, D(2026, 1, 5), "100")
    consume(household, child, activities["matin"], D(2026, 1, 30), "14")
    consume(household, child, activities["repas"], D(2026, 1, 30), "41")
    consume(household, child, activities["soir"], D(2026, 1, 30), "16")
    credit(household, D(2026, 3, 2), "50", Source.CASH)
    consume(household, child, activities["matin"], D(2026, 3, 31), "28")
    cert = issue(household, child, 2026, D(2027, 1, 4))
    assert cert.amount == Decimal("58.00")
    assert cert.lines == [["Accueil matin", "42.00"], ["Accueil soir", "16.00"]]
    assert cert.unpaid == 0 and cert.earlier_lines == []


def test_example_2_negative_at_year_end_topped_up_in_january(hugo, activities, cashier):
    _user, household, child = hugo
    credit(household, D(2026, 9, 1), "60", Source.CASH)
    consume(household, child, activities["soir"], D(2026, 9, 30), "40")
    consume(household, child, activities["repas"], D(2026, 11, 30), "30")
    consume(household, child, activities["soir"], D(2026, 12, 15), "25")
    with at(D(2027, 1, 2)):  # certificate of 2026 asked before the top-up
        before = services.issue_tax_certificate(household, child, 2026)
    credit(household, D(2027, 1, 8), "50")
    consume(household, child, activities["soir"], D(2027, 1, 29), "15")
    assert selectors.balance_of(household) == 0
    cert_2026 = issue(household, child, 2026, D(2027, 2, 1))
    assert cert_2026 == before  # the January top-up does not change 2026
    assert cert_2026.amount == Decimal("40.00") and cert_2026.unpaid == Decimal("25.00")
    cert_2027 = issue(household, child, 2027, D(2028, 1, 3))
    assert cert_2027.amount == Decimal("40.00")
    assert cert_2027.lines == [["Accueil soir", "15.00"]]
    assert cert_2027.earlier_lines == [[2026, "Accueil soir", "25.00"]]
    assert cert_2027.unpaid == 0


def test_example_3_a_refund_and_a_reversal(hugo, activities, cashier):
    _user, household, child = hugo
    credit(household, D(2026, 1, 5), "30")
    consume(household, child, activities["matin"], D(2026, 1, 30), "28")
    credit(household, D(2026, 2, 10), "20", Source.REFUND)
    consume(household, child, activities["matin"], D(2026, 2, 27), "22")
    wrong = consume(household, child, activities["soir"], D(2026, 3, 16), "16")
    with at(D(2026, 3, 18)):
        services.reverse_entry(wrong, "Enfant absent, pas de garde", cashier)
    cert = issue(household, child, 2026, D(2027, 1, 4))
    assert cert.amount == Decimal("30.00")
    assert cert.lines == [["Accueil matin", "30.00"]]


# --- the page ---------------------------------------------------------------------------------


def test_only_years_over_are_offered_from_1_january(client, hugo, activities):
    user, household, child = hugo
    credit(household, D(2026, 3, 2), "20")
    consume(household, child, activities["soir"], D(2026, 3, 3), "1.60")
    with at(D(2026, 12, 31)):
        client.force_login(user)
        page = client.get(PAGE).content.decode()
        assert 'name="year"' not in page and "1er janvier 2027" in page
        response = client.post(PAGE, {"year": 2026, "child": child.pk})
        assert response.status_code == 400 and "1er janvier 2027" in response.content.decode()
        assert not TaxCertificate.objects.exists()
        with pytest.raises(services.BillingError):
            services.issue_tax_certificate(household, child, 2026)
    # 1 January 00:30 in Paris is still 31 December in UTC: the town's clock decides.
    new_year = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    with time_machine.travel(new_year, tick=False):
        client.force_login(user)
        page = client.get(PAGE).content.decode()
        assert '<option value="2026"' in page and '<option value="2027"' not in page
        response = client.post(PAGE, {"year": 2026, "child": child.pk})
        assert "Attestation fiscale 2026" in pdf_text(response)
        assert client.post(PAGE, {"year": 2027, "child": child.pk}).status_code == 400


def test_pdf_carries_the_legal_mentions(client, hugo, activities):
    user, household, child = hugo
    town = TownSettings.current()
    town.legal_name, town.siret = "Commune de Viry", "21740305700015"
    town.signatory_name, town.signatory_role = "Anne Durand", "Régisseuse de recettes"
    town.save()
    credit(household, D(2026, 1, 5), "100")
    consume(household, child, activities["soir"], D(2026, 1, 6), "16.40")
    consume(household, child, activities["repas"], D(2026, 1, 6), "4.10")
    with at(D(2027, 2, 1)):
        client.force_login(user)
        text = pdf_text(client.post(PAGE, {"year": 2026, "child": child.pk}))
    flat = " ".join(text.split())
    assert "Commune de Viry" in flat and "SIRET : 21740305700015" in flat
    assert "du 1er janvier 2026 au 31 décembre 2026" in flat
    assert "Hugo" in flat and "2 septembre 2021" in flat and user.last_name in flat
    assert "16,40" in flat and "4,10" not in flat
    assert "le 1er février 2027" in flat
    assert "Anne Durand" in flat and "Régisseuse de recettes" in flat
    assert "200 quater B" in flat
    assert "ANNULÉ" not in flat and "Remplacée" not in flat


def test_nothing_paid_gives_a_message_and_no_number(client, hugo, activities):
    user, household, child = hugo
    consume(household, child, activities["soir"], D(2026, 5, 4), "12")  # never paid
    consume(household, child, activities["repas"], D(2026, 5, 4), "4.10")
    with at(D(2027, 1, 10)):
        client.force_login(user)
        response = client.post(PAGE, {"year": 2026, "child": child.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aucune dépense de garde éligible n'a été payée en 2026 pour Hugo" in page.replace(
        "&#x27;", "'"
    )
    assert "12,00" in page and "4,10" not in page  # the unpaid childcare, not the meal
    assert not TaxCertificate.objects.exists()
    assert not BillingCounter.objects.filter(series=TaxCertificate.SERIES, last__gt=0).exists()


def test_same_certificate_again_and_a_correction_replaces_it(client, hugo, activities, cashier):
    user, household, child = hugo
    credit(household, D(2026, 1, 5), "50")
    consume(household, child, activities["soir"], D(2026, 1, 6), "10")
    wrong = consume(household, child, activities["soir"], D(2026, 1, 7), "10")
    with at(D(2027, 1, 4)):
        client.force_login(user)
        first = pdf_text(client.post(PAGE, {"year": 2026, "child": child.pk}))
    with at(D(2027, 3, 1)):
        client.force_login(user)
        again = pdf_text(client.post(PAGE, {"year": 2026, "child": child.pk}))
        assert again == first  # same number, same date of issue
        assert "AF-2027-00001" in again and "20,00" in again
        services.reverse_entry(wrong, "Facturé à tort", cashier)
        corrected = pdf_text(client.post(PAGE, {"year": 2026, "child": child.pk}))
    assert "AF-2027-00002" in corrected and "10,00" in corrected
    assert "remplace l'attestation n° AF-2027-00001" in " ".join(corrected.split())
    old, new = TaxCertificate.objects.order_by("number")
    assert new.replaces == old and old.amount == Decimal("20.00")  # the old row unchanged
    old_pdf = " ".join(pdf_text(client.get(f"{PAGE}{old.pk}/")).split())
    assert "Remplacée par l'attestation n° AF-2027-00002" in old_pdf
    with at(D(2027, 3, 2)):
        client.force_login(user)
        page = client.get(PAGE).content.decode()
    assert "remplacée par AF-2027-00002" in page


def test_another_familys_child_and_certificate_are_404(client, hugo, activities, other_parent):
    user, _household, _child = hugo
    _other, other_household, other_child = other_parent
    other_child.birth_date = D(2022, 1, 1)
    other_child.save()
    credit(other_household, D(2026, 1, 5), "20")
    consume(other_household, other_child, activities["soir"], D(2026, 1, 6), "5")
    cert = issue(other_household, other_child, 2026, D(2027, 1, 4))
    with at(D(2027, 1, 5)):
        client.force_login(user)
        assert client.post(PAGE, {"year": 2026, "child": other_child.pk}).status_code == 404
        assert client.get(f"{PAGE}{cert.pk}/").status_code == 404


def test_a_child_6_or_older_on_1_january_is_refused(client, hugo):
    user, household, _hugo = hugo
    lea = household.children.get(first_name="Léa")
    credit(household, D(2025, 1, 5), "20")
    with at(D(2026, 1, 5)):
        client.force_login(user)
        assert f'id="child-{lea.pk}" disabled' in client.get(PAGE).content.decode()
        response = client.post(PAGE, {"year": 2025, "child": lea.pk})
    assert response.status_code == 400 and "6 ans ou plus" in response.content.decode()
    # Born in N-6 is still under 6 for the tax form of N; born in N-7 is not.
    assert selectors.tax_certificate_eligible(ChildFactory.build(birth_date=D(2020, 1, 1)), 2026)
    assert not selectors.tax_certificate_eligible(
        ChildFactory.build(birth_date=D(2019, 12, 31)), 2026
    )


def test_a_payment_reversed_the_next_year_corrects_the_year_it_paid(hugo, activities, cashier):
    _user, household, child = hugo
    credit(household, D(2026, 1, 5), "10")
    cash = credit(household, D(2026, 6, 1), "30", Source.CASH)
    consume(household, child, activities["soir"], D(2026, 6, 2), "25")
    first = issue(household, child, 2026, D(2027, 1, 4))
    assert first.amount == Decimal("25.00") and first.unpaid == 0
    with at(D(2027, 2, 1)):  # the cash had been recorded on the wrong household
        services.reverse_entry(cash, "Versement enregistré sur le mauvais foyer", cashier)
    second = issue(household, child, 2026, D(2027, 2, 2))
    assert second.replaces == first and second.number == first.number + 1
    assert second.amount == Decimal("10.00") and second.unpaid == Decimal("15.00")


def test_a_correction_down_to_nothing_paid_withdraws_the_certificate(
    client, hugo, activities, cashier
):
    """The only payment is reversed after the certificate was issued: a corrective certificate
    of 0,00 € replaces it, so the parent cannot keep using the old one as valid."""
    user, household, child = hugo
    cash = credit(household, D(2026, 6, 1), "30", Source.CASH)
    consume(household, child, activities["soir"], D(2026, 6, 2), "25")
    first = issue(household, child, 2026, D(2027, 1, 4))
    assert first.amount == Decimal("25.00")
    with at(D(2027, 2, 1)):
        services.reverse_entry(cash, "Versement enregistré sur le mauvais foyer", cashier)
    second = issue(household, child, 2026, D(2027, 2, 2))
    assert second is not None and second.replaces == first
    assert second.amount == 0 and second.unpaid == Decimal("25.00")
    assert issue(household, child, 2026, D(2027, 2, 3)) == second  # not renumbered again
    with at(D(2027, 2, 3)):
        client.force_login(user)
        old_pdf = " ".join(pdf_text(client.get(f"{PAGE}{first.pk}/")).split())
        page = client.get(PAGE).content.decode()
    assert f"Remplacée par l'attestation n° {second.reference}" in old_pdf
    assert f"remplacée par {second.reference}" in page
