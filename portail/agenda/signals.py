"""What the agenda tells the apps above it (which it may not import)."""

from django.dispatch import Signal

# Sent inside the transaction that cancels bookings the family did not cancel (a school change),
# with `items` — (child_id, activity_id, date) of each — `reason` and `actor`. Billing refunds
# the ones it already debited and returns how many.
bookings_withdrawn = Signal()
