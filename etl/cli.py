"""Command line: python -m etl build | load | areas | stats | postcodes | fetch-cbs | users |
template | demo."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.errors import InputError
from etl.paths import DEMO_DIR, database_path


def main(argv: list[str] | None = None) -> int:
    """Run one ETL command; return the process exit code."""
    from etl.archive import given_by
    from etl.rebuild import command_origin

    parser = _parser()
    args = parser.parse_args(argv)
    try:
        with given_by(command_origin(sys.argv[1:] if argv is None else argv, args)):
            return args.func(args)
    except InputError as err:
        print(f"Niet geladen: {len(err.problems)} probleem/problemen gevonden.", file=sys.stderr)
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        print("De database is niet veranderd.", file=sys.stderr)
        return 1
    except FileNotFoundError as err:
        print(f"Fout: {err}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="bouw de database opnieuw uit data/demo/")
    _db_option(build)
    build.add_argument(
        "--source",
        type=Path,
        default=DEMO_DIR,
        help="map met invoerbestanden (standaard: data/demo)",
    )
    build.set_defaults(func=_build)

    load = sub.add_parser(
        "load", help="laad invoerbestanden van ondernemingen (xlsx, csv of auditfile .xaf)"
    )
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    load.add_argument(
        "--onderneming",
        default=None,
        metavar="ID",
        help="de onderneming van een auditfile (standaard: die met het KvK-nummer van het bestand)",
    )
    _db_option(load)
    load.set_defaults(func=_load)

    areas = sub.add_parser(
        "areas", help="laad de CBS wijk- en buurtkaart (gpkg, geojson, topojson)"
    )
    areas.add_argument("file", type=Path, metavar="FILE")
    areas.add_argument(
        "--gemeente",
        nargs="+",
        default=None,
        metavar="GMxxxx",
        help="alleen deze gemeenten (bijvoorbeeld GM0202)",
    )
    areas.add_argument("--year", type=int, default=None, help="jaar van de cijfers in het bestand")
    _db_option(areas)
    areas.set_defaults(func=_areas)

    stats = sub.add_parser("stats", help="laad CBS-kerncijfers of Leefbaarometer-scores (csv)")
    stats.add_argument("file", type=Path, metavar="FILE")
    stats.add_argument("--year", type=int, default=None, help="jaar van de cijfers")
    _db_option(stats)
    stats.set_defaults(func=_stats)

    postcodes = sub.add_parser(
        "postcodes",
        help="laad CBS' tabel van postcodes en huisnummers per buurt, wijk en gemeente (csv)",
    )
    postcodes.add_argument("file", type=Path, metavar="FILE")
    postcodes.add_argument("--year", type=int, default=None, help="jaar van de tabel")
    _db_option(postcodes)
    postcodes.set_defaults(func=_postcodes)

    fetch = sub.add_parser(
        "fetch-cbs",
        help="download de CBS wijk- en buurtkaart en kerncijfers van een gemeente en laad ze",
    )
    fetch.add_argument("--year", type=int, required=True, help="jaar, bijvoorbeeld 2024")
    fetch.add_argument(
        "--gemeente", nargs="+", required=True, metavar="GMxxxx", help="bijvoorbeeld GM0202"
    )
    fetch.add_argument(
        "--out", type=Path, default=None, help="bewaar de downloads in deze map (standaard: niet)"
    )
    _db_option(fetch)
    fetch.set_defaults(func=_fetch_cbs)

    template = sub.add_parser(
        "template", help="schrijf het Excel-invulsjabloon (voor één onderneming: --onderneming)"
    )
    template.add_argument("--out", type=Path, required=True, metavar="FILE", help=".xlsx-bestand")
    template.add_argument(
        "--onderneming",
        default=None,
        metavar="ID",
        help="vul het id van deze onderneming in en zet haar wijken bovenaan de keuzelijsten",
    )
    _db_option(template)
    template.set_defaults(func=_template)

    users = sub.add_parser(
        "users",
        help="vervang de gebruikerslijst (wie mag inloggen, met welke rol) door die uit FILE",
    )
    users.add_argument("file", type=Path, metavar="FILE", help="csv of xlsx: email, rol, "
                       "onderneming, portefeuille")
    _db_option(users)
    users.set_defaults(func=_users)

    from etl.rebuild import add_commands  # rebuild, versions, restore

    add_commands(sub, _db_option, _parser)

    demo = sub.add_parser("demo", help="maak de fictieve demo-invoer (Demostad) opnieuw")
    demo.add_argument("--out", type=Path, default=DEMO_DIR)
    demo.add_argument("--seed", type=int, default=2024)
    demo.set_defaults(func=_demo)
    return parser


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="databasebestand (standaard: $WIJKIMPACT_DB of data/wijkimpact.duckdb)",
    )


def _db(args: argparse.Namespace) -> Path:
    return (args.db or database_path()).resolve()


def _build(args: argparse.Namespace) -> int:
    from etl.build import build

    target = _db(args)
    sources = build(target, args.source)
    print(f"Database gebouwd uit {sources.count()} bestanden: {target}")
    return 0


def _existing_db(args: argparse.Namespace) -> Path:
    target = _db(args)
    if not target.exists():
        raise FileNotFoundError(
            f"database {target} bestaat nog niet: maak hem eerst met python -m etl build"
        )
    return target


def _load(args: argparse.Namespace) -> int:
    from etl.commands import load_enterprise_files
    from etl.progress import Steps
    from etl.publish import staged_database
    from etl.xaf.finance import given_enterprise

    target = _existing_db(args)
    with staged_database(target) as con, given_enterprise(args.onderneming):
        results = load_enterprise_files(con, args.files, Steps(2))
    for path, result in zip(args.files, results, strict=True):
        print(f"{path.name}: {result.rows} rijen gelezen")
        for note in result.notes:
            print(f"  {note}")
    return 0


def _areas(args: argparse.Namespace) -> int:
    from etl.commands import load_area_file
    from etl.progress import Steps
    from etl.publish import staged_database

    target = _db(args)
    with staged_database(target) as con:
        result = load_area_file(con, args.file, Steps(1), args.gemeente, args.year)
    for note in result.notes:
        print(note)
    return 0


def _stats(args: argparse.Namespace) -> int:
    from etl.commands import load_stat_file
    from etl.progress import Steps
    from etl.publish import staged_database

    target = _db(args)
    with staged_database(target) as con:
        result = load_stat_file(con, args.file, Steps(1), args.year)
    for note in result.notes:
        print(note)
    return 0


def _postcodes(args: argparse.Namespace) -> int:
    from etl.commands import load_postcode_file
    from etl.progress import Steps
    from etl.publish import staged_database

    target = _existing_db(args)
    with staged_database(target) as con:
        result = load_postcode_file(con, args.file, Steps(1), args.year)
    for note in result.notes:
        print(note)
    return 0


def _fetch_cbs(args: argparse.Namespace) -> int:
    import tempfile

    from etl.fetch_cbs import FetchError, fetch, load_downloads, manual_steps
    from etl.publish import staged_database
    from etl.statline import normalise_gemeenten

    target = _db(args)
    gemeenten = normalise_gemeenten(args.gemeente)
    with tempfile.TemporaryDirectory(prefix="wijkimpact-cbs-") as scratch:
        try:
            downloads = fetch(args.year, gemeenten, args.out or Path(scratch))
        except FetchError as err:
            print(f"Downloaden mislukt: {err}", file=sys.stderr)
            print("De database is niet veranderd.", file=sys.stderr)
            print(manual_steps(args.year, gemeenten, args.db), file=sys.stderr)
            return 3
        with staged_database(target) as con:
            load_downloads(con, downloads, gemeenten, args.year)
    for note in downloads.notes:
        print(note)
    print(f"CBS-gegevens {args.year} van {', '.join(gemeenten)} geladen in {target}")
    return 0


def _users(args: argparse.Namespace) -> int:
    from collections import Counter

    from etl.publish import staged_database
    from etl.users import load_users

    target = _existing_db(args)
    with staged_database(target) as con:
        users = load_users(con, args.file)
    roles = Counter(u.role for u in users)
    summary = ", ".join(f"{count} {role}" for role, count in sorted(roles.items()))
    print(f"Gebruikerslijst vervangen door {args.file.name}: {len(users)} gebruikers ({summary}).")
    return 0


def _template(args: argparse.Namespace) -> int:
    import duckdb

    from etl.commands import write_template

    target = _existing_db(args)
    con = duckdb.connect(str(target), read_only=True)
    try:
        owner = write_template(con, args.out, args.onderneming)
    except LookupError:
        print(
            f"Fout: onderneming {args.onderneming!r} staat niet in de database {target}; "
            "er is geen sjabloon geschreven.",
            file=sys.stderr,
        )
        return 2
    finally:
        con.close()
    for_whom = f" voor {owner.name} (id {owner.enterprise_id})" if owner else ""
    print(f"Invulsjabloon{for_whom} geschreven: {args.out}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from etl.demo import generate

    paths = generate(args.out, seed=args.seed)
    print(f"{len(paths)} demobestanden geschreven in {args.out}")
    return 0
