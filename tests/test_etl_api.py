"""The ETL stands alone: etl/ imports nothing of the app or of Streamlit, and the app reaches the
ETL only through etl.api. The ETL's messages stay Dutch and reach the app in the user's language."""

from __future__ import annotations

import ast
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import ROOT

APP_PACKAGES = ("wijkimpact", "streamlit")


def _imports(path) -> list[tuple[int, str]]:
    """(line, module) of every import in a file, nested ones included; ``from a import b``
    gives a.b as well as a, so that ``from etl import cells`` is seen as etl.cells."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _sources(*parts: str) -> list:
    paths = []
    for part in parts:
        path = ROOT / part
        paths += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return paths


def test_the_etl_imports_nothing_of_the_app_or_streamlit():
    sources = _sources("etl")
    assert len(sources) > 20
    found = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sources
        for line, module in _imports(path)
        if module.split(".")[0] in APP_PACKAGES
    ]
    assert found == []


def test_the_app_imports_the_etl_only_through_etl_api():
    sources = _sources("wijkimpact", "pages", "app.py")
    assert len(sources) > 40
    found = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sources
        for line, module in _imports(path)
        if module.split(".")[0] == "etl" and module not in ("etl", "etl.api")
        and not module.startswith("etl.api.")
    ]
    assert found == []
    users = {path.relative_to(ROOT).as_posix() for path in sources
             if any(m == "etl.api" for _line, m in _imports(path))}  # fmt: skip
    assert {
        "wijkimpact/ui/intake.py",
        "wijkimpact/report/template.py",
        "wijkimpact/config.py",
    } <= users


def test_the_rule_check_sees_every_kind_of_import(tmp_path):
    """The two checks above would see each way of writing an import that breaks the rule."""
    source = tmp_path / "probe.py"
    source.write_text(
        "import wijkimpact.i18n\n"
        "from streamlit import cache_data\n"
        "from etl import cells\n"
        "def later():\n"
        "    from etl.errors import Problem\n"
        "from etl.api import Problem\n"
        "from .near import thing\n",
        encoding="utf-8",
    )
    modules = [m for _line, m in _imports(source)]
    assert [m for m in modules if m.split(".")[0] in APP_PACKAGES] == [
        "wijkimpact.i18n",
        "streamlit",
        "streamlit.cache_data",
    ]
    outside_api = [m for m in modules if m.startswith("etl") and not m.startswith("etl.api")]
    assert outside_api == ["etl", "etl.cells", "etl.errors", "etl.errors.Problem"]


def test_importing_every_etl_module_loads_no_app_module():
    """What actually gets imported, dynamic imports included: every module of etl/ in a fresh
    interpreter, then no module of wijkimpact or streamlit is loaded."""
    script = (
        "import importlib, pkgutil, sys\n"
        "import etl\n"
        "names = [m.name for m in pkgutil.walk_packages(etl.__path__, 'etl.')\n"
        "         if m.name not in ('etl.__main__',)]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {APP_PACKAGES})\n"
        "print(len(names), loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    count, loaded = result.stdout.split(" ", 1)
    assert int(count) > 20
    assert loaded.strip() == "[]"


def test_the_roles_are_the_ones_the_database_accepts():
    from etl.api import BEHEERDER, FINANCIER, ONDERNEMING, PROFESSIONAL, ROLES
    from etl.schema import create_schema
    from wijkimpact.data import access

    assert ROLES == (ONDERNEMING, FINANCIER, PROFESSIONAL, BEHEERDER) == access.ROLES
    con = duckdb.connect()
    create_schema(con)
    sql = "insert into app_user (email, role, enterprise_id, portfolio) values (?, ?, ?, ?)"
    for number, role in enumerate(ROLES):
        enterprise = "e1" if role == ONDERNEMING else None
        portfolio = "e1" if role == FINANCIER else None
        con.execute(sql, [f"{number}@example.nl", role, enterprise, portfolio])
    assert sorted(r[0] for r in con.execute("select role from app_user").fetchall()) == sorted(
        ["beheerder", "financier", "onderneming", "professional"]
    )
    with pytest.raises(duckdb.ConstraintException):
        con.execute(sql, ["p@example.nl", access.PUBLIEK, None, None])


def test_an_etl_problem_is_dutch_and_shown_in_the_language_of_the_moment():
    """One problem, made once: Dutch on the command line (str), English in the app when English
    is chosen after it was made, with numbers written the English way."""
    from etl.xlsx_caps import MAX_ROWS, too_long
    from wijkimpact import i18n

    problem = too_long("groot.xlsx", "financien", "A1:C100001")
    dutch = (
        "groot.xlsx, blad financien: het blad loopt door voorbij rij 100.000; Wijkimpact leest "
        "hoogstens 100.000 rijen per Excel-blad."
    )
    assert MAX_ROWS == 100_000
    assert str(problem).startswith(dutch)
    assert str(problem).endswith("(waarde: 'A1:C100001')")
    assert i18n.problem_message(problem) == problem.message
    i18n.use_language("en")
    try:
        english = i18n.problem_message(problem)
    finally:
        i18n.use_language("nl")
    assert english.startswith(
        "the sheet runs on past row 100,000; Wijkimpact reads at most 100,000 rows per Excel sheet."
    )
    assert problem.message.startswith("het blad loopt door voorbij rij 100.000;")  # unchanged
    assert problem.template.startswith("het blad loopt door voorbij rij {max};")


def test_a_problem_without_values_reads_as_written():
    """The validation's problems are plain Dutch texts: shown as written, braces and all."""
    from etl.api import InputError, Problem
    from wijkimpact import i18n

    problem = Problem("a.csv", None, 3, "jaar", "20x4", "geen jaartal {zoals 2024}")
    assert problem.message == "geen jaartal {zoals 2024}"
    assert i18n.problem_message(problem) == "geen jaartal {zoals 2024}"
    assert str(InputError(problem)) == (
        "a.csv, rij 3, kolom jaar: geen jaartal {zoals 2024} (waarde: '20x4')"
    )
    same = Problem("a.csv", None, 3, "jaar", "20x4", "geen jaartal {zoals 2024}")
    assert same == problem and len({problem, same}) == 1
