"""Finding a wijk: a postcode as CBS writes it (6811AB), and the search hits as labels."""

from __future__ import annotations

import re

import pandas as pd

from wijkimpact.escaping import for_markdown
from wijkimpact.i18n import _

POSTCODE = re.compile(r"\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*")
MIN_LETTERS = 2


def postcode(text: str) -> str | None:
    """'6811 ab', '6811AB' -> '6811AB' (PC6); None for anything else."""
    match = POSTCODE.fullmatch(text or "")
    return (match.group(1) + match.group(2).upper()) if match else None


def written(pc6: str) -> str:
    """'6811AB' -> '6811 AB', as on an envelope."""
    return f"{pc6[:4]} {pc6[4:]}"


def hit_labels(hits: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(area_code, wijk_code, label) of queries.find_areas rows, labels escaped for Markdown:
    'Vogelbuurt · wijk in Demostad', 'Spijkerkwartier · buurt in Centrum, Arnhem'."""
    out = []
    for row in hits.itertuples():
        name = row.name if isinstance(row.name, str) else row.area_code
        if row.level == "wijk":
            where = _("wijk in {gemeente}", gemeente=row.gemeente_naam)
        else:
            wijk = row.wijk_naam if isinstance(row.wijk_naam, str) else row.wijk_code
            where = _("buurt in {wijk}, {gemeente}", wijk=wijk, gemeente=row.gemeente_naam)
        out.append((row.area_code, row.wijk_code, for_markdown(f"{name} · {where}")))
    return out
