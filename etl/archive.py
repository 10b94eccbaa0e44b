"""The archive beside the database (wijkimpact.duckdb -> wijkimpact.archief/): the exact bytes of
every accepted input, content-addressed (sha256), and a manifest of every publish in load order.

The database is derived from it (etl/rebuild.py makes it again). A load hands its files over
where it logs them (etl.loadlog.log_load), so a new kind of input is archived without code of
its own; nothing is written while the load may still be refused, and all of it before the new
database is published (etl.publish). Archived files are never rewritten: each is written as a
``.part`` file and renamed; a ``.part`` left by a killed load is ignored and removed, as is a
manifest line cut off halfway.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

FILES = "bestanden"
MANIFEST = "manifest.jsonl"
PART = ".part"
DIR_MODE, FILE_MODE = 0o700, 0o600  # the archive holds private figures (SECURITY.md)


def archive_dir(db: Path) -> Path:
    """Where the archive of database ``db`` is: beside it, named after it."""
    db = Path(db)
    return db.with_name(f"{db.stem}.archief")


@dataclass(frozen=True)
class Origin:
    """Who gave a load, and how to do it again: ``steps`` are argument lists of ``python -m etl``
    (a Path in them is an input file). ``when`` is set while a load is replayed."""

    via: str = "etl"
    who: str | None = None
    steps: tuple[tuple, ...] = ()
    enterprises: tuple[str, ...] = ()
    when: datetime | None = None
    replay: bool = False
    times: tuple[datetime, ...] = ()  # a replay: when each of its inputs was first loaded
    logged: list[int] = field(default_factory=lambda: [0], compare=False)  # of them, so far


@dataclass
class Accepted:
    """An input a load accepted: what load_log says of it, and where its bytes are now."""

    name: str
    sha256: str
    kind: str
    source: Path
    when: datetime
    content: bytes | None = None  # an input that is no file (a saved portfolio)


@dataclass
class Stage:
    """The inputs of one staged load, archived when it publishes."""

    origin: Origin
    files: list[Accepted] = field(default_factory=list)
    steps: list[tuple] = field(default_factory=list)
    enterprises: set[str] = field(default_factory=set)  # given (an upload) or noted
    extra: dict = field(default_factory=dict)  # a rebuild: the loads it replayed
    batches: set[int] = field(default_factory=set)
    pending: datetime | None = None  # the time of the input being loaded (load_time)

    def entry(self, nr: int, base: int | None, fresh: bool) -> dict:
        """The manifest line of this load as version ``nr``."""
        places = {}
        for k, accepted in enumerate(self.files):
            places.setdefault(str(accepted.source.resolve()), f"@{k}")
        steps = self.steps or list(self.origin.steps)
        if not steps and self.files:  # from the app: as python -m etl load of the same files
            steps = [("load", *(a.source for a in self.files))]
        return {
            "nr": nr,
            "when": _now().isoformat(),
            "who": who(),
            "via": self.origin.via,
            "steps": [[_step_arg(a, places) for a in step] for step in steps],
            "enterprises": sorted(self.enterprises),
            "files": [
                {"name": a.name, "sha256": a.sha256, "kind": a.kind, "when": a.when.isoformat()}
                for a in self.files
            ],
            "base": base,
            "fresh": fresh,
        } | self.extra


def _step_arg(arg: object, places: dict[str, str]) -> str:
    if isinstance(arg, Path):
        return places.get(str(arg.resolve()), str(arg))
    return str(arg)


_origin: ContextVar[Origin | None] = ContextVar("wijkimpact_origin", default=None)
_stage: ContextVar[Stage | None] = ContextVar("wijkimpact_stage", default=None)


@contextmanager
def given_by(origin: Origin) -> Iterator[None]:
    """Loads inside the block are of ``origin`` (the command line, an upload, the form)."""
    token = _origin.set(origin)
    try:
        yield
    finally:
        _origin.reset(token)


@contextmanager
def staging(origin: Origin | None) -> Iterator[Stage]:
    """The stage of a load being staged (etl.publish.staged_database)."""
    stage = Stage(origin or _origin.get() or Origin())
    stage.enterprises.update(stage.origin.enterprises)
    token = _stage.set(stage)
    try:
        yield stage
    finally:
        _stage.reset(token)


def current_stage() -> Stage | None:
    """The stage of the load running here, if any."""
    return _stage.get()


def accept(
    source: Path, kind: str, sha256: str, batch_id: int, content: bytes | None = None
) -> str | None:
    """Hand an accepted input of the running load to the archive; return its place there (for
    load_log), or None outside a staged load."""
    stage = _stage.get()
    if stage is None:
        return None
    stage.batches.add(batch_id)
    name, when = Path(source).name, load_time()
    stage.pending = None
    stage.origin.logged[0] += 1
    if not stage.origin.replay:
        stage.files.append(Accepted(name, sha256, kind, Path(source), when, content))
    return blob_name(sha256)


def record_step(*argv: object) -> None:
    """Say how the running load is done again (``python -m etl`` arguments; files as Paths),
    when one load runs several commands (build, fetch-cbs)."""
    stage = _stage.get()
    if stage is not None:
        stage.steps.append(tuple(argv))


def note_enterprises(con: duckdb.DuckDBPyConnection, stage: Stage) -> None:
    """Note the enterprises whose rows the load wrote (for the manifest): those of the rows of
    its batches in every table that has an enterprise and a batch."""
    if not stage.batches:
        return
    tables = con.execute(
        "select table_name from information_schema.columns "
        "where column_name in ('enterprise_id', 'batch_id') and table_schema = 'main' "
        "group by table_name having count(*) = 2 order by table_name"
    ).fetchall()
    for (table,) in tables:
        found = con.execute(
            f'select distinct enterprise_id from "{table}" where list_contains(?, batch_id)',
            [sorted(stage.batches)],
        ).fetchall()
        stage.enterprises.update(str(r[0]) for r in found if r[0] is not None)


def who() -> str:
    """Who loads: the app's user, or the account running the command."""
    origin = (_stage.get() or Stage(_origin.get() or Origin())).origin
    if origin.who:
        return origin.who
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "onbekend"


def _now() -> datetime:
    stage = _stage.get()
    origin = stage.origin if stage else _origin.get()
    when = origin.when if origin and origin.when else datetime.now()
    return when.replace(microsecond=0)


def load_time() -> datetime:
    """When the input being loaded is loaded (while replayed: when it first was); the same
    until it is handed to the archive (a saved portfolio's time and its load_log row agree)."""
    stage = _stage.get()
    if stage is None:
        return _now()
    times, logged = stage.origin.times, stage.origin.logged[0]
    if stage.origin.replay and logged < len(times):
        return times[logged]
    if stage.pending is None:
        stage.pending = _now()
    return stage.pending


def blob_name(sha256: str) -> str:
    """The place of a file in the archive, relative to it."""
    return f"{FILES}/{sha256[:2]}/{sha256}"


def write_entry(db: Path, stage: Stage, base: int | None, fresh: bool) -> int:
    """Archive the stage's files and append its manifest line (durably, before the database
    is published); return the new version's number. Under the writer's lock."""
    root = _ensure(archive_dir(db))
    clean_partials(root)
    for accepted in stage.files:
        _store(root, accepted)
    nr = max((e["nr"] for e in read_manifest(db)), default=0) + 1
    append(db, stage.entry(nr, base, fresh))
    return nr


def append(db: Path, entry: dict) -> None:
    """Append one line to the manifest and make it durable."""
    root = _ensure(archive_dir(db))
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(root / MANIFEST, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_manifest(db: Path) -> list[dict]:
    """Every complete line of the manifest, in load order (a line cut off is left out)."""
    path = archive_dir(db) / MANIFEST
    if not path.exists():
        return []
    entries = []
    for line in path.read_bytes().split(b"\n"):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and "nr" in entry:
            entries.append(entry)
    return entries


def clean_partials(root: Path) -> None:
    """Remove what a killed load left half-written: ``.part`` files and a cut-off last line."""
    for part in (root / FILES).glob(f"*/*{PART}*"):
        part.unlink(missing_ok=True)
    manifest = root / MANIFEST
    if manifest.exists():
        data = manifest.read_bytes()
        if data and not data.endswith(b"\n"):
            with open(manifest, "r+b") as fh:
                fh.truncate(data.rfind(b"\n") + 1)
                os.fsync(fh.fileno())


def _ensure(root: Path) -> Path:
    for folder in (root, root / FILES):
        if not folder.exists():
            folder.mkdir(mode=DIR_MODE)
            os.chmod(folder, DIR_MODE)  # whatever the umask
    return root


def _store(root: Path, accepted: Accepted) -> None:
    """Write one file under its hash unless it is there (then it is never rewritten)."""
    final = root / blob_name(accepted.sha256)
    if final.exists():
        return
    final.parent.mkdir(mode=DIR_MODE, exist_ok=True)
    part = final.with_name(f"{final.name}{PART}{os.getpid()}")
    digest = hashlib.sha256()
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        for chunk in _chunks(accepted):
            digest.update(chunk)
            os.write(fd, chunk)
        os.fsync(fd)
    finally:
        os.close(fd)
    if digest.hexdigest() != accepted.sha256:
        part.unlink()
        raise RuntimeError(f"{accepted.name} veranderde tijdens het laden; laad het opnieuw")
    os.rename(part, final)


def _chunks(accepted: Accepted) -> Iterator[bytes]:
    if accepted.content is not None:
        yield accepted.content
        return
    with open(accepted.source, "rb") as fh:
        yield from iter(lambda: fh.read(1 << 20), b"")


def entry_by_nr(entries: Sequence[dict]) -> dict[int, dict]:
    """The manifest's entries by number."""
    return {e["nr"]: e for e in entries}
