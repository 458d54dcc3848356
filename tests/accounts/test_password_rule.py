import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from portail.accounts.models import User


def errors(password, **user):
    with translation.override("fr"):
        try:
            validate_password(password, User(**user) if user else None)
        except ValidationError as exc:
            return exc.messages
    return []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1", "au moins 8 caractères"),
        ("abcdefg1", "au moins une lettre majuscule"),
        ("ABCDEFG1", "au moins une lettre minuscule"),
        ("Abcdefgh", "au moins un chiffre"),
    ],
)
def test_each_unmet_rule_is_named_in_french(password, message):
    assert any(message in m for m in errors(password))


def test_a_good_password_passes():
    assert errors("Jardin-Bleu-2026") == []


@pytest.mark.django_db
def test_common_passwords_and_passwords_close_to_identity_are_refused():
    assert any("trop courant" in m for m in errors("Password1"))
    similar = errors("Camille.Durand1", username="camille.durand", email="c@example.test")
    assert any("trop semblable" in m or "trop proche" in m for m in similar)
    similar = errors("Camille.Durand1", username="xyz", email="camille.durand@example.test")
    assert any("trop semblable" in m or "trop proche" in m for m in similar)


def test_long_passphrases_are_accepted():
    phrase = "Le petit chat de Viry mange 3 croquettes chaque matin " * 5
    assert len(phrase) >= 128 and errors(phrase[:300]) == []


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="abcdefghijkmnopqrstuvwxyz", min_size=8, max_size=40))
def test_without_uppercase_or_digit_always_refused(text):
    assert errors(text)
