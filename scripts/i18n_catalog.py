"""Update the English catalogue: every _("...") and N_("...") in pages/, wijkimpact/ and etl/.

Run: .venv/bin/python scripts/i18n_catalog.py   (keeps existing translations; new texts get an
empty translation for a translator to fill in; texts no longer used are dropped).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "wijkimpact" / "locale" / "en" / "LC_MESSAGES" / "wijkimpact.po"
KEYWORDS = {"_": None, "N_": None}
SOURCES = ("pages", "wijkimpact", "etl", "app.py")


def extracted() -> dict[str, list[tuple[str, int]]]:
    """msgid -> places it is used."""
    found: dict[str, list[tuple[str, int]]] = {}
    for source in SOURCES:
        path = ROOT / source
        if path.is_file():
            with open(path, "rb") as fh:
                from babel.messages.extract import extract

                for line, message, _comments, _context in extract(
                    "python", fh, keywords=KEYWORDS
                ):
                    found.setdefault(message, []).append((source, line))
            continue
        for filename, line, message, _comments, _context in extract_from_dir(
            path, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.setdefault(message, []).append((f"{source}/{filename}", line))
    return found


def main() -> None:
    """Merge the extracted texts into the catalogue."""
    old = {}
    if PO.exists():
        with open(PO, "rb") as fh:
            old = {m.id: m.string for m in read_po(fh) if m.id}
    catalog = Catalog(locale="en", project="wijkimpact", charset="utf-8")
    for message, places in sorted(extracted().items()):
        catalog.add(message, old.get(message, ""), locations=places)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with open(PO, "wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{len(catalog)} teksten, {len(missing)} zonder vertaling")


if __name__ == "__main__":
    main()
