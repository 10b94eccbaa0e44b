"""The enterprise sheets and their columns, read from enterprise_sheets.csv (data, not code)."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SPEC_FILE = Path(__file__).parent / "enterprise_sheets.csv"
KEYS_FILE = Path(__file__).parent / "enterprise_keys.csv"


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a sheet: its Dutch name, database column, cell type and aliases."""

    sheet: str
    name: str
    db_column: str
    type: str
    required: bool
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class SheetSpec:
    """One kind of sheet: its columns, its key and the order in which it loads."""

    name: str
    order: int
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    key_label: str

    def optional_key(self) -> tuple[str, ...]:
        """The key columns a sheet may leave out or leave empty (maand; thema and wijkcode of
        an activity): an empty cell, or no such column, is a key value of its own."""
        required = {c.name for c in self.columns if c.required}
        return tuple(k for k in self.key if k not in required)

    def has_key(self, columns) -> bool:
        """Whether ``columns`` hold every key column that is not optional: else a missing
        column is reported, not duplicate keys."""
        return all(k in columns for k in self.key if k not in self.optional_key())

    def lookup(self) -> dict[str, ColumnSpec]:
        """Map every normalised name and alias to its column."""
        table = {}
        for column in self.columns:
            for word in (column.name, *column.aliases):
                table[normalise_name(word)] = column
        return table


def normalise_name(text: object) -> str:
    """Compare names regardless of case, spaces, underscores and accents (Financiën = financien)."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


@cache
def sheet_specs() -> dict[str, SheetSpec]:
    """Every sheet kind by name, in load order (ondernemingen first)."""
    with open(SPEC_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(KEYS_FILE, encoding="utf-8", newline="") as fh:
        keys = {row["sheet"]: row for row in csv.DictReader(fh)}
    specs = {}
    for sheet, key in sorted(keys.items(), key=lambda item: int(item[1]["order"])):
        columns = tuple(
            ColumnSpec(
                sheet=row["sheet"],
                name=row["column"],
                db_column=row["db_column"],
                type=row["type"],
                required=row["required"] == "ja",
                aliases=tuple(a for a in row["aliases"].split("|") if a),
            )
            for row in rows
            if row["sheet"] == sheet
        )
        specs[sheet] = SheetSpec(
            name=sheet,
            order=int(key["order"]),
            columns=columns,
            key=tuple(key["key_columns"].split("|")),
            key_label=key["label_nl"],
        )
    return specs


def amount_columns(sheet: str) -> list[str]:
    """The euro columns of a sheet (the finance categories for financien)."""
    return [c.name for c in sheet_specs()[sheet].columns if c.type == "amount"]
