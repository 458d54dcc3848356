"""What accounts tells the apps below it (which it may not import)."""

from django.dispatch import Signal

# Sent inside the transaction that closes an account, with `user` and `household` (None when
# the account had none): apps revoke what the account could reach without signing in.
account_closed = Signal()
