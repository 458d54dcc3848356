"""Measures other than page latency, registered by name: `MEASURES[name](user, families)`.

Each returns a small dict of figures. The areas (bulk booking, consumption run, PDF) add theirs.
"""

MEASURES: dict = {}


def measure(name):
    def register(fn):
        MEASURES[name] = fn
        return fn

    return register
