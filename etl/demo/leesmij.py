"""The Dutch LEESMIJ.md that ships with the demo data and says that all of it is fictional."""

from __future__ import annotations

DESCRIPTIONS = {
    "gebieden/demostad_wijken.geojson": "de 12 fictieve wijken WK999901 t/m WK999912 als "
    "polygonen (WGS84), met naam en landoppervlakte",
    "gebieden/demostad_gemeente.geojson": "de buitengrens van de fictieve gemeente Demostad "
    "(GM9999), samengevoegd uit de wijken",
    "cbs/kerncijfers_wijken_buurten_{jaar}.csv": "kerncijfers per wijk en voor de gemeente in de "
    "vorm van een StatLine-download van het CBS (“Kerncijfers wijken en buurten”); de "
    "kolomnummers verschillen per jaar, zoals bij het CBS, en in 2019 ontbreekt het gemiddeld "
    "inkomen van één kleine wijk",
    "leefbaarometer/leefbaarometer_wijken.csv": "scores per wijk in de vorm van de Leefbaarometer "
    "3.0 (edities 2018, 2020, 2022 en 2024)",
    "ondernemingen/demostad_invoer.xlsx": "invoerwerkboek met de tabbladen Ondernemingen "
    "(drie met een werkgebied: wijken buiten de eigen wijk waar ze werken), Financiën (de vier "
    "ondernemingen die per jaar rapporteren), Herinvesteringen en Vastgoed",
    "ondernemingen/financien_maandelijks.csv": "maandcijfers van de vier ondernemingen die per "
    "maand rapporteren, opgeslagen zoals Excel dat doet (“CSV (puntkomma-gescheiden)”, "
    "Windows-1252, decimale komma)",
    "ondernemingen/activiteiten.csv": "activiteiten met deelnemers en vrijwilligers (UTF-8 met "
    "BOM, puntkomma, datums als dd-mm-jjjj)",
}


def _describe(relative: str) -> str:
    """Return the description of a generated file, matching yearly files by their pattern."""
    if relative in DESCRIPTIONS:
        return DESCRIPTIONS[relative]
    for pattern, text in DESCRIPTIONS.items():
        prefix, _, suffix = pattern.partition("{jaar}")
        if suffix and relative.startswith(prefix) and relative.endswith(suffix):
            return text
    raise KeyError(f"no description for {relative}")


def leesmij_text(files: list[str], seed: int) -> str:
    """Return the LEESMIJ.md text listing the generated files (relative paths, in order)."""
    lines = [
        "# Demodata Demostad",
        "",
        "**Let op: alle gegevens in deze map zijn FICTIEF.**",
        "",
        "Demostad (gemeentecode GM9999) is een fictieve gemeente. De wijken, de kerncijfers, de "
        "Leefbaarometer-scores en de acht wijkondernemingen zijn verzonnen: het zijn fictieve "
        "ondernemingen met fictieve cijfers. Elke overeenkomst met een bestaande gemeente, wijk, "
        "organisatie of persoon berust op toeval. KvK-nummers, adressen en postcodes bestaan "
        "niet; websites en e-mailadressen gebruiken het voorbeelddomein example.nl.",
        "",
        "Gebruik deze gegevens alleen om Wijkimpact uit te proberen, te demonstreren en te "
        "testen, nooit als informatie over echte wijken of ondernemingen.",
        "",
        "## Hoe gemaakt",
        "",
        "Alle bestanden zijn gegenereerd met:",
        "",
        "```",
        "python -m etl demo",
        "```",
        "",
        f"De generator staat in `etl/demo/` en gebruikt seed {seed}. Met dezelfde seed "
        "ontstaan telkens byte-voor-byte dezelfde bestanden. Pas de bestanden daarom niet met "
        "de hand aan, maar verander de generator en genereer ze opnieuw.",
        "",
        "## Bestanden",
        "",
    ]
    described = []
    for relative in files:
        text = _describe(relative)
        if described and described[-1][1] == text:
            described[-1][0].append(relative)
        else:
            described.append(([relative], text))
    for group, text in described:
        if len(group) == 1:
            lines.append(f"- `{group[0]}`: {text}.")
            continue
        lines.append(f"- {len(group)} bestanden, één per jaar: {text}.")
        lines.extend(f"  - `{relative}`" for relative in group)
    lines.append("- `LEESMIJ.md`: dit bestand.")
    return "\n".join(lines) + "\n"
