"""PDFs a person would sign or file: US Letter, one typeface, the sponsor's name and the page
number on every page, and the verification code in the footer of a verifiable document.

Built with ReportLab (BSD, maintained since 2000, wheels for every platform, no system
libraries): its Platypus layer flows paragraphs and tables across pages, so a long wage schedule
or transcript breaks where it must and never runs off the page. Every document of the portal is
one call to `render`, with a list of flowables made with the helpers below.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import Indenter

MARGIN = 0.9 * inch
BODY_FONT = "Helvetica"
BOLD_FONT = "Helvetica-Bold"
HEADER_SIZE = 9.5
FOOTER_SIZE = 8.5
GAP = 0.3 * inch  # between the two ends of the header or the footer


def _styles() -> StyleSheet1:
    sheet = getSampleStyleSheet()
    sheet.add(ParagraphStyle("Body", parent=sheet["BodyText"], fontName=BODY_FONT, fontSize=10.5, leading=14))
    sheet.add(ParagraphStyle("Small", parent=sheet["BodyText"], fontName=BODY_FONT, fontSize=8.5, leading=11))
    sheet.add(ParagraphStyle("Cell", parent=sheet["BodyText"], fontName=BODY_FONT, fontSize=9.5, leading=12))
    sheet.add(ParagraphStyle("CellBold", parent=sheet["Cell"], fontName=BOLD_FONT))
    sheet.add(
        ParagraphStyle(
            "DocTitle", parent=sheet["Title"], fontName=BOLD_FONT, fontSize=17, leading=21, alignment=TA_LEFT
        )
    )
    sheet.add(ParagraphStyle("Section", parent=sheet["Heading2"], fontName=BOLD_FONT, fontSize=12.5, spaceBefore=10))
    return sheet


STYLES = _styles()


@dataclass(frozen=True)
class Letterhead:
    """What every page shows: the sponsor's name in the header; the document's title, its page
    number and, for a verifiable document, how to verify it, in the footer."""

    sponsor: str
    title: str
    verification: str = ""  # e.g. "Verify at https://portal.example.org/verify/K7QH-9MXR-2TBD"

    def header_title(self) -> str:
        """The title as the header prints it: cut short (with "…") where it would run into the
        sponsor's name on the left."""
        room = LETTER[0] - 2 * MARGIN - stringWidth(self.sponsor, BOLD_FONT, HEADER_SIZE) - GAP
        return fitted(self.title, BODY_FONT, HEADER_SIZE - 0.5, room)

    def footer_note(self, page: int) -> tuple[str, str]:
        """The footer's two ends: the verification note (cut short where it would run into the
        right end) and the sponsor's name with the page number."""
        right = f"{self.sponsor} · {page}"
        room = LETTER[0] - 2 * MARGIN - stringWidth(right, BODY_FONT, FOOTER_SIZE) - GAP
        return fitted(self.verification, BODY_FONT, FOOTER_SIZE, room), right

    def draw(self, canvas: Canvas, document: SimpleDocTemplate) -> None:
        width, height = LETTER
        canvas.saveState()
        canvas.setFont(BOLD_FONT, HEADER_SIZE)
        canvas.drawString(MARGIN, height - 0.55 * inch, self.sponsor)
        canvas.setFont(BODY_FONT, HEADER_SIZE - 0.5)
        canvas.drawRightString(width - MARGIN, height - 0.55 * inch, self.header_title())
        canvas.setStrokeColor(colors.grey)
        canvas.line(MARGIN, height - 0.62 * inch, width - MARGIN, height - 0.62 * inch)
        canvas.setFont(BODY_FONT, FOOTER_SIZE)
        left, right = self.footer_note(canvas.getPageNumber())
        canvas.drawString(MARGIN, 0.5 * inch, left)
        canvas.drawRightString(width - MARGIN, 0.5 * inch, right)
        canvas.restoreState()


def fitted(value: str, font: str, size: float, room: float) -> str:
    """`value`, or as much of it as fits in `room` points followed by "…"."""
    if stringWidth(value, font, size) <= room:
        return value
    while value and stringWidth(value + "…", font, size) > room:
        value = value[:-1]
    return value.rstrip() + "…" if value else ""


def render(letterhead: Letterhead, story: Sequence[Flowable], *, author: str = "") -> bytes:
    """The PDF of `story` on US Letter pages under `letterhead`."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=letterhead.title,
        author=author or letterhead.sponsor,
        # The same bytes for the same record: no creation time or random id in the file, so the
        # SHA-256 a signer signed can be recomputed from the record.
        invariant=True,
    )
    document.build(list(story), onFirstPage=letterhead.draw, onLaterPages=letterhead.draw)
    return buffer.getvalue()


def text(value: object, style: str = "Body") -> Paragraph:
    """A paragraph of plain text (escaped: a name with "<" or "&" prints as typed)."""
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), STYLES[style])


def title(value: str) -> Paragraph:
    return text(value, "DocTitle")


def section(value: str) -> Paragraph:
    return text(value, "Section")


def space(points: float = 8) -> Spacer:
    return Spacer(1, points)


def table(rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None, *, header: bool = True) -> Table:
    """A ruled table of plain-text cells; the first row bold as a header when `header`. It
    splits across pages with its header repeated."""
    cells = [
        [text(cell, "CellBold" if header and index == 0 else "Cell") for cell in row] for index, row in enumerate(rows)
    ]
    usable = LETTER[0] - 2 * MARGIN
    columns = max((len(row) for row in rows), default=1)
    shares = widths if widths is not None else [1 / columns] * columns
    result = Table(cells, colWidths=[usable * share for share in shares], repeatRows=1 if header else 0)
    commands: list = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf0")))
    result.setStyle(TableStyle(commands))
    return result


def fields(pairs: Sequence[tuple[str, object]]) -> Table:
    """A two-column table of labels and values (a form's filled-in fields)."""
    return table([(label, "" if value is None else value) for label, value in pairs], widths=[0.36, 0.64], header=False)


def together(*flowables: Flowable) -> KeepTogether:
    """Flowables kept on one page (a signature block never splits from its heading)."""
    return KeepTogether(list(flowables))


def indented(flowables: Sequence[Flowable], left: float = 0.25 * inch) -> list[Flowable]:
    return [Indenter(left=left), *flowables, Indenter(left=-left)]
