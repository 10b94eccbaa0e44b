"""The ETL as the app uses it: the one module of etl/ that wijkimpact/ and pages/ import
(tests/test_etl_api.py holds both sides to that). The ETL writes the database and owns its
schema; it imports nothing of the app.

- where the database is: database_path;
- the roles the users file may give, which the database knows;
- the sheet spec (sheet_specs, ColumnSpec) and the Excel caps the template states;
- checking files (recognise_file, validate_files), loading them (read_enterprise_files,
  load_parsed, with database_context), and checking rows of a form (validate_frame);
- the problems found (Problem, InputError; Dutch message ids with values, Number among them);
- writing: staged_database publishes a change atomically; store_portfolio saves a portfolio;
- keeping every accepted input in the archive as given by an Origin (given_by, record_step:
  how a load from the app is done again), and the schema version the app checks;
- auditfiles (etl/xaf): checked with the files of a load (check_auditfiles; accounts without
  a category are MISSING_KOPPELING problems);
- the Excel template (template: build_template, owner_of), which python -m etl template writes.
"""

from __future__ import annotations

import pandas as pd

from etl import cells, template
from etl.archive import Origin, given_by, record_step
from etl.enterprise_files import (
    EXAMPLE_ID,
    Context,
    ParsedFile,
    Sheet,
    read_enterprise_files,
    recognise_file,
    validate_files,
    validate_frame,
)
from etl.enterprise_load import database_context, load_parsed
from etl.errors import InputError, Problem
from etl.loadresult import LoadResult
from etl.messages import Message, Number
from etl.paths import database_path
from etl.publish import staged_database
from etl.saved_portfolios import store_portfolio
from etl.schema import database_schema_version, schema_version
from etl.sheet_spec import ColumnSpec, sheet_specs
from etl.users import BEHEERDER, FINANCIER, ONDERNEMING, PROFESSIONAL, ROLES
from etl.xaf.finance import AuditFile
from etl.xaf.finance import prepare as check_auditfiles
from etl.xaf.koppeling import IGNORE as KOPPELING_IGNORE
from etl.xaf.koppeling import MISSING as MISSING_KOPPELING
from etl.xlsx_caps import MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_MB

__all__ = [
    "Origin",
    "database_schema_version",
    "given_by",
    "schema_version",
    "KOPPELING_IGNORE",
    "MISSING_KOPPELING",
    "AuditFile",
    "check_auditfiles",
    "record_step",
    "BEHEERDER",
    "EXAMPLE_ID",
    "FINANCIER",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_MB",
    "ONDERNEMING",
    "PROFESSIONAL",
    "ROLES",
    "ColumnSpec",
    "Context",
    "InputError",
    "LoadResult",
    "Message",
    "Number",
    "ParsedFile",
    "Problem",
    "Sheet",
    "database_context",
    "database_path",
    "enterprise_ids",
    "load_parsed",
    "read_enterprise_files",
    "recognise_file",
    "sheet_specs",
    "staged_database",
    "store_portfolio",
    "template",
    "validate_files",
    "validate_frame",
]


def enterprise_ids(sheet: Sheet) -> pd.Series:
    """The enterprise each row of a recognised sheet is of, as written in its key column (id
    for ondernemingen, onderneming for the others), by Excel row number; None where empty.
    Empty when the sheet lacks that column (a problem of its own)."""
    column = sheet_specs()[sheet.kind].key[0]
    if column not in sheet.raw:
        return pd.Series(dtype=object)
    return cells.parse_text(sheet.raw[column])[0]

