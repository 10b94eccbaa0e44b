"""The Excel template as the app hands it out: made by the ETL (etl.template, which the command
python -m etl template also uses), for the viewer's own enterprise when it has one."""

from __future__ import annotations

from pathlib import Path

from etl.api import template as maker
from wijkimpact.data import db

FILE_NAME = maker.FILE_NAME
THEMAS = maker.THEMAS
INSTRUCTIONS = maker.INSTRUCTIONS
Owner = maker.Owner
build_template = maker.build_template  # (wijken, owner=None) -> the .xlsx bytes


def owner(enterprise_id: str | None, db_path: Path | None = None) -> Owner | None:
    """The enterprise a template is made for (its name and wijken from the database); None
    for none, or one the database does not know."""
    if not enterprise_id:
        return None
    with db.cursor(db_path) as cur:
        return maker.owner_of(cur, enterprise_id)
