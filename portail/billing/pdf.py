"""PDF documents (ReportLab): cash receipt, tax certificate, simplified statement, all on the
town's letterhead."""

import contextlib
import datetime
import functools
import io
import os
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer

from portail.billing import pdfa
from portail.billing.selectors import cashier_of, receipt_reversal
from portail.billing.services import issuer_identity
from portail.core import clock
from portail.core.dates import long_date
from portail.core.models import TownSettings
from portail.core.money import NNBSP, format_eur

# Embedded TrueType fonts (DejaVu, free licence, Debian's fonts-dejavu-core): the 14 standard
# PDF fonts are not embedded, so a reader may substitute them and PDF/A forbids them.
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
for _name in (FONT, BOLD):
    pdfmetrics.registerFont(TTFont(_name, settings.PDF_FONT_DIR / f"{_name}.ttf"))
pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)

STYLES = getSampleStyleSheet()
for _style in STYLES.byName.values():
    if hasattr(_style, "fontName"):
        _style.fontName = BOLD if "Bold" in _style.fontName else FONT
LABEL_WIDTH = 76 * mm  # the statement's label column
LANG = "fr-FR"
# The characters both fonts draw: any other (an emoji in a name) would print the « .notdef »
# glyph, which PDF/A forbids; it is replaced by « ? ».
DRAWN = frozenset(pdfmetrics.getFont(FONT).face.charToGlyph).intersection(
    pdfmetrics.getFont(BOLD).face.charToGlyph
) | {10}


def eur(amount) -> str:
    # Kept to one kind of space in the PDFs' text (copy-paste into a spreadsheet).
    return format_eur(amount).replace(NNBSP, "\u00a0")


def drawable(text) -> str:
    """The text with « ? » for each character the fonts lack (see DRAWN)."""
    text = str(text)
    if DRAWN.issuperset(map(ord, text)):
        return text
    return "".join(c if ord(c) in DRAWN else "?" for c in text)


def _p(text, style="Normal"):
    return Paragraph(escape(drawable(text)).replace("\n", "<br/>"), STYLES[style])


@functools.lru_cache(maxsize=4)
def _flat_logo(path: str, mtime: float) -> bytes:
    """The logo as 8-bit RGB PNG flattened on white, once per file version: no soft mask
    (transparency) nor 16-bit samples in the documents."""
    with PILImage.open(path) as image:
        rgba = image.convert("RGBA")
    flat = PILImage.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, "PNG")
    return out.getvalue()


def _letterhead(town) -> list:
    story = []
    if town.logo:
        # A missing or unreadable logo must not stop the document.
        with contextlib.suppress(Exception):
            path = town.logo.path
            logo = io.BytesIO(_flat_logo(path, os.path.getmtime(path)))
            story.append(Image(logo, width=30 * mm, height=30 * mm, kind="proportional"))
    story.append(_p(f"{town.town_name} — {town.service_name}", "Heading3"))
    story.append(_p(town.address))
    story.append(_p(f"{town.phone} · {town.email}"))
    story.append(Spacer(1, 8 * mm))
    return story


def _table(rows, widths, money_columns=()):
    """A table of text cells (« \\n » between the lines of a cell), the first row its header."""
    rows = [[drawable(cell) for cell in row] for row in rows]
    return _Rows(rows[0], rows[1:], widths, right=money_columns)


class _Rows(Flowable):
    """The documents' tables drawn directly: rows measured once, one text object per page
    instead of one per cell, the header repeated on each page; grid, header in bold on a light
    background, 9/11 pt, 6 and 3 pt paddings. ReportLab's Table re-measures the remaining rows
    at each page break and draws each cell through its own text object: most of a year's
    statement time (docs/PERFORMANCE.md)."""

    SIZE, LEADING, PAD_X, PAD_Y = 9, 11, 6, 3

    def __init__(self, header, rows, widths, right=(), heights=None):
        super().__init__()
        self.hAlign = "CENTER"  # as ReportLab's tables
        self.header, self.rows, self.widths, self.right = header, rows, widths, right
        self.heights = heights or [self._height(row) for row in rows]
        self.header_height = self._height(header)

    def _height(self, row) -> float:
        return (max(cell.count("\n") for cell in row) + 1) * self.LEADING + 2 * self.PAD_Y

    def wrap(self, avail_width, avail_height):
        self.width, self.height = sum(self.widths), self.header_height + sum(self.heights)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        room, count = avail_height - self.header_height, 0
        for height in self.heights:
            if height > room:
                break
            room -= height
            count += 1
        if count == 0 or count == len(self.rows):
            return [] if count == 0 else [self]
        part = functools.partial(_Rows, self.header, widths=self.widths, right=self.right)
        return [
            part(self.rows[:count], heights=self.heights[:count]),
            part(self.rows[count:], heights=self.heights[count:]),
        ]

    def draw(self):
        canv, top = self.canv, self.height
        canv.setFillColor(colors.whitesmoke)
        canv.rect(0, top - self.header_height, self.width, self.header_height, stroke=0, fill=1)
        edges, y = [top], top
        for height in (self.header_height, *self.heights):
            y -= height
            edges.append(y)
        lefts = [0]
        for width in self.widths:
            lefts.append(lefts[-1] + width)
        canv.setStrokeColor(colors.grey)
        canv.setLineWidth(0.5)
        canv.lines([(0, y, self.width, y) for y in edges] + [(x, 0, x, top) for x in lefts])
        text = canv.beginText()
        text.setFillColor(colors.black)
        body = ((FONT, row, y) for row, y in zip(self.rows, edges[1:], strict=False))
        for font, row, y in [(BOLD, self.header, top), *body]:
            text.setFont(font, self.SIZE, self.LEADING)
            for column, cell in enumerate(row):
                if not cell:  # a row's empty debit or credit: no text operator at all
                    continue
                baseline = y - self.PAD_Y - self.SIZE
                for line in cell.split("\n"):
                    if column in self.right:
                        width = pdfmetrics.stringWidth(line, font, self.SIZE)
                        x = lefts[column + 1] - self.PAD_X - width
                    else:
                        x = lefts[column] + self.PAD_X
                    text.setTextOrigin(x, baseline)
                    text.textOut(line)
                    baseline -= self.LEADING
        canv.drawText(text)


class _NumberedCanvas(canvas.Canvas):
    """Each page's footer: « Édité le 1er décembre 2026 – page 1 sur 3 » (the total is known only
    once every page is laid out, so the pages are kept until then)."""

    def __init__(self, *args, issued=None, **kwargs):
        kwargs["initialFontName"] = FONT  # not Helvetica, set on every new page
        super().__init__(*args, **kwargs)
        self._pages, self._issued = [], issued or clock.today()
        pdfa.make_archival(self, LANG)

    def showPage(self):  # noqa: N802 (ReportLab's API)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.drawRightString(
                A4[0] - 18 * mm,
                8 * mm,
                _("Issued on %(date)s – page %(page)s of %(pages)s")
                % {"date": long_date(self._issued), "page": number, "pages": total},
            )
            super().showPage()
        super().save()


def _build(title: str, story: list, issued: datetime.date | None = None) -> bytes:
    """The PDF; `issued`: the document's own date of issue (default today), in each footer."""
    town = TownSettings.current()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=f"{town.town_name} – {town.service_name}",
        subject=title,
        creator=town.portal_name,
        lang=LANG,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, issued=issued))
    return buffer.getvalue()


def _signature(town, day=None, signatory=None) -> list:
    """« Fait à Viry, le 1er février 2027. », who signs, room for the stamp."""
    return [
        Spacer(1, 10 * mm),
        _p(
            _("Issued in %(town)s on %(date)s.")
            % {"town": town.town_name, "date": long_date(day or clock.today())}
        ),
        Spacer(1, 4 * mm),
        *[_p(line, "Heading4") for line in (signatory or [settings.BILLING_SIGNATORY]) if line],
        _p(_("Signature and stamp")),
        Spacer(1, 20 * mm),
    ]


def _addressee(name, address) -> list:
    return [_p(name, "Heading4"), _p(address), Spacer(1, 6 * mm)]


def _issuer(text: str) -> list:
    return [_p(text, "Heading4"), Spacer(1, 4 * mm)]


def _cancelled(reversal) -> list:
    """« ANNULÉ »: the receipt's entry was reversed (the receipt itself is never changed)."""
    style = ParagraphStyle("cancelled", parent=STYLES["Title"], textColor=colors.darkred)
    return [
        Paragraph(escape(_("CANCELLED")), style),
        _p(
            _("Cancelled on %(date)s. Reason: %(reason)s")
            % {"date": date_format(reversal.date, "j F Y"), "reason": reversal.reason}
        ),
        Spacer(1, 4 * mm),
    ]


def cash_receipt(receipt) -> bytes:
    """The receipt as issued; « ANNULÉ » with the date and reason of its entry's reversal."""
    reversal = receipt_reversal(receipt)
    town = TownSettings.current()
    issued = timezone.localtime(receipt.issued_at, clock.PARIS)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Cash payment receipt no. %(ref)s") % {"ref": receipt.reference}
        story = _letterhead(town)
        story += _issuer(receipt.issuer or issuer_identity(town))
        story += _addressee(receipt.payer_name, receipt.payer_address)
        story.append(_p(title, "Title"))
        if reversal is not None:
            story += _cancelled(reversal)
        story += [
            _p(
                _(
                    "We acknowledge receipt of %(amount)s in cash from %(payer)s on %(date)s at "
                    "%(time)s, credited to the prepaid account of the household « %(household)s »."
                )
                % {
                    "amount": eur(receipt.amount),
                    "payer": receipt.payer_name,
                    "date": date_format(issued, "j F Y"),
                    "time": issued.strftime("%H:%M"),
                    "household": receipt.household.name,
                }
            ),
        ]
        if receipt.balance_after is not None:
            story.append(
                _p(
                    _("Balance of the prepaid account after this payment: %(amount)s")
                    % {"amount": eur(receipt.balance_after)}
                )
            )
        cashier = cashier_of(receipt)
        if cashier:
            story.append(_p(_("Cashier: %(name)s") % {"name": cashier}))
        story += _signature(town, issued.date())  # the same copy whenever it is downloaded
        return _build(title, story, issued.date())


def cash_journal(journal) -> bytes:
    """« Bordereau de régie »: the day's receipts, the cancelled ones marked, total, cashiers."""
    town = TownSettings.current()
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Cash journal of %(date)s") % {"date": date_format(journal.day, "l j F Y")}
        story = _letterhead(town) + _issuer(issuer_identity(town))
        story += [_p(title, "Title")]
        rows = [[_("Receipt"), _("Time"), _("Payer"), _("Cashier"), _("Amount"), _("State")]]
        for row in journal.rows:
            r = row.receipt
            state = _("valid")
            if row.reversal:
                state = _("CANCELLED") + "\n" + date_format(row.reversal.date, "d/m/Y")
            rows.append(
                [
                    r.reference,
                    row.issued_at.strftime("%H:%M"),
                    "\n".join(simpleSplit(r.payer_name, FONT, 9, 44 * mm)),
                    "\n".join(simpleSplit(row.cashier, FONT, 9, 34 * mm)),
                    eur(r.amount),
                    state,
                ]
            )
        rows.append(["", "", _("Total received"), "", eur(journal.total), ""])
        widths = [28 * mm, 14 * mm, 48 * mm, 38 * mm, 24 * mm, 22 * mm]
        story.append(_table(rows, widths, money_columns=(4,)))
        story.append(Spacer(1, 4 * mm))
        story.append(
            _p(
                _("%(count)s receipt(s), %(cancelled)s cancelled (%(amount)s).")
                % {
                    "count": len(journal.rows),
                    "cancelled": sum(1 for row in journal.rows if row.reversal),
                    "amount": eur(journal.cancelled_total),
                }
            )
        )
        story.append(_p(_("Cashier(s): %(names)s") % {"names": ", ".join(journal.cashiers) or "—"}))
        story += _signature(town)
        return _build(title, story)


def _legal_identity(town) -> list:
    """Who certifies: the town's legal name and SIRET (its address is in the letterhead)."""
    lines = [town.legal_name]
    if town.siret:
        lines.append(_("SIRET: %(siret)s") % {"siret": town.siret})
    return [_p("\n".join(lines)), Spacer(1, 4 * mm)]


def tax_certificate(cert) -> bytes:
    """The certificate of amounts actually paid (CGI art. 200 quater B), as issued: same
    figures, number and date of issue every time it is downloaded."""
    town = TownSettings.current()
    issued_on = timezone.localtime(cert.issued_at, clock.PARIS).date()
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Tax certificate %(year)s") % {"year": cert.year}
        figures = {
            "payer": cert.payer_name,
            "child": cert.child_name,
            "birth": long_date(cert.child_birth_date),
            "year": cert.year,
            "amount": eur(cert.amount),
            "start": long_date(datetime.date(cert.year, 1, 1)),
            "end": long_date(datetime.date(cert.year, 12, 31)),
            "unpaid": eur(cert.unpaid),
        }
        story = _letterhead(town) + _legal_identity(town)
        story += _addressee(cert.payer_name, cert.payer_address)
        story += [
            _p(title, "Title"),
            _p(_("Certificate no. %(ref)s") % {"ref": cert.reference}),
            _p(_("Period: from %(start)s to %(end)s") % figures),
            _p(_("Child: %(child)s, born on %(birth)s") % figures),
            Spacer(1, 4 * mm),
            _p(
                _(
                    "The undersigned certifies that %(payer)s paid from %(start)s to %(end)s, "
                    "for the childcare of %(child)s, born on %(birth)s, the sum of %(amount)s "
                    "(meals excluded)."
                )
                % figures
            ),
            Spacer(1, 4 * mm),
        ]
        rows = [[_("Activity"), _("Amount")]]
        rows += [[name, eur(amount)] for name, amount in cert.lines]
        rows += [
            [
                _("%(activity)s of %(year)s, paid in %(paid)s")
                % {"activity": name, "year": year, "paid": cert.year},
                eur(amount),
            ]
            for year, name, amount in cert.earlier_lines
        ]
        rows.append([_("Total paid in %(year)s") % figures, eur(cert.amount)])
        story.append(_table(rows, [120 * mm, 40 * mm], money_columns=(1,)))
        story.append(Spacer(1, 4 * mm))
        if cert.earlier_lines:
            story.append(
                _p(
                    _(
                        "The lines « paid in %(year)s » are childcare of earlier years that was "
                        "not paid on 31 December of its year: it counts in the year it is paid."
                    )
                    % figures
                )
            )
        if cert.unpaid:
            story.append(
                _p(
                    _(
                        "%(unpaid)s of the childcare of %(year)s was not paid on 31 December "
                        "%(year)s: it is not included here and will be certified for the year "
                        "it is paid."
                    )
                    % figures
                )
            )
        if cert.replaces_id:
            story.append(
                _p(
                    _("This certificate replaces certificate no. %(ref)s (correction).")
                    % {"ref": cert.replaces.reference}
                )
            )
        replacement = cert.replacement
        if replacement:
            story.append(
                _p(
                    _("Replaced by certificate no. %(ref)s: this one is no longer valid.")
                    % {"ref": replacement.reference},
                    "Heading4",
                )
            )
        story.append(
            _p(
                _(
                    "Amounts actually paid for the childcare of a child under 6 on 1 January "
                    "of the year, for the tax credit of article 200 quater B of the Code "
                    "général des impôts."
                )
            )
        )
        signatory = [town.signatory_name, town.signatory_role]
        story += _signature(town, issued_on, signatory)
        return _build(title, story, issued_on)


def statement(household, payer, data, period_label: str) -> bytes:
    """The simplified statement: one document, a table and its totals."""
    town = TownSettings.current()
    name, address = payer
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Account statement — %(period)s") % {"period": period_label}
        story = _letterhead(town) + _addressee(name, address)
        story += [
            _p(title, "Title"),
            _p(_("Household: %(name)s") % {"name": household.name}),
            _p(_("Opening balance: %(amount)s") % {"amount": eur(data["opening"])}),
            Spacer(1, 4 * mm),
        ]
        rows = [[_("Date"), _("Label"), _("Debit"), _("Credit"), _("Balance")]]
        label_width = LABEL_WIDTH - 12  # the cell's left and right padding
        for row in data["rows"]:
            entry = row["entry"]
            rows.append(
                [
                    f"{entry.date.day:02d}/{entry.date.month:02d}/{entry.date.year}",
                    # A year has hundreds of rows: plain wrapped text, not a Paragraph each.
                    "\n".join(simpleSplit(entry.label, FONT, 9, label_width)),
                    eur(-entry.amount) if entry.amount < 0 else "",
                    eur(entry.amount) if entry.amount > 0 else "",
                    eur(row["balance"]),
                ]
            )
        rows.append(["", _("Total"), eur(data["debits"]), eur(data["credits"]), ""])
        widths = [22 * mm, LABEL_WIDTH, 24 * mm, 24 * mm, 28 * mm]
        story.append(_table(rows, widths, money_columns=(2, 3, 4)))
        story.append(Spacer(1, 4 * mm))
        story.append(_p(_("Closing balance: %(amount)s") % {"amount": eur(data["closing"])}))
        return _build(title, story)
