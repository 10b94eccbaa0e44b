"""Layout of the annual report: ReportContent in, PDF bytes out (fpdf2, DejaVu Sans embedded)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from wijkimpact.i18n import _, current_language
from wijkimpact.report import charts
from wijkimpact.report.content import KeyNumber, ReportContent

FONT = "DejaVu"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # ships with matplotlib
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}

GREEN = (27, 120, 55)  # figures.EARNED, the app's colour for earned income
DARK = (20, 70, 36)
INK = (43, 43, 43)
MUTED = (107, 107, 107)
TINT = (238, 245, 239)
RULE = (214, 224, 216)
AMBER = (253, 242, 222)
WHITE = (255, 255, 255)
MARGIN = 16
WIDTH = 210 - 2 * MARGIN


class _Document(FPDF):
    """A4 portrait with the source line and page number in every footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        for style, file in FONT_FILES.items():
            self.add_font(FONT, style, str(FONT_DIR / file))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=22)
        self.set_lang(current_language())

    def footer(self) -> None:
        self.set_y(-16)
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(MARGIN, self.get_y(), 210 - MARGIN, self.get_y())
        self.set_y(-14)
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        self.cell(WIDTH - 25, 4, self.footer_text)
        page = _("Pagina {pagina} van {totaal}", pagina=self.page_no(), totaal="{nb}")
        self.cell(25, 4, page, align="R")


def _heading(pdf: _Document, text: str, space_after: float = 2.5, keep: float = 40) -> None:
    """A section heading, moved to the next page when too little room is left under it."""
    if pdf.get_y() + keep > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12.5)
    pdf.set_text_color(*DARK)
    pdf.cell(WIDTH, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*GREEN)
    pdf.set_line_width(0.5)
    pdf.line(MARGIN + pdf.c_margin, pdf.get_y(), MARGIN + pdf.c_margin + 18, pdf.get_y())
    pdf.ln(space_after)


def _paragraph(pdf: _Document, text: str, size: float = 9.5, style: str = "", colour=INK) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(WIDTH, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _title_block(pdf: _Document, content: ReportContent) -> None:
    pdf.set_fill_color(*GREEN)
    pdf.rect(0, 0, 210, 50, style="F")
    pdf.set_xy(MARGIN, 12)
    pdf.set_font(FONT, "B", 8.5)
    pdf.set_text_color(214, 236, 218)
    pdf.cell(WIDTH, 5, _("JAARVERSLAG {jaar}  ·  MAATSCHAPPELIJKE IMPACT", jaar=content.year),
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_text_color(255, 255, 255)
    size = 22 if len(content.name) <= 38 else 17
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(WIDTH, size * 0.45, content.name, align="L",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(226, 242, 229)
    pdf.cell(WIDTH, 5, content.subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), 50) + 6)
    if content.description:
        _paragraph(pdf, content.description, size=10, style="I", colour=MUTED)
        pdf.ln(2)
    for note in content.notes:
        pdf.set_fill_color(*AMBER)
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(120, 72, 0)
        pdf.multi_cell(WIDTH, 5, note, fill=True, align="L", padding=(1.5, 3),
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)


def _boxes(pdf: _Document, numbers: list[KeyNumber], columns: int = 3) -> None:
    """Key numbers as tinted boxes in a grid: label, big value, short note."""
    gap, height = 4, 21
    width = (WIDTH - gap * (columns - 1)) / columns
    for start in range(0, len(numbers), columns):
        if pdf.get_y() + height > pdf.h - pdf.b_margin:
            pdf.add_page()
        top = pdf.get_y()
        for offset, item in enumerate(numbers[start : start + columns]):
            x = MARGIN + offset * (width + gap)
            pdf.set_fill_color(*TINT)
            pdf.rect(x, top, width, height, style="F")
            pdf.set_fill_color(*GREEN)
            pdf.rect(x, top, 1.2, height, style="F")
            pdf.set_xy(x + 4, top + 2.5)
            pdf.set_font(FONT, "", 7.5)
            pdf.set_text_color(*MUTED)
            pdf.cell(width - 6, 4, item.label.upper())
            pdf.set_xy(x + 4, top + 7)
            pdf.set_font(FONT, "B", 15 if pdf.get_string_width(item.value) < 200 else 12)
            pdf.set_text_color(*INK)
            pdf.cell(width - 6, 7, item.value)
            pdf.set_xy(x + 4, top + 15)
            pdf.set_font(FONT, "", 6.8)
            pdf.set_text_color(*MUTED)
            pdf.cell(width - 6, 3.5, _fit(pdf, item.note, width - 6))
        pdf.set_xy(MARGIN, top + height + gap)


def _fit(pdf: _Document, text: str, width: float) -> str:
    """Shorten a one-line text with an ellipsis so it never runs out of its box."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _explain_box(pdf: _Document, heading: str, text: str) -> None:
    text = text.replace("€ ", "€\u00a0")  # never break a line between € and its amount
    pdf.set_font(FONT, "", 8.8)
    lines = pdf.multi_cell(WIDTH - 10, 4.4, text, dry_run=True, output="LINES")
    height = 9 + 4.4 * len(lines) + 3
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.rect(MARGIN, top, WIDTH, height, style="D", round_corners=True, corner_radius=2)
    pdf.set_xy(MARGIN + 5, top + 3)
    pdf.set_font(FONT, "B", 9.5)
    pdf.set_text_color(*DARK)
    pdf.cell(WIDTH - 10, 5, heading)
    pdf.set_xy(MARGIN + 5, top + 9)
    pdf.set_font(FONT, "", 8.8)
    pdf.set_text_color(*INK)
    pdf.multi_cell(WIDTH - 10, 4.4, text, align="L")
    pdf.set_xy(MARGIN, top + height + 3)


def _image(pdf: _Document, png: bytes, x: float, y: float, width: float, ratio: float) -> None:
    pdf.image(io.BytesIO(png), x=x, y=y, w=width, h=width * ratio)


def _table(pdf: _Document, header: tuple, rows: list[tuple], widths: tuple, align: tuple,
           total: tuple | None = None) -> None:
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    style = FontFace(emphasis="B", color=(255, 255, 255), fill_color=GREEN)
    with pdf.table(
        col_widths=widths, text_align=align, headings_style=style, line_height=5.6,
        borders_layout="HORIZONTAL_LINES", padding=(0.8, 2), width=WIDTH,
    ) as table:
        table.row(header)
        for number, values in enumerate(rows):
            table.row(values, style=FontFace(fill_color=TINT if number % 2 else WHITE))
        if total:
            table.row(total, style=FontFace(emphasis="B", fill_color=WHITE))
    pdf.ln(2)


def _charts_page(pdf: _Document, content: ReportContent) -> None:
    _heading(pdf, _("Inkomsten per bron"), keep=90)
    _paragraph(pdf, _("Groen: zelf verdiend. Oranje: subsidies, fondsen en donaties."), size=8,
               colour=MUTED)
    pdf.ln(1)
    _image(pdf, charts.income_by_source(content.income, content.year), MARGIN, pdf.get_y(),
           WIDTH, 3.0 / 7.2)
    pdf.set_y(pdf.get_y() + WIDTH * 3.0 / 7.2 + 2)

    half = (WIDTH - 8) / 2
    if pdf.get_y() + 85 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y() + 3
    for x, title, caption in (
        (MARGIN, _("Verdienvermogen"), _("Deel van de omzet dat zelf verdiend is")),
        (MARGIN + half + 8, _("Geherinvesteerd in {jaar}", jaar=content.year), _("Per thema")),
    ):
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 11)
        pdf.set_text_color(*DARK)
        pdf.cell(half, 6, title)
        pdf.set_xy(x, top + 6)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(*MUTED)
        pdf.cell(half, 4, caption)
    _image(pdf, charts.earning_power(content.trend, content.year), MARGIN, top + 11, half,
           2.5 / 3.5)
    themes = charts.reinvested_by_theme(content.themes)
    if themes:
        _image(pdf, themes, MARGIN + half + 8, top + 11, half, 2.5 / 3.5)
    else:
        pdf.set_xy(MARGIN + half + 8, top + 20)
        _paragraph_at(pdf, half, _("In {jaar} is er niets geherinvesteerd.", jaar=content.year))
    pdf.set_y(top + 11 + half * 2.5 / 3.5 + 2)


def _paragraph_at(pdf: _Document, width: float, text: str) -> None:
    pdf.set_font(FONT, "I", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(width, 4.5, text, align="L")


def render_pdf(content: ReportContent) -> bytes:
    """The annual report as PDF bytes: key numbers, charts, tables and plain-Dutch explanations."""
    pdf = _Document(content.footer)
    pdf.set_title(_("Jaarverslag {jaar} - {naam}", jaar=content.year, naam=content.name))
    pdf.set_author(content.name)
    pdf.set_subject(_("Maatschappelijke impact: cijfers uit Wijkimpact"))
    pdf.set_creator("Wijkimpact")
    pdf.add_page()
    _title_block(pdf, content)

    _heading(pdf, _("In het kort"), keep=30)
    _paragraph(pdf, content.summary, size=10)
    _heading(pdf, _("Geld in {jaar}", jaar=content.year), keep=55)
    _boxes(pdf, content.money)
    _heading(pdf, _("Mensen en ruimte"), keep=55)
    _boxes(pdf, content.people + content.buildings)
    heading, text = content.explanations[0]
    _explain_box(pdf, heading, text)

    pdf.add_page()
    _charts_page(pdf, content)
    _heading(pdf, _("Geherinvesteerd in de wijk"), keep=30)
    if content.reinvested:
        _table(
            pdf, (_("Project"), _("Thema"), _("Wijk"), _("Bedrag")), content.reinvested,
            (70, 30, 48, 30), ("LEFT", "LEFT", "LEFT", "RIGHT"),
            (_("Totaal"), "", "", content.reinvested_total),
        )
    else:
        _paragraph(
            pdf, _("In {jaar} is er geen geld in projecten in de wijk gestoken.", jaar=content.year)
        )

    _heading(pdf, _("Activiteiten in {jaar}", jaar=content.year), keep=30)
    if content.activities:
        _table(pdf, (_("Thema"), _("Activiteiten"), _("Deelnemers"), _("Vrijwilligersuren")),
               content.activities, (70, 36, 36, 36), ("LEFT", "RIGHT", "RIGHT", "RIGHT"))
    else:
        _paragraph(pdf, _("Voor {jaar} zijn geen activiteiten geladen.", jaar=content.year))

    if content.properties:
        _heading(pdf, _("Vastgoed"), keep=30)
        _table(pdf, (_("Pand"), _("Wijk"), _("Oppervlakte"), _("Eigendom"), _("Bezetting")),
               content.properties, (62, 40, 28, 22, 26),
               ("LEFT", "LEFT", "RIGHT", "CENTER", "RIGHT"))

    heading, text = content.comparison
    _heading(pdf, heading, keep=40)
    _paragraph(pdf, text)

    _heading(pdf, _("Over deze cijfers"), keep=45)
    for heading, text in content.explanations[1:]:
        _explain_box(pdf, heading, text)
    return bytes(pdf.output())
