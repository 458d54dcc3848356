"""The synthetic households' accounts for `seed_town`: one per household, held by the adult
families' seed.py chose (`town.account_holders`), username seedNNNNN, password SeedParent1."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from portail.accounts.models import User
from portail.core.seeding import copy_rows, max_id, reset_sequences
from portail.families.services import link_accounts

PASSWORD = "SeedParent1"  # every synthetic parent: seedNNNNN / SeedParent1


def seed(town, families: int):
    now = timezone.now()
    password = make_password(PASSWORD)  # hashed once: seeding must not spend minutes in PBKDF2
    user0 = max_id(User)
    users, emails, links = [], [], {}
    for i, (adult_id, first, last, email) in enumerate(town.account_holders):
        uid = user0 + i + 1
        username = email.split("@")[0]
        users.append((uid, username, email, first, last, password, False, False, True, now))
        emails.append((uid, email, True, True))
        links[adult_id] = uid
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
    reset_sequences(User)
    link_accounts(links)
    town.step(f"{families} accounts")
