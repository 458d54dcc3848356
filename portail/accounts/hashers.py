"""Password hashing: Argon2id at OWASP's minimum (Password Storage Cheat Sheet, 2025)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with m=19 MiB, t=2, p=1: OWASP's first recommended configuration.

    Django's own defaults (m=100 MiB, t=2, p=8) cost ~5 times more CPU and memory per login,
    which the opening-day rush cannot afford on two cores (docs/PERFORMANCE.md); these values
    are OWASP's minimum, not below it. The algorithm name stays "argon2": the parameters are
    stored in each hash, so raising them later upgrades hashes at the next login
    (`must_update`), and Django's own Argon2 hasher can verify them.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
