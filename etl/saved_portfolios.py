"""Saved portfolios written into the database like every other load: inside
etl.publish.staged_database (a copy of the live file, published atomically) and recorded in
load_log. The rules for names, owners and what an owner may save are
wijkimpact.data.saved_portfolios'; this is the writing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import duckdb

from etl import archive
from etl.loadlog import log_load, next_batch_id
from etl.schema import ensure_tables

TABLE = "saved_portfolio"
SOURCE = Path("portefeuille")  # what load_log records as the source: a form, not a file
REPLAY = "portefeuille"  # how the archive says to save it again (etl.rebuild)


def store_portfolio(
    con: duckdb.DuckDBPyConnection, owner: str, name: str, enterprise_ids: Sequence[str]
) -> bool:
    """Save ``owner``'s portfolio ``name`` (checked by the caller), replacing only that owner's
    portfolio of the same name, compared without regard to case. Returns whether one was
    replaced."""
    ensure_tables(con, (TABLE,))
    ids = sorted(set(enterprise_ids))
    key = [owner, name]
    replaced = con.execute(
        "select count(*) from saved_portfolio where owner = ? and lower(name) = lower(?)", key
    ).fetchall()[0][0]
    con.execute("delete from saved_portfolio where owner = ? and lower(name) = lower(?)", key)
    saved_at = archive.load_time()
    con.executemany(
        "insert into saved_portfolio (owner, name, enterprise_id, saved_at) values (?, ?, ?, ?)",
        [[owner, name, enterprise_id, saved_at] for enterprise_id in ids],
    )
    content = json.dumps([owner, name, ids], ensure_ascii=False).encode("utf-8")
    archive.record_step(REPLAY, SOURCE)
    log_load(
        con,
        batch_id=next_batch_id(con),
        source=SOURCE,
        kind="portefeuille",
        rows=len(ids),
        outcome="geladen",
        added=0 if replaced else 1,
        replaced=1 if replaced else 0,
        message=f"portefeuille {name!r} van {owner} bewaard",
        content=content,
    )
    return bool(replaced)
