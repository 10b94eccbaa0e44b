"""Saved portfolios: named selections of enterprises, kept in a small JSON file beside the DB."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from wijkimpact.config import database_path

MAX_NAME = 60


def portfolio_file() -> Path:
    """portefeuilles.json next to the database."""
    return database_path().with_name("portefeuilles.json")


def load_portfolios(path: Path | None = None) -> dict[str, list[str]]:
    """Name -> enterprise ids; an unreadable file counts as none saved."""
    path = path or portfolio_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(name): [str(i) for i in ids] for name, ids in data.items() if isinstance(ids, list)}


def check_name(name: str) -> str | None:
    """A Dutch message when a portfolio name is not acceptable, else None."""
    cleaned = name.strip()
    if not cleaned:
        return "Geef de portefeuille een naam."
    if len(cleaned) > MAX_NAME:
        return f"De naam is te lang (maximaal {MAX_NAME} tekens)."
    if not re.fullmatch(r"[\w .,'()&/-]+", cleaned):
        return "Gebruik alleen letters, cijfers, spaties en . , ' ( ) & / - in de naam."
    return None


def save_portfolio(name: str, ids: list[str], path: Path | None = None) -> None:
    """Save (or overwrite) a portfolio, written atomically."""
    problem = check_name(name)
    if problem:
        raise ValueError(problem)
    if not ids:
        raise ValueError("Kies minstens één onderneming.")
    path = path or portfolio_file()
    data = load_portfolios(path)
    data[name.strip()] = sorted(set(ids))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".portefeuilles.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
    os.replace(tmp, path)
