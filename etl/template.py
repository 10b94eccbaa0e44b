"""The Excel template enterprises fill in: instructions, one sheet per kind, dropdown lists;
made for one enterprise (its id filled in, its wijken first) or for anyone. The app offers it on
/gegevens, an administrator makes it with python -m etl template."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import duckdb
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from etl.messages import N_, Number
from etl.sheet_check import EXAMPLE_ID, INSTRUCTIONS_SHEET, LISTS_SHEET
from etl.sheet_spec import ColumnSpec, sheet_specs
from etl.xlsx_caps import MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_MB

THEMAS = [  # Dutch values (files and the database hold them); the form shows them translated
    N_("Groen"), N_("Jeugd"), N_("Ontmoeting"), N_("Armoede"), N_("Werk"), N_("Zorg"),
    N_("Veiligheid"), N_("Overig"),
]  # fmt: skip
JA_NEE = ["ja", "nee"]
MAANDEN = [str(m) for m in range(1, 13)]
LAST_ROW = 2000  # dropdowns and formats reach this far down (Excel row number)
FILE_NAME = "wijkimpact_invulsjabloon.xlsx"
PREFILLED_ROWS = 500  # rows below the examples whose onderneming is filled in for the owner

PURPOSE = {
    "ondernemingen": "Eén rij per onderneming: naam, wijk, werkgebied, adres en contact. Begin "
    "hiermee: de andere bladen verwijzen naar het id van de onderneming.",
    "financien": "Inkomsten en kosten in euro, per jaar (maand leeg) of per maand (1 tot en "
    "met 12). Kies per onderneming en jaar óf jaarcijfers óf maandcijfers.",
    "herinvesteringen": "Winst die terugging naar de wijk: per jaar, wijk en project het bedrag.",
    "activiteiten": "Eén rij per activiteit: datum, thema, wijk, deelnemers en vrijwilligers. "
    "Dezelfde activiteit mag op één dag twee keer voorkomen met een ander thema of in een andere "
    "wijk.",
    "vastgoed": "Het maatschappelijk vastgoed van de onderneming: m², eigendom en bezetting.",
    "grootboek": "Alleen bij een auditfile uit uw boekhoudpakket: welke categorie elke "
    "grootboekrekening is (de koppeling), of negeren.",
}
TYPE_HELP = {
    "id": "korte code zonder spaties, bijvoorbeeld buurthuisdelinde",
    "text": "tekst",
    "wijkcode": "CBS-wijkcode, kies uit de lijst (bijvoorbeeld WK020207)",
    "wijkcodes": "CBS-wijkcodes van de wijken waar de onderneming ook werkt, gescheiden door "
    "komma's (bijvoorbeeld WK020207, WK020208); leeg = alleen de eigen wijk; openbaar",
    "amount": "bedrag in euro: 1.234,50 of 1234,50 (ook € 1.234 en 1.234,-)",
    "year": "jaartal van 2000 tot en met dit jaar, bijvoorbeeld 2024",
    "founding_year": "jaar van oprichting, van 1800 tot en met dit jaar, bijvoorbeeld 1985",
    "month": "1 tot en met 12; leeg = het hele jaar",
    "count": "heel getal, 0 of meer",
    "hours": "aantal uren, 0 of meer (3,5 mag)",
    "area_m2": "vierkante meters",
    "percentage": "percentage van 0 tot en met 100",
    "latitude": "breedtegraad in graden (50,6 tot 53,7), bijvoorbeeld 51,987654 of 51.987654",
    "longitude": "lengtegraad in graden (3,2 tot 7,3), bijvoorbeeld 5,912345 of 5.912345",
    "date": "datum: 31-03-2024 (of 2024-03-31)",
    "bool": "ja of nee",
    "category": "een kolom van financien (verhuur, subsidie_gemeente, personeelskosten, ...) of "
    "negeren",
}
NUMBER_FORMATS = {
    "amount": "#,##0.00",
    "year": "0",
    "founding_year": "0",
    "month": "0",
    "count": "0",
    "hours": "0.0",
    "area_m2": "0",
    "percentage": "0",
    "latitude": "0.000000",
    "longitude": "0.000000",
    "date": "dd-mm-yyyy",
}
INSTRUCTIONS = [
    "Vul per blad één rij per regel in. Laat de kopregel (rij 1) staan zoals hij is.",
    f"Rijen van onderneming {EXAMPLE_ID} (geel) zijn voorbeelden: ze worden bij het laden "
    "overgeslagen. U mag ze laten staan of verwijderen.",
    "In de kolom onderneming staat het id van de onderneming (of haar naam, zoals Wijkimpact "
    "die kent). Een rij waarin verder niets is ingevuld, telt als lege rij.",
    "Vul alleen de bladen in die u nodig hebt: een blad met alleen voorbeeldrijen of zonder "
    "rijen wordt overgeslagen.",
    "Upload het ingevulde bestand op de pagina Gegevens. U ziet eerst een controle: wat "
    "Wijkimpact in elke cel leest naast wat erin staat, en alle problemen van alle bestanden. "
    "Pas na Laden wordt iets opgeslagen. Een bestand met een fout wordt helemaal niet geladen.",
    "Opnieuw laden is veilig: nieuwe cijfers van dezelfde periode vervangen de oude; dezelfde "
    "cijfers nog eens laden verandert niets.",
    "Boekhouding in een boekhoudpakket? Exporteer de auditfile (XAF) en upload die in plaats "
    "van het blad financien: Wijkimpact maakt er maandcijfers van. Zeg eenmalig in het blad "
    "grootboek welke categorie elke grootboekrekening is; de pagina Gegevens stelt die koppeling "
    "voor.",
    f"Grenzen: een blad heeft hoogstens {Number(MAX_ROWS)} rijen en "
    f"{MAX_COLUMNS} kolommen, en het hele bestand is uitgepakt hoogstens "
    f"{MAX_UNPACKED_MB} MB. Meer? Splits het per jaar of sla de bladen op als CSV "
    "(zonder deze grenzen). Verwijder lege rijen en kolommen met opmaak onder en naast de "
    "gegevens: ook die tellen mee.",
]
NOTATION = [
    "Datum: 31-03-2024 (ook 2024-03-31). Bedrag: 1.234,50 (ook 1234,50, € 1.234 of 1.234,-).",
    "Maand: leeg = het hele jaar, anders 1 tot en met 12. Ja/nee-kolommen: ja of nee.",
    "Jaar: 2000 tot en met dit jaar; opgericht mag ook eerder (vanaf 1800). Lat en lon: "
    "graden met alle decimalen, met komma of punt (51,987654 of 51.987654).",
    "Thema: kies uit Groen, Jeugd, Ontmoeting, Armoede, Werk, Zorg, Veiligheid of Overig.",
    "Wijkcode: een CBS-wijkcode uit de keuzelijst (de wijken staan onderaan dit blad).",
    "Werkgebied (blad ondernemingen): de wijken waar de onderneming behalve in haar eigen wijk "
    "werkt, als CBS-wijkcodes gescheiden door komma's, puntkomma's of spaties. Het werkgebied is "
    "openbaar: het wijkprofiel op de kaart noemt de onderneming in die wijken. De wijken van uw "
    "activiteiten en herinvesteringen noemt het alleen aan wie uw gegevens mag zien.",
    "Activiteiten: een activiteit is één rij per onderneming, datum, activiteit, thema en "
    "wijkcode. Een Buurtmaaltijd op één dag voor Jeugd en voor Zorg zijn twee rijen; dezelfde "
    "rij twee keer in één bestand wordt geweigerd.",
    "Verdiend inkomen: verhuur, horeca, diensten, verkoop, deelnemersbijdragen en "
    "overige_inkomsten. Subsidie en giften: subsidie_gemeente, bijdrage_woningcorporatie, "
    "fondsen en donaties.",
]


@dataclass(frozen=True)
class Owner:
    """The enterprise a template is made for: its id and name, and its wijken (home wijk
    first, then its werkgebied), which lead the wijkcode dropdowns."""

    enterprise_id: str
    name: str
    wijken: tuple[str, ...] = ()


WIDTHS = {"naam": 32, "omschrijving": 50, "zoekt_vrijwilligers": 40, "activiteit": 30}
WIDTHS |= {"project": 30, "adres": 26, "website": 30, "contact": 28}


def example_rows(wijk: str | None, werkgebied: str | None = None) -> dict[str, list[dict]]:
    """One or two example rows per sheet, of the enterprise 'voorbeeld' (skipped on loading);
    ``werkgebied``: the wijkcodes of the example's werkgebied."""
    wijk = wijk or ""
    return {
        "ondernemingen": [
            {
                "id": EXAMPLE_ID,
                "naam": "Voorbeeld: Stichting Buurthuis De Linde",
                "rechtsvorm": "stichting",
                "kvk": "12345678",
                "opgericht": 2012,
                "wijkcode": wijk,
                "werkgebied": werkgebied or "",
                "adres": "Lindelaan 1",
                "postcode": "1234 AB",
                "plaats": "Voorbeeldstad",
                "website": "https://www.example.nl",
                "omschrijving": "Buurthuis met zaalverhuur en een buurtcafé",
                "zoekt_vrijwilligers": "Gastvrouwen en -heren voor het café",
                "contact": "info@example.nl",
                "publiek": "nee",
            }
        ],
        "financien": [
            {
                "onderneming": EXAMPLE_ID,
                "jaar": 2023,
                "maand": None,
                "verhuur": 48250.5,
                "horeca": 21000,
                "subsidie_gemeente": 15000,
                "personeelskosten": 52000,
                "huisvestingskosten": 18500,
            },
            {
                "onderneming": EXAMPLE_ID,
                "jaar": 2024,
                "maand": 1,
                "verhuur": 4100,
                "horeca": 1800.75,
                "subsidie_gemeente": 1250,
                "personeelskosten": 4400,
                "huisvestingskosten": 1550,
            },
        ],
        "herinvesteringen": [
            {
                "onderneming": EXAMPLE_ID,
                "jaar": 2024,
                "wijkcode": wijk,
                "project": "Speeltuin opknappen",
                "thema": "Jeugd",
                "bedrag": 2500,
            },
        ],
        "activiteiten": [
            {
                "onderneming": EXAMPLE_ID,
                "datum": dt.date(2024, 3, 31),
                "activiteit": "Repair café",
                "thema": "Ontmoeting",
                "wijkcode": wijk,
                "deelnemers": 25,
                "vrijwilligers": 4,
                "vrijwilligersuren": 12,
            },
        ],
        "vastgoed": [
            {
                "onderneming": EXAMPLE_ID,
                "naam": "Buurthuis De Linde",
                "wijkcode": wijk,
                "m2": 450,
                "eigendom": "ja",
                "bezetting_pct": 75,
            },
        ],
        "grootboek": [
            {
                "onderneming": EXAMPLE_ID,
                "rekening": "8000",
                "omschrijving": "Opbrengst zaalverhuur",
                "categorie": "verhuur",
            },
        ],
    }


def build_template(wijken: pd.DataFrame, owner: Owner | None = None) -> bytes:
    """The .xlsx template; ``wijken`` (area_code, name) feed the wijkcode dropdowns. For an
    ``owner``: its id filled in on the rows to come of every sheet but ondernemingen, and its
    wijken first in the dropdowns."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    styles = _styles(book)
    wijken = _owner_first(wijken, owner)
    codes = [str(c) for c in wijken["area_code"]] if len(wijken) else []
    _instructions(book.add_worksheet(INSTRUCTIONS_SHEET), styles, wijken, owner)
    examples = example_rows(codes[0] if codes else None, ", ".join(codes[1:3]) or None)
    for kind, spec in sheet_specs().items():
        sheet = book.add_worksheet(kind)
        for position, column in enumerate(spec.columns):
            _column(sheet, position, column, styles, wijken=len(codes))
        for offset, row in enumerate(examples[kind], start=1):
            for position, column in enumerate(spec.columns):
                _example_cell(sheet, offset, position, column, row.get(column.name), styles)
        if owner is not None and spec.key[0] == "onderneming":
            _prefill(sheet, spec.columns, len(examples[kind]) + 1, owner, styles)
        sheet.write_comment(
            1,
            0,
            f"Voorbeeldrij: rijen met {EXAMPLE_ID} worden bij het laden overgeslagen. "
            "U mag ze laten staan of verwijderen.",
            {"x_scale": 2},
        )
        sheet.freeze_panes(1, 1)
    _lists(book, codes, wijken)
    book.close()
    return buffer.getvalue()


def _owner_first(wijken: pd.DataFrame, owner: Owner | None) -> pd.DataFrame:
    """The wijken with the owner's own (home wijk, werkgebied) first."""
    if owner is None or not len(wijken):
        return wijken
    rank = {code: n for n, code in enumerate(owner.wijken)}
    order = [rank.get(str(code), len(rank)) for code in wijken["area_code"]]
    return wijken.assign(_rank=order).sort_values("_rank", kind="stable").drop(columns="_rank")


def _prefill(sheet: Worksheet, columns, first: int, owner: Owner, styles: dict) -> None:
    """The owner's id in the onderneming column of the rows below the examples; a row with
    nothing else filled in is blank to the check (etl.sheet_check)."""
    position = next(n for n, column in enumerate(columns) if column.name == "onderneming")
    for row in range(first, first + PREFILLED_ROWS):
        sheet.write_string(row, position, owner.enterprise_id, styles["formats"]["text"])
    sheet.data_validation(
        first,
        position,
        LAST_ROW - 1,
        position,
        {
            "validate": "any",
            "input_title": "Uw onderneming",
            "input_message": f"{owner.name[:150]}: id {owner.enterprise_id}"[:255],
        },
    )


def owner_of(con: duckdb.DuckDBPyConnection, enterprise_id: str) -> Owner | None:
    """The enterprise ``enterprise_id`` as the owner of a template: name, home wijk and
    werkgebied; None when the database does not know it."""
    found = con.execute(
        "select name, area_code from enterprise where enterprise_id = ?", [enterprise_id]
    ).fetchall()
    if not found:
        return None
    name, home = found[0]
    others = con.execute(
        "select area_code from enterprise_area where enterprise_id = ? and area_code <> ? "
        "order by area_code",
        [enterprise_id, home or ""],
    ).fetchall()
    wijken = ((home,) if home else ()) + tuple(code for (code,) in others)
    return Owner(enterprise_id, name or enterprise_id, wijken)


def _styles(book: xlsxwriter.Workbook) -> dict:
    formats = {kind: book.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()}
    formats["text"] = book.add_format({"num_format": "@"})
    example = {"italic": True, "font_color": "#6B6B6B", "bg_color": "#FFF4CE"}
    return {
        "formats": formats,
        "header": book.add_format({"bold": True, "bg_color": "#E8F1E8", "border": 1}),
        "required": book.add_format({"bold": True, "bg_color": "#B7D7B7", "border": 1}),
        "example": {
            kind: book.add_format({**example, "num_format": fmt})
            for kind, fmt in {**NUMBER_FORMATS, "text": "@"}.items()
        },
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _column(sheet: Worksheet, position: int, column: ColumnSpec, styles: dict, wijken: int):
    kind = column.type
    cell_format = styles["formats"].get(kind, styles["formats"]["text"])
    if kind == "bool":
        cell_format = styles["formats"]["text"]
    width = WIDTHS.get(column.name, max(len(column.name) + 3, 12))
    sheet.set_column(position, position, width, cell_format)
    header = styles["required"] if column.required else styles["header"]
    sheet.write_string(0, position, column.name, header)
    validation = _validation(column, wijken)
    if validation:
        sheet.data_validation(1, position, LAST_ROW - 1, position, validation)


def _validation(column: ColumnSpec, wijken: int) -> dict | None:
    """The dropdown of a column; lists longer than a few words live on the hidden sheet."""
    if column.type == "wijkcode" and wijken:
        return {
            "validate": "list",
            "source": f"={LISTS_SHEET}!$A$2:$A${wijken + 1}",
            "error_title": "Onbekende wijkcode",
            "error_message": "Kies een wijkcode uit de lijst (de wijken in Wijkimpact).",
        }
    if column.type == "bool":
        return {"validate": "list", "source": JA_NEE, "error_message": "Vul ja of nee in."}
    if column.type == "month":
        return {
            "validate": "list",
            "source": MAANDEN,
            "error_message": "Maand 1 tot en met 12, of leeg voor het hele jaar.",
        }
    if column.name == "thema":
        source = f"={LISTS_SHEET}!$C$2:$C${len(THEMAS) + 1}"
        return {"validate": "list", "source": source, "error_message": "Kies een thema."}
    return None


def _example_cell(sheet, row, position, column, value, styles):
    kind = column.type if column.type in NUMBER_FORMATS else "text"
    style = styles["example"][kind]
    if value is None or value == "":
        sheet.write_blank(row, position, None, style)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, position, dt.datetime.combine(value, dt.time()), style)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, position, value, style)
    else:
        sheet.write_string(row, position, str(value), style)


def _lists(book: xlsxwriter.Workbook, codes: list[str], wijken: pd.DataFrame) -> None:
    """The hidden sheet the dropdowns read: wijkcodes (from the database) and themas."""
    sheet = book.add_worksheet(LISTS_SHEET)
    sheet.write_row(0, 0, ["Wijkcodes voor de keuzelijsten", "Wijknamen", "Themalijst"])
    for row, (code, name) in enumerate(zip(codes, _names(wijken), strict=True), start=1):
        sheet.write_string(row, 0, code)
        sheet.write_string(row, 1, name)
    sheet.write_column(1, 2, THEMAS)
    sheet.hide()


def _names(wijken: pd.DataFrame) -> list[str]:
    if not len(wijken):
        return []
    return [str(n) if isinstance(n, str) else "" for n in wijken["name"]]


def _instructions(sheet: Worksheet, styles: dict, wijken: pd.DataFrame, owner: Owner | None):
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, 3, 70, styles["wrap"])
    sheet.write_string(0, 0, "Invulsjabloon Wijkimpact", styles["title"])
    mine = []
    if owner is not None:
        mine = [
            f"Dit sjabloon is voor {owner.name} (id {owner.enterprise_id}). In de bladen "
            "financien, herinvesteringen, activiteiten en vastgoed staat dat id al in de kolom "
            "onderneming; uw wijken staan bovenaan de keuzelijsten.",
        ]
    lines = mine + INSTRUCTIONS + ["", "Notatie", *NOTATION, ""]
    for row, text in enumerate(lines, start=1):
        sheet.write_string(row, 0, text, styles["bold"] if text == "Notatie" else None)
    row = len(lines) + 1
    sheet.write_row(row, 0, ["Blad", "Waarvoor"], styles["bold"])
    for kind, purpose in PURPOSE.items():
        row += 1
        sheet.write_string(row, 0, kind)
        sheet.write_string(row, 1, purpose)
    row += 2
    sheet.write_row(row, 0, ["Blad", "Kolom", "Verplicht", "Wat vult u in"], styles["bold"])
    for kind, spec in sheet_specs().items():
        for column in spec.columns:
            row += 1
            required = "verplicht" if column.required else ""
            help_text = TYPE_HELP.get(column.type, TYPE_HELP["text"])
            sheet.write_row(row, 0, [kind, column.name, required, help_text])
    row += 2
    sheet.write_row(row, 0, ["Wijkcode", "Wijk"], styles["bold"])
    if not len(wijken):
        sheet.write_string(row + 1, 0, "Er zijn nog geen wijken geladen in Wijkimpact.")
    for code, name in zip(wijken.get("area_code", []), _names(wijken), strict=True):
        row += 1
        sheet.write_row(row, 0, [str(code), name])
    sheet.activate()
