"""The agents' lists: one way to page, count, sort and export a filtered queryset.

A view filters its queryset (its own form), then hands it to `Listing` with the sort keys it
allows; the template shows `listing.total`, `listing.page`, the sortable column headers
(`{% sort_th listing "key" %}`, `core/templatetags/lists.py`) and `core/pagination.html`.
`?export=csv` on the same address answers every filtered row, in the same order, as CSV:
what the agent sees, never only the page, never cut at N rows."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import F
from django.utils.translation import gettext as _

from portail.core import spreadsheet
from portail.core.clock import PARIS

PAGE_SIZE = 50


@dataclass(frozen=True)
class Sort:
    """A sort key offered to the agent: its column header and the fields it orders by
    (ascending; « -field » for a field that goes the other way within the key)."""

    label: str
    fields: tuple[str, ...]


def _ordering(fields, descending: bool):
    """Nulls last in both directions, whatever the database does by default."""
    order = []
    for name in fields:
        reverse = name.startswith("-") != descending
        expression = F(name.lstrip("-"))
        order.append(
            expression.desc(nulls_last=True) if reverse else expression.asc(nulls_last=True)
        )
    return order


class Listing:
    """One page of a filtered list, its total and the addresses that keep its filters.

    `sorts`: {key: Sort}, the only keys `?sort=` accepts (« -key » sorts backwards); anything
    else falls back to `default`. A queryset is ordered by the key then by pk (a stable order
    across pages); a plain list (already ordered) is only paged."""

    def __init__(self, request, rows, sorts=None, default="", per_page=PAGE_SIZE, prefix=""):
        self.request = request
        self.sorts = sorts or {}
        # Two lists on one page: the second's parameters are prefixed (« f-page »).
        self.page_param, self.sort_param = f"{prefix}page", f"{prefix}sort"
        asked = request.GET.get(self.sort_param, "")
        key, descending = asked.removeprefix("-"), asked.startswith("-")
        if key not in self.sorts:
            key, descending = default.removeprefix("-"), default.startswith("-")
        self.sort_key, self.descending = key, descending
        if key:
            tie = "-pk" if descending else "pk"
            rows = rows.order_by(*_ordering(self.sorts[key].fields, descending), tie)
        self.rows = rows
        self.paginator = Paginator(rows, per_page)
        self.page = self.paginator.get_page(request.GET.get(self.page_param))
        self.total = self.paginator.count

    # --- addresses keeping the filters ---

    def url(self, **changes) -> str:
        """This list's address with the query string changed (None removes a parameter)."""
        query = self.request.GET.copy()
        for name, value in changes.items():
            query.pop(name, None)
            if value is not None:
                query[name] = value
        encoded = query.urlencode()
        return f"{self.request.path}?{encoded}" if encoded else self.request.path

    def page_url(self, number: int) -> str:
        return self.url(**{self.page_param: None if number == 1 else str(number), "export": None})

    @property
    def previous_url(self) -> str:
        return self.page_url(self.page.number - 1) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.page_url(self.page.number + 1) if self.page.has_next() else ""

    @property
    def first_url(self) -> str:
        return self.page_url(1) if self.page.number > 2 else ""

    @property
    def last_url(self) -> str:
        last = self.paginator.num_pages
        return self.page_url(last) if self.page.number < last - 1 else ""

    def sort_url(self, key: str) -> str:
        """The header's link: this key ascending, or backwards when it is already the sort."""
        backwards = key == self.sort_key and not self.descending
        changes = {self.sort_param: f"-{key}" if backwards else key, self.page_param: None}
        return self.url(**changes, export=None)

    def aria_sort(self, key: str) -> str:
        if key != self.sort_key:
            return ""
        return "descending" if self.descending else "ascending"

    @property
    def export_url(self) -> str:
        return self.url(export="csv", **{self.page_param: None})

    @property
    def wants_export(self) -> bool:
        return self.request.GET.get("export") == "csv"

    # --- export ---

    def csv(self, filename: str, columns) -> object:
        """Every filtered row (not only the page), in the list's order. `columns`: [(header,
        function of a row)]; values become French spreadsheet cells (`cell_value`)."""
        response, writer = spreadsheet.csv_response(filename)
        writer.writerow([str(header) for header, _value in columns])
        rows = self.rows.iterator(chunk_size=2000) if hasattr(self.rows, "iterator") else self.rows
        for row in rows:
            writer.writerow([cell_value(value(row)) for _header, value in columns])
        return response


def cell_value(value) -> str:
    """A French spreadsheet cell: decimal comma, dd/mm/yyyy, oui/non, no formula."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return spreadsheet.amount(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return spreadsheet.cell(value)
