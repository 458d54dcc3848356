"""Gap-free numbering (cash receipts, tax certificates, request references): one counter row
per sequence, in the app it numbers, incremented under a row lock held by the caller's
transaction, so a rolled-back document gives its number back."""

from django.db import IntegrityError, transaction


def next_number(counter_model, **key) -> int:
    """The next number of the sequence `key` of `counter_model` (a model with a `last` field,
    unique on `key`). Call it inside the transaction that stores the numbered document."""
    try:
        with transaction.atomic():
            counter_model.objects.get_or_create(**key)
    except IntegrityError:
        pass  # created concurrently: fine, lock it below
    counter = counter_model.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
