"""What accounts tells the apps below it (which it may not import)."""

from django.dispatch import Signal

# Sent inside the transaction that closes an account, with `user` and `household` (None when
# the account had none): apps revoke what the account could reach without signing in.
account_closed = Signal()

# Sent at sign-up, before an account is made, with `email` and `request`: a receiver that
# returns True has answered that address itself (e.g. an imported family gets its invitation
# again), and no account is created. The page shown is the same as any sign-up's.
signup_email_reserved = Signal()
