"""PDF/A-2u with ReportLab's open-source edition, which has no PDF/A switch: the two objects it
lacks are added to the catalog before the file is written, so nothing is parsed back.

- `/Metadata`: the XMP packet, uncompressed (PDF/A forbids a filter there), with the PDF/A
  identification (part 2, conformance U) and the same title, author, subject, keywords, tool,
  producer and dates as the Info dictionary (a validator compares them);
- `/OutputIntents`: the sRGB profile shipped in `icc/` (GTS_PDFA1), which makes the DeviceRGB
  and DeviceGray colours of the page content device-independent.

Every stream gets an end-of-line before `endstream`, which ReportLab omits (its stream writer
is wrapped once for the process; billing is the only user of ReportLab). The rest of
PDF/A-2u is ReportLab's own output with the fonts of `pdf.py`: embedded subset
TrueType fonts with a ToUnicode map, no encryption, a file identifier, no transparency group.
The profile is read and compressed once per process.
"""

import datetime
import functools
import zlib
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from reportlab.pdfbase import pdfdoc

ICC_PROFILE = Path(__file__).with_name("icc") / "sRGB.icc"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
PART, CONFORMANCE = 2, "U"


def _eol_before_endstream(format_stream):
    """PDF/A (ISO 19005-2, 6.1.7.1) wants an end-of-line before `endstream`; ReportLab writes
    the stream's last byte right against it. /Length still counts the data alone."""

    @functools.wraps(format_stream)
    def format_with_eol(self, document):
        formatted = format_stream(self, document)
        if not formatted.endswith(b"endstream\n"):  # another ReportLab: the tests will tell
            return formatted
        return formatted[: -len(b"endstream\n")] + b"\nendstream\n"

    format_with_eol.eol = True
    return format_with_eol


if not getattr(pdfdoc.PDFStream.format, "eol", False):
    pdfdoc.PDFStream.format = _eol_before_endstream(pdfdoc.PDFStream.format)


@functools.cache
def _profile() -> bytes:
    return zlib.compress(ICC_PROFILE.read_bytes())


def _date(stamp) -> str:
    """The Info dictionary's date (ReportLab's TimeStamp) in XMP's form: the same instant."""
    sign = "-" if stamp.dhh < 0 else "+"
    local = datetime.datetime(*stamp.YMDhms).isoformat()
    return f"{local}{sign}{abs(stamp.dhh):02d}:{stamp.dmm:02d}"


def _alt(text: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'


def _xmp(lang: str, document) -> bytes:
    info, date = document.info, _date(document._timeStamp)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>{PART}</pdfaid:part>
<pdfaid:conformance>{CONFORMANCE}</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title>{_alt(info.title)}</dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description>{_alt(info.subject)}</dc:description>
<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 pdf:Producer={quoteattr(info.producer)} pdf:Keywords={quoteattr(info.keywords)}/>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def make_archival(canvas, lang: str) -> None:
    """Give the canvas' document its XMP metadata and output intent (call before `save`)."""
    document = canvas._doc
    catalog = document.Catalog
    # Not compressed (PDF/A): ReportLab's documents have no default stream filter.
    catalog.Metadata = pdfdoc.XMP(creator=functools.partial(_xmp, lang))
    profile = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary({"N": 3, "Filter": pdfdoc.PDFName("FlateDecode")}), _profile()
    )
    intent = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("OutputIntent"),
            "S": pdfdoc.PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": pdfdoc.PDFString(OUTPUT_CONDITION),
            "Info": pdfdoc.PDFString(OUTPUT_CONDITION),
            "DestOutputProfile": document.Reference(profile),
        }
    )
    # The catalog writes only the keys it knows; OutputIntents is not one of them.
    catalog.__NoDefault__ = [*pdfdoc.PDFCatalog.__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = pdfdoc.PDFArray([intent])
