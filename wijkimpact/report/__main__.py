"""CLI: python -m wijkimpact.report --onderneming ID --jaar 2024 --out FILE.pdf [--db PATH].

An administrator's tool, run on the server by whoever may read the database file: it makes the
report of any enterprise (as a beheerder). In the app the report follows the viewer's role.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from wijkimpact.config import database_path

EXIT_OK, EXIT_FAILED, EXIT_UNKNOWN = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own texts are English; say what is wrong in Dutch
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNKNOWN, f"Fout in de opdracht: {message}\n")


def _year(text: str) -> int:
    if not text.strip().isdigit() or not 1900 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"geen jaartal: {text!r} (verwacht bijvoorbeeld 2024)")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m wijkimpact.report",
        description="Maak het jaarverslag (PDF) van een onderneming over één jaar.",
        add_help=False,
    )
    parser.add_argument("--onderneming", required=True, metavar="ID", help="id van de onderneming")
    parser.add_argument("--jaar", required=True, type=_year, help="verslagjaar, bijv. 2024")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.pdf",
                        help="waar de PDF komt")
    parser.add_argument("--db", type=Path, metavar="PATH",
                        help="database (standaard $WIJKIMPACT_DB of data/wijkimpact.duckdb)")
    parser.add_argument("-h", "--help", action="help", help="toon deze hulp")
    return parser


def _write(out: Path, data: bytes) -> None:
    """Write next to the target and rename: a failed run never leaves a half-written PDF."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (2: unknown enterprise or bad arguments)."""
    args = _parser().parse_args(argv)
    path = (args.db or database_path()).expanduser().resolve()
    if not path.is_file():
        print(f"Geen database gevonden op {path}. Bouw hem met `python -m etl build` of geef "
              "--db PATH.", file=sys.stderr)
        return EXIT_FAILED
    out = args.out.expanduser()
    if not out.parent.is_dir():
        print(f"De map {out.parent} bestaat niet; er is niets geschreven.", file=sys.stderr)
        return EXIT_FAILED

    from wijkimpact.data.access import BEHEERDER_VIEWER
    from wijkimpact.report import build_report
    from wijkimpact.report.content import ReportError, UnknownEnterprise

    try:
        data = build_report(args.onderneming, args.jaar, path, viewer=BEHEERDER_VIEWER)
    except UnknownEnterprise as exc:
        print(f"{exc} Er is niets geschreven.", file=sys.stderr)
        return EXIT_UNKNOWN
    except ReportError as exc:
        print(f"{exc} Er is niets geschreven.", file=sys.stderr)
        return EXIT_FAILED
    try:
        _write(out, data)
    except OSError as exc:
        print(f"Kan {out} niet schrijven: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_FAILED
    print(f"Jaarverslag {args.jaar} van '{args.onderneming}' geschreven naar {out} "
          f"({len(data) // 1024} kB).")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
