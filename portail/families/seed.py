"""Synthetic households for `seed_town`: accounts, adults, children across schools and levels."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from portail.accounts.models import User
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
PASSWORD = "SeedParent1"  # every synthetic parent: seedNNNNN / SeedParent1


def seed(town, families: int):
    rng = town.rng
    n_schools = max(3, families // 400)
    for i in range(n_schools):
        School.objects.get_or_create(name=f"École {i + 1:03d}")
    schools = list(School.objects.order_by("pk").values_list("pk", flat=True))[:n_schools]
    now = timezone.now()
    password = make_password(PASSWORD)  # hashed once: seeding must not spend minutes in PBKDF2

    user0, household0, adult0, child0 = (
        max_id(User),
        max_id(Household),
        max_id(Adult),
        max_id(Child),
    )
    offset = User.objects.filter(username__startswith="seed").count()
    users, emails, households, adults, children = [], [], [], [], []
    child_id = child0
    for i in range(families):
        k = offset + i
        uid, hid = user0 + i + 1, household0 + i + 1
        last = rng.choice(LAST)
        first = rng.choice(FIRST)
        username = f"seed{k:05d}"
        email = f"{username}@seed.test"
        users.append((uid, username, email, first, last, password, False, False, True, now))
        emails.append((uid, email, True, True))
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
        adults.append((hid, uid, first, last, "mother", email, "0600000000"))
        if rng.random() < 0.6:
            adults.append((hid, None, rng.choice(FIRST), last, "father", "", "0600000001"))
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
        town.user_ids.append(uid)

    copy_rows(
        User,
        [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "password",
            "is_staff",
            "is_superuser",
            "is_active",
            "date_joined",
        ],
        users,
    )
    copy_rows(EmailAddress, ["user_id", "email", "verified", "primary"], emails)
    town.step(f"{families} accounts")
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
        ["household_id", "user_id", "first_name", "last_name", "relationship", "email", "phone"],
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
    reset_sequences(User, Household, Child)
    refresh_search_keys(town.household_ids[-families:] if families else [])  # COPY sends no signal
    town.step(f"{families} households, {len(children)} children")
    assert adult0 >= 0
