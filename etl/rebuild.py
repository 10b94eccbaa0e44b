"""python -m etl rebuild | versions | restore: the database made again from the archive alone
(every input replayed in its order through the current code and schema, published atomically;
also how an installation upgrades), the kept versions, and going back to one."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from etl import archive, versions
from etl.errors import Problem
from etl.publish import exclusive, staged_database


class Refused(Exception):
    """The archive cannot be replayed as it is: (load, problems) for each load refused."""

    def __init__(self, refused: list[tuple[dict, list[Problem]]]) -> None:
        self.refused = refused
        super().__init__("; ".join(str(p) for _e, problems in refused for p in problems))


def add_commands(
    sub,
    db_option: Callable[[argparse.ArgumentParser], None],
    parser: Callable[[], argparse.ArgumentParser],
) -> None:
    """The rebuild, versions and restore commands of python -m etl (whose ``parser`` reads the
    commands a rebuild replays)."""
    rebuild_ = sub.add_parser(
        "rebuild", help="maak de database opnieuw uit het archief van ingelezen bestanden"
    )
    rebuild_.add_argument(
        "--include-undone",
        action="store_true",
        help="laad ook wat met restore is teruggedraaid",
    )
    db_option(rebuild_)
    rebuild_.set_defaults(func=_rebuild_command, parser=parser)
    listing = sub.add_parser("versions", help="toon de bewaarde versies, de nieuwste eerst")
    db_option(listing)
    listing.set_defaults(func=_versions_command)
    restore_ = sub.add_parser("restore", help="zet een bewaarde versie terug als de database")
    restore_.add_argument("version", type=int, metavar="VERSIE")
    db_option(restore_)
    restore_.set_defaults(func=_restore_command)


def command_origin(argv: Sequence[str], args: argparse.Namespace) -> archive.Origin:
    """A command line's load as the archive keeps it: its arguments, the input files among
    them as paths, without --db (a rebuild gives its own)."""
    files = set()
    for value in vars(args).values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Path) and item.is_file():
                files.add(item)
    step, skip = [], False
    for arg in argv:
        if skip or arg.startswith("--db="):
            skip = False
            continue
        if arg == "--db":
            skip = True
            continue
        step.append(Path(arg) if not arg.startswith("-") and Path(arg) in files else arg)
    return archive.Origin(via="etl", steps=(tuple(step),))


def _db(args: argparse.Namespace) -> Path:
    from etl.paths import database_path

    return Path(args.db or database_path()).resolve()


def _rebuild_command(args: argparse.Namespace) -> int:
    target = _db(args)
    try:
        replayed = rebuild(target, args.parser, include_undone=args.include_undone)
    except Refused as refused:
        print(
            f"Niet herbouwd: {len(refused.refused)} lading(en) uit het archief gaan niet "
            "(meer) door deze versie:",
            file=sys.stderr,
        )
        for entry, problems in refused.refused:
            print(f"  lading {entry['nr']} ({_summary(entry)}):", file=sys.stderr)
            for problem in problems:
                print(f"    - {problem}", file=sys.stderr)
        print("De database is niet veranderd.", file=sys.stderr)
        return 1
    files = sum(len(e["files"]) for e in replayed)
    print(
        f"Database herbouwd uit het archief: {len(replayed)} ladingen, {files} bestanden: {target}"
    )
    return 0


def _summary(entry: dict) -> str:
    when, who = entry.get("when", "?").replace("T", " "), entry.get("who", "?")
    return f"{when}, {who} via {entry.get('via', '?')}: {versions.describe(entry)}"


def _versions_command(args: argparse.Namespace) -> int:
    target = _db(args)
    found = versions.list_versions(target)
    if not found:
        print(f"Er zijn nog geen versies bewaard van {target}.")
    for version in found:
        print(version.line())
    return 0


def _restore_command(args: argparse.Namespace) -> int:
    target = _db(args)
    with exclusive(target):
        versions.restore(target, args.version)
    entry = archive.entry_by_nr(archive.read_manifest(target)).get(args.version, {"steps": []})
    print(f"Versie {args.version} teruggezet ({versions.describe(entry)}): {target}")
    return 0


def plan(db: Path, include_undone: bool = False) -> list[dict]:
    """The loads that make the live database (or, without one, the newest in the archive), in
    their order: from the load that started from an empty database; not those undone by a
    restore unless ``include_undone``."""
    entries = archive.read_manifest(db)
    if not entries:
        raise FileNotFoundError(f"er is geen archief {archive.archive_dir(db)} om uit te herbouwen")
    by_nr = archive.entry_by_nr(entries)
    last = entries[-1]
    target = versions.live_version(db) or last.get("restored", last["nr"])
    chain = _lineage(by_nr, target)
    if include_undone:
        published = {e.get("base") for e in entries} | {e.get("restored") for e in entries}
        for entry in entries:
            nr = entry["nr"]
            if nr in published and "restored" not in entry and nr > chain[0]:
                with contextlib.suppress(Refused):
                    other = _lineage(by_nr, nr)
                    if other[0] == chain[0]:
                        chain = sorted(set(chain) | set(other))
    return [by_nr[nr] for nr in chain]


def _lineage(by_nr: dict[int, dict], nr: int) -> list[int]:
    """The loads that made version ``nr``, oldest first."""
    chain: list[int] = []
    current: int | None = nr
    while True:
        entry = by_nr.get(current)
        if entry is None:
            raise _refused({"nr": nr, "steps": []}, f"versie {current} staat niet in het archief")
        if "replayed" in entry:
            return entry["replayed"] + chain[::-1]
        chain.append(current)
        if entry.get("fresh"):
            return chain[::-1]
        if entry.get("base") is None:
            raise _refused(
                entry,
                "deze lading begon bij een database van vóór het archief; wat daarin stond is "
                "niet in het archief en kan niet opnieuw worden geladen",
            )
        current = entry["base"]


def _refused(entry: dict, message: str) -> Refused:
    return Refused([(entry, [Problem(f"lading {entry['nr']}", None, None, None, None, message)])])


def rebuild(
    db: Path, parser: Callable[[], argparse.ArgumentParser], *, include_undone: bool = False
) -> list[dict]:
    """Make the database again from the archive alone and publish it atomically; return the
    loads replayed (each command read by ``parser``, python -m etl's). Raises Refused, listing
    every load the current code refuses, and leaves the live database as it was."""
    db = Path(db).resolve()
    with exclusive(db):
        todo = plan(db, include_undone)
        for leftover in db.parent.glob(f".{db.name}.herbouw-*.tmp"):  # of a killed rebuild
            shutil.rmtree(leftover, ignore_errors=True)
        scratch = Path(
            tempfile.mkdtemp(prefix=f".{db.name}.herbouw-", suffix=".tmp", dir=db.parent)
        )
        try:
            work = scratch / db.name
            refused = []
            for entry in todo:
                try:
                    _replay(db, entry, work, scratch, parser)
                except Exception as err:  # every refusal is listed, whatever it is
                    said = str(err) if isinstance(err, FileNotFoundError) else repr(err)
                    problems = getattr(err, "problems", None) or [
                        Problem(f"lading {entry['nr']}", None, None, None, None, said)
                    ]
                    refused.append((entry, problems))
            if refused:
                raise Refused(refused)
            origin = archive.Origin(via="etl", steps=())
            with staged_database(db, start_from=work, origin=origin):
                stage = archive.current_stage()
                stage.extra["replayed"] = [e["nr"] for e in todo]
                stage.enterprises.update(i for e in todo for i in e.get("enterprises", []))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return todo


def _replay(db: Path, entry: dict, work: Path, scratch: Path, parser: Callable) -> None:
    """Load one load of the archive again into ``work``, as it was given."""
    if not entry["steps"]:
        raise FileNotFoundError("een wijziging zonder invoerbestand kan niet opnieuw")
    folder = scratch / f"lading-{entry['nr']}"
    paths = {}
    for k, file in enumerate(entry["files"]):
        blob = archive.archive_dir(db) / archive.blob_name(file["sha256"])
        if not blob.exists():
            raise FileNotFoundError(f"{file['name']} ontbreekt in het archief ({blob})")
        place = folder / str(k) / file["name"]
        place.parent.mkdir(parents=True)
        try:
            os.link(blob, place)
        except OSError:
            shutil.copyfile(blob, place)
        paths[f"@{k}"] = place
    origin = archive.Origin(
        via=entry["via"],
        who=entry["who"],
        when=datetime.fromisoformat(entry["when"]),
        replay=True,
        times=tuple(datetime.fromisoformat(f["when"]) for f in entry["files"]),
    )
    with archive.given_by(origin):
        for step in entry["steps"]:
            _run([str(paths.get(arg, arg)) for arg in step], work, parser)


def _run(argv: list[str], work: Path, parser: Callable) -> None:
    """One command of a load, against the database being rebuilt."""
    if argv[0] == "portefeuille":
        from etl.saved_portfolios import store_portfolio

        owner, name, ids = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        with staged_database(work) as con:
            store_portfolio(con, owner, name, ids)
        return
    args = parser().parse_args([*argv, "--db", str(work)])
    with (
        open(os.devnull, "w") as quiet,
        contextlib.redirect_stdout(quiet),
        contextlib.redirect_stderr(quiet),
    ):
        args.func(args)
