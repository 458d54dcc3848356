"""Template side of `core.lists.Listing`: sortable column headers."""

from django import template

register = template.Library()


@register.inclusion_tag("core/sort_th.html")
def sort_th(listing, key):
    """A column header that sorts the list by `key` (a link, its state in aria-sort)."""
    return {
        "label": listing.sorts[key].label,
        "url": listing.sort_url(key),
        "aria_sort": listing.aria_sort(key),
    }
