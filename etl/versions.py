"""Earlier databases, to go back to: every published database is also kept, as a hard link (no
copy), in a folder beside it (wijkimpact.duckdb -> wijkimpact.versies/N.duckdb, N the number of
the load in the archive's manifest that made it); the live one and the last 10 before it by
default ($WIJKIMPACT_VERSIES). The live database is the one whose file is the same as one of them.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from etl import archive

KEEP_DEFAULT = 10
KEEP_VARIABLE = "WIJKIMPACT_VERSIES"


def versions_dir(db: Path) -> Path:
    """Where the versions of ``db`` are kept."""
    db = Path(db)
    return db.with_name(f"{db.stem}.versies")


def version_file(db: Path, nr: int) -> Path:
    """The file of version ``nr``."""
    return versions_dir(db) / f"{nr}.duckdb"


def kept() -> int:
    """How many versions before the live one are kept ($WIJKIMPACT_VERSIES, default 10)."""
    value = os.environ.get(KEEP_VARIABLE, "").strip()
    return max(int(value), 0) if value.isdigit() else KEEP_DEFAULT


def _numbers(db: Path) -> list[int]:
    folder = versions_dir(db)
    if not folder.exists():
        return []
    return sorted((int(p.stem) for p in folder.glob("*.duckdb") if p.stem.isdigit()), reverse=True)


def live_version(db: Path) -> int | None:
    """The number of the live database: the kept version that is the same file; None when it
    is not one of them (a database made before the archive, or copied in by hand)."""
    try:
        live = os.stat(db)
    except FileNotFoundError:
        return None
    for nr in _numbers(db):
        kept_file = os.stat(version_file(db, nr))
        if (kept_file.st_ino, kept_file.st_dev) == (live.st_ino, live.st_dev):
            return nr
    return None


def keep(staged: Path, db: Path, nr: int) -> None:
    """Keep the database about to be published as version ``nr`` (a hard link to it)."""
    folder = versions_dir(db)
    if not folder.exists():
        folder.mkdir(mode=archive.DIR_MODE)
        os.chmod(folder, archive.DIR_MODE)
    target = version_file(db, nr)
    target.unlink(missing_ok=True)  # one a killed load left before it was published
    try:
        os.link(staged, target)
    except OSError:  # a file system without hard links: a copy
        shutil.copyfile(staged, target)


def prune(db: Path) -> None:
    """Remove versions beyond the live one and the ``kept()`` newest others, and any a killed
    load kept but never published."""
    live = live_version(db)
    published = _published(db, live)
    others = [nr for nr in _numbers(db) if nr != live and nr in published]
    for nr in others[kept() :] + [nr for nr in _numbers(db) if nr not in published]:
        version_file(db, nr).unlink(missing_ok=True)


def _published(db: Path, live: int | None) -> set[int | None]:
    """The versions that were the live database once: the live one, and each that a later
    load started from or a restore put back."""
    entries = archive.read_manifest(db)
    return {live} | {e.get("base") for e in entries} | {e.get("restored") for e in entries}


@dataclass(frozen=True)
class Version:
    """A kept database: its number, the manifest line of the load that made it, and whether
    it is the live one."""

    nr: int
    entry: dict
    live: bool

    def line(self) -> str:
        """'12  2026-12-02 14:35  jan via gegevens: load financien.csv  (in gebruik)'."""
        entry = self.entry
        when, who = entry.get("when", "?").replace("T", " "), entry.get("who", "?")
        live = "  (in gebruik)" if self.live else ""
        return f"{self.nr}  {when}  {who} via {entry.get('via', '?')}: {describe(entry)}{live}"


def describe(entry: dict) -> str:
    """What a load of the manifest did, in a few words."""
    if "replayed" in entry:
        return f"herbouwd uit het archief ({len(entry['replayed'])} ladingen)"
    files = {f"@{k}": f["name"] for k, f in enumerate(entry.get("files", []))}
    steps = ["python -m etl " + " ".join(files.get(a, a) for a in s) for s in entry["steps"]]
    if not steps:
        return "een wijziging zonder invoerbestand"
    return "; ".join(steps[:3]) + (f"; en {len(steps) - 3} meer" if len(steps) > 3 else "")


def list_versions(db: Path) -> list[Version]:
    """The kept versions, newest first."""
    entries = archive.entry_by_nr(archive.read_manifest(db))
    live = live_version(db)
    published = _published(db, live)
    return [
        Version(nr, entries.get(nr, {"steps": []}), nr == live)
        for nr in _numbers(db)
        if nr in published
    ]


def restore(db: Path, nr: int) -> None:
    """Put version ``nr`` back as the live database, atomically, and say so in the manifest
    (a later rebuild then replays the loads that made it, not those after it). Under the
    writer's lock (etl.publish.exclusive)."""
    source = version_file(db, nr)
    if not source.exists():
        known = ", ".join(str(n) for n in _numbers(db)) or "geen"
        raise FileNotFoundError(f"versie {nr} is er niet (bewaarde versies: {known})")
    staged = db.with_name(f".{db.name}.terug-{os.getpid()}.tmp")
    staged.unlink(missing_ok=True)
    try:
        os.link(source, staged)  # the same file as the version: the live one is then known
    except OSError:
        shutil.copyfile(source, staged)
    try:
        archive.clean_partials(archive.archive_dir(db))
        entries = archive.read_manifest(db)
        archive.append(
            db,
            {
                "nr": max((e["nr"] for e in entries), default=0) + 1,
                "when": datetime.now().replace(microsecond=0).isoformat(),
                "who": archive.who(),
                "via": "etl",
                "steps": [],
                "files": [],
                "enterprises": [],
                "restored": nr,
                "base": live_version(db),
            },
        )
        os.replace(staged, db)
        fd = os.open(db.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    finally:
        staged.unlink(missing_ok=True)
