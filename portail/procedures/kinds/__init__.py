"""The catalogue of procedures. Each kind lives in one module of this package and registers
itself with `@register`; the modules are imported here at start-up, so adding a kind is adding
one file (and its templates)."""

import importlib
import pkgutil

_REGISTRY: dict = {}


class UnknownProcedure(LookupError):
    """No procedure of this slug (a typed URL, a kind withdrawn since a request was filed): the
    web answers 404 (`procedures.middleware.UnknownProcedureMiddleware`)."""


def register(cls):
    _REGISTRY[cls.slug] = cls()
    return cls


def all_procedures():
    _discover()
    return sorted(_REGISTRY.values(), key=lambda p: p.position)


def get_procedure(slug):
    _discover()
    try:
        return _REGISTRY[slug]
    except KeyError:
        raise UnknownProcedure(slug) from None


_loaded = False


def _discover():
    global _loaded
    if _loaded:
        return
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")
    _loaded = True
