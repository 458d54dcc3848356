from django import template

from portail.documents.selectors import requirements_for
from portail.documents.uploads import human_size as _human_size

register = template.Library()


@register.filter
def human_size(value):
    """{{ 1480|human_size }} -> 1,4 Ko"""
    return _human_size(int(value or 0))


@register.inclusion_tag("documents/_requirements.html")
def requirements_summary(household, procedure_slug=None, next=None, adults=None, children=None):
    """The state of a household's supporting documents, for pages of other apps (« Mon profil »,
    a procedure's form): {% requirements_summary household next=request.path %} (with
    `adults=… children=…` when the page has read them)."""
    requirements = requirements_for(household, procedure_slug, adults=adults, children=children)
    return {"requirements": requirements, "next": next}


@register.simple_tag
def procedure_requirements(household, procedure_slug, child=None):
    """{% procedure_requirements household "inscription-scolaire" child as requirements %}: what
    a procedure needs of this household (the administrator links types to procedures); with a
    child, only that child's documents among the children's (none for an unsaved child)."""
    return requirements_for(household, procedure_slug, child=child) if household else []
