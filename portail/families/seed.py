"""Synthetic households for `seed_town`: adults, children across schools and levels. The first
adult of each household holds its account, which accounts' seed.py creates next
(`town.account_holders`)."""

import datetime

from django.utils import timezone

from portail.core.seeding import copy_rows, max_id, reset_sequences
from portail.families.models import Adult, Child, Household, School
from portail.families.services import refresh_search_keys

FIRST = [
    "Camille",
    "Léa",
    "Hugo",
    "Louis",
    "Emma",
    "Jade",
    "Lucas",
    "Chloé",
    "Nathan",
    "Inès",
    "Adam",
    "Zoé",
    "Gabriel",
    "Manon",
    "Jules",
    "Alice",
    "Arthur",
    "Lina",
    "Paul",
    "Rose",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Nguyen",
]
LEVELS = [
    ("PS", 3),
    ("MS", 4),
    ("GS", 5),
    ("CP", 6),
    ("CE1", 7),
    ("CE2", 8),
    ("CM1", 9),
    ("CM2", 10),
]
# Children per household: 1 to 4.
SIZES = [1] * 35 + [2] * 40 + [3] * 18 + [4] * 7
SEED_DOMAIN = "@seed.test"  # the account holders' e-mails: seedNNNNN@seed.test


def seed(town, families: int):
    rng = town.rng
    n_schools = max(3, families // 400)
    for i in range(n_schools):
        School.objects.get_or_create(name=f"École {i + 1:03d}")
    schools = list(School.objects.order_by("pk").values_list("pk", flat=True))[:n_schools]
    now = timezone.now()
    household0, adult_id, child_id = max_id(Household), max_id(Adult), max_id(Child)
    offset = Adult.objects.filter(email__endswith=SEED_DOMAIN).count()  # earlier seeds' holders
    households, adults, children = [], [], []
    for i in range(families):
        k = offset + i
        hid = household0 + i + 1
        last = rng.choice(LAST)
        first = rng.choice(FIRST)
        email = f"seed{k:05d}{SEED_DOMAIN}"
        households.append(
            (
                hid,
                f"Famille {last} {k}",
                f"{rng.randint(1, 200)} rue des Écoles",
                "",
                "74580",
                "Viry",
                rng.choice([None, rng.randint(300, 2500)]),
                now,
            )
        )
        adult_id += 1
        adults.append((adult_id, hid, first, last, "mother", email, "0600000000"))
        town.account_holders.append((adult_id, first, last, email))
        if rng.random() < 0.6:
            adult_id += 1
            adults.append((adult_id, hid, rng.choice(FIRST), last, "father", "", "0600000001"))
        school = rng.choice(schools)
        for _ in range(rng.choice(SIZES)):
            level, age = rng.choice(LEVELS)
            child_id += 1
            birth = datetime.date(town.year - age, rng.randint(1, 12), rng.randint(1, 28))
            children.append(
                (
                    child_id,
                    hid,
                    rng.choice(FIRST),
                    last,
                    birth,
                    school,
                    level,
                    False,
                    rng.random() < 0.05,
                    "",
                    rng.random() < 0.03,
                )
            )
            town.children.append((child_id, hid, school, birth))
        town.household_ids.append(hid)

    copy_rows(
        Household,
        [
            "id",
            "name",
            "address_line1",
            "address_line2",
            "postcode",
            "city",
            "family_quotient",
            "created_at",
        ],
        households,
    )
    copy_rows(
        Adult,
        ["id", "household_id", "first_name", "last_name", "relationship", "email", "phone"],
        adults,
    )
    copy_rows(
        Child,
        [
            "id",
            "household_id",
            "first_name",
            "last_name",
            "birth_date",
            "school_id",
            "level",
            "no_pork",
            "gluten_free",
            "allergies",
            "has_pai",
        ],
        children,
    )
    reset_sequences(Household, Adult, Child)
    refresh_search_keys(town.household_ids[-families:] if families else [])  # COPY sends no signal
    town.step(f"{families} households, {len(children)} children")
