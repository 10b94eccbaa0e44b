"""wijkimpact.domain.comparison on constructed data with a known answer, and on real Amstelveen
data."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.conftest import REAL, ROOT, need
from wijkimpact.domain import comparison
from wijkimpact.domain.comparison import (
    ComparisonData,
    default_reference_year,
    difference_in_differences,
    match_comparison_wijken,
    summarise_contribution,
)
from wijkimpact.domain.comparison.panel import panel

LBM_YEARS = (2014, 2016, 2018, 2020)


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Long stats table from (area_code, gemeente_code, year, indicator, value) rows."""
    return pd.DataFrame(rows, columns=["area_code", "gemeente_code", "year", "indicator", "value"])


def wijk(
    code,
    gemeente,
    *,
    inwoners=5000,
    hh=2.2,
    young=15.0,
    lbm=4.0,
    years=LBM_YEARS,
    lbm_by_year=None,
    cbs_year=2014,
) -> list[tuple]:
    """Rows for one wijk: CBS key figures in ``cbs_year`` and an lbm score per year."""
    rows = [
        (code, gemeente, cbs_year, "inwoners", float(inwoners)),
        (code, gemeente, cbs_year, "huishoudensgrootte", hh),
        (code, gemeente, cbs_year, "pct_0_15", young),
        (code, gemeente, cbs_year, "pct_25_45", 30.0),
        (code, gemeente, cbs_year, "pct_65plus", 35.0 - young),
    ]
    for year in years:
        value = lbm if lbm_by_year is None else lbm_by_year[year]
        rows.append((code, gemeente, year, "lbm", value))
    return rows


def improving_town(effect=0.20, noise=0.002, seed=1) -> pd.DataFrame:
    """WK000101 rises by ``effect`` after 2017; six similar wijken stay flat (small noise)."""
    rng = np.random.default_rng(seed)
    rows = wijk(
        "WK000101", "GM0001", lbm_by_year={y: 4.0 + (effect if y > 2017 else 0) for y in LBM_YEARS}
    )
    for i in range(2, 8):
        level = 3.9 + 0.03 * i
        scores = {y: level + rng.normal(0, noise) for y in LBM_YEARS}
        rows += wijk(f"WK0001{i:02d}", "GM0001", inwoners=4000 + 300 * i, lbm_by_year=scores)
    return frame(rows)


def test_a_panel_holds_each_wijks_first_value_of_a_year_sorted():
    rows = [
        ("WK000102", "GM0001", 2016, "lbm", 4.1),
        ("WK000101", "GM0001", 2018, "lbm", 3.8),
        ("WK000101", "GM0001", 2014, "lbm", None),  # no figure: no 2014 column
        ("WK000102", "GM0001", 2018, "lbm", 4.3),
        ("WK000102", "GM0001", 2018, "lbm", 9.9),  # a second value of that year: the first counts
        (None, "GM0001", 2020, "lbm", 5.0),  # no wijk
        ("WK000103", "GM0001", 2016, "inwoners", 5000.0),  # another indicator
    ]
    table = panel(frame(rows), "lbm")
    assert table.index.name == "area_code" and table.columns.name == "year"
    assert table.index.tolist() == ["WK000101", "WK000102"]
    assert table.columns.tolist() == [2016, 2018]
    assert np.isnan(table.at["WK000101", 2016]) and table.at["WK000101", 2018] == 3.8
    assert table.loc["WK000102"].tolist() == [4.1, 4.3]
    assert panel(frame(rows), "stedelijkheid").empty


def test_known_improvement_is_recovered_with_an_interval_that_excludes_zero():
    stats = improving_town()
    match = match_comparison_wijken(stats, "WK000101", 2017)
    assert match.ok and match.pool == "gemeente" and not match.fell_back
    assert match.baseline_year == 2017 and len(match.chosen) == comparison.K
    est = difference_in_differences(stats, "WK000101", match.chosen, "lbm", 2017)
    assert (est.before_year, est.after_year) == (2016, 2020)
    assert est.did == pytest.approx(0.20, abs=0.005)
    assert est.low <= est.did <= est.high
    assert est.low <= 0.20 <= est.high
    assert est.low > 0
    assert est.high - est.low < 0.01
    assert est.level == 0.90 and est.n_boot == 2000


def test_interval_is_seeded_and_widens_with_noise():
    quiet = improving_town(noise=0.002)
    noisy = improving_town(noise=0.05)
    codes = [f"WK0001{i:02d}" for i in range(2, 8)]
    a = difference_in_differences(quiet, "WK000101", codes, "lbm", 2017)
    b = difference_in_differences(quiet, "WK000101", codes, "lbm", 2017)
    c = difference_in_differences(noisy, "WK000101", codes, "lbm", 2017)
    assert (a.low, a.high) == (b.low, b.high)
    assert c.high - c.low > 5 * (a.high - a.low)


def test_no_change_gives_zero_and_an_interval_around_it():
    stats = improving_town(effect=0.0, noise=0.0)
    codes = [f"WK0001{i:02d}" for i in range(2, 8)]
    est = difference_in_differences(stats, "WK000101", codes, "lbm", 2017)
    assert est.did == pytest.approx(0.0, abs=1e-12)
    assert est.low == pytest.approx(0.0, abs=1e-12) and est.high == pytest.approx(0.0, abs=1e-12)
    assert comparison.change_text(est.did, "score") == "0,00"


def test_matching_picks_the_constructed_nearest_neighbours():
    rows = wijk("WK000101", "GM0001", inwoners=5000, hh=2.2, young=15.0, lbm=4.0)
    near = {
        "WK000102": (5100, 2.21, 15.2, 4.01),
        "WK000103": (4900, 2.19, 14.9, 3.99),
        "WK000104": (5300, 2.25, 15.5, 4.02),
    }
    far = {
        "WK000105": (20000, 1.6, 6.0, 3.7),
        "WK000106": (800, 3.0, 28.0, 4.4),
        "WK000107": (12000, 1.8, 9.0, 3.8),
    }
    for code, (inw, hh, young, lbm) in {**near, **far}.items():
        rows += wijk(code, "GM0001", inwoners=inw, hh=hh, young=young, lbm=lbm)
    match = match_comparison_wijken(frame(rows), "WK000101", 2017, k=3)
    assert set(match.chosen) == set(near)
    assert list(match.distances) == sorted(match.distances)
    assert match.distances[-1] < 0.5
    assert set(match.features) == set(comparison.FEATURES)
    assert match.feature_years == {**{f: 2014 for f in comparison.FEATURES}, "lbm": 2016}


def test_wijken_with_an_enterprise_are_never_comparison_wijken():
    stats = improving_town()
    match = match_comparison_wijken(stats, "WK000101", 2017, exclude={"WK000102", "WK000103"})
    assert not {"WK000102", "WK000103"} & set(match.chosen)
    assert len(match.chosen) == 4  # k = 5, but only 4 wijken are left


def test_too_few_in_the_gemeente_falls_back_to_other_gemeenten():
    rows = wijk("WK000101", "GM0001") + wijk("WK000102", "GM0001", lbm=4.01)
    for i in range(1, 6):
        rows += wijk(f"WK00020{i}", "GM0002", inwoners=5000 + 50 * i, lbm=4.0 + 0.01 * i)
    match = match_comparison_wijken(frame(rows), "WK000101", 2017, min_same_gemeente=3)
    assert match.ok and match.fell_back and match.pool == "alle wijken"
    assert "WK000102" in match.chosen
    assert any(code.startswith("WK0002") for code in match.chosen)


def test_fallback_prefers_the_same_stedelijkheid_class():
    def klass(code, gemeente, value):
        return [(code, gemeente, 2014, "stedelijkheid", float(value))]

    rows = wijk("WK000101", "GM0001") + klass("WK000101", "GM0001", 2)
    for i in range(1, 4):  # alike in figures but very urban
        rows += wijk(f"WK00020{i}", "GM0002") + klass(f"WK00020{i}", "GM0002", 1)
    for i in range(1, 4):  # a little less alike, same class
        rows += wijk(f"WK00030{i}", "GM0003", lbm=4.1) + klass(f"WK00030{i}", "GM0003", 2)
    match = match_comparison_wijken(frame(rows), "WK000101", 2017)
    assert match.pool == "stedelijkheid"
    assert set(match.chosen) == {"WK000301", "WK000302", "WK000303"}


def test_too_few_comparison_wijken_is_said_plainly():
    rows = wijk("WK000101", "GM0001") + wijk("WK000102", "GM0001") + wijk("WK000201", "GM0002")
    stats = frame(rows)
    match = match_comparison_wijken(stats, "WK000101", 2017)
    assert not match.ok
    assert match.reason.startswith("Te weinig vergelijkingswijken")
    assert match.pool == "alle wijken" and len(match.chosen) == 2
    data = ComparisonData(
        stats,
        pd.DataFrame(
            {"enterprise_id": ["e1"], "name": ["E"], "founded": [2017], "area_code": ["WK000101"]}
        ),
        pd.DataFrame({"area_code": ["WK000101"], "name": ["Een"], "gemeente_code": ["GM0001"]}),
    )
    summary, reason = summarise_contribution(data, "e1", 2020)
    assert summary is None and reason.startswith("Te weinig vergelijkingswijken")
    assert comparison.contribution_summary(data, "e1", 2020) is None


def test_too_few_years_is_said_plainly():
    stats = improving_town()
    codes = [f"WK0001{i:02d}" for i in range(2, 8)]
    est = difference_in_differences(stats, "WK000101", codes, "lbm", 2017, end_year=2016)
    assert not est.ok and est.reason.startswith("Te weinig jaren")
    one_year = stats[~((stats["indicator"] == "lbm") & (stats["year"] > 2014))]
    est = difference_in_differences(one_year, "WK000101", codes, "lbm", 2017)
    assert not est.ok and est.reason.startswith("Te weinig jaren")


def test_too_few_comparison_wijken_with_figures_in_both_years():
    stats = improving_town()
    codes = [f"WK0001{i:02d}" for i in range(2, 8)]
    gone = stats[
        ~(
            (stats["area_code"] != "WK000101")
            & (stats["year"] == 2020)
            & (stats["area_code"] > "WK000103")
        )
    ]
    est = difference_in_differences(gone, "WK000101", codes, "lbm", 2017)
    assert not est.ok and est.reason.startswith("Te weinig vergelijkingswijken")
    assert est.n_comparison == 2


def test_reference_year_without_figures_before_the_founding():
    stats = improving_town()
    assert default_reference_year(stats, "WK000101", 2017) == (2017, True)
    assert default_reference_year(stats, "WK000101", 2010) == (2014, False)
    data = ComparisonData(
        stats,
        pd.DataFrame(
            {"enterprise_id": ["e1"], "name": ["E"], "founded": [2010], "area_code": ["WK000101"]}
        ),
        pd.DataFrame({"area_code": ["WK000101"], "name": ["Een"], "gemeente_code": ["GM0001"]}),
    )
    analysis = comparison.analyse(data, "WK000101")
    assert analysis.reference_year == 2014 and not analysis.pre_founding
    note = comparison.baseline_note(analysis)
    assert note.startswith("Opgericht in 2010, vóór de eerste cijfers")
    assert "het referentiejaar is daarom het eerste jaar met cijfers (2014)" in note
    assert comparison.reference_options(stats, "WK000101") == [2014, 2015, 2016, 2017, 2018, 2019]


def test_features_only_measured_later_are_used_and_named():
    rows = []
    for i in range(1, 6):
        rows += wijk(
            f"WK00010{i}",
            "GM0001",
            inwoners=3000 + 500 * i,
            cbs_year=2024,
            years=(2014, 2018),
            lbm=4.0 + 0.02 * i,
        )
    match = match_comparison_wijken(frame(rows), "WK000101", 2016)
    assert match.baseline_year == 2016 and match.feature_years["lbm"] == 2014
    assert set(match.late_features) == set(comparison.FEATURES) - {"lbm"}
    assert "Inwoners (2024)" in comparison.features_text(match)


def test_age_shares_are_derived_from_counts():
    stats = frame(
        [
            ("WK000101", "GM0001", 2019, "inwoners", 1000.0),
            ("WK000101", "GM0001", 2019, "aantal_0_15", 150.0),
            ("WK000101", "GM0001", 2019, "aantal_65plus", 200.0),
            ("WK000101", "GM0001", 2019, "pct_65plus", 21.0),  # CBS's own share wins
        ]
    )
    shares = comparison.with_shares(stats).set_index("indicator")["value"]
    assert shares["pct_0_15"] == pytest.approx(15.0)
    assert shares["pct_65plus"] == 21.0


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.2, "score", "+0,20"),
        (-0.004, "score", "0,00"),
        (-0.031, "score", "-0,03"),
        (1234.4, "aantal", "+1.234"),
        (-0.05, "%", "-0,1"),
        (float("nan"), "score", "–"),
    ],
)
def test_change_text_is_dutch_and_never_minus_zero(value, unit, text):
    assert comparison.change_text(value, unit) == text


def test_methode_page_states_the_parameters():
    text = (ROOT / "wijkimpact" / "content" / "methode.md").read_text(encoding="utf-8")
    section = text.split("## Vergelijking met vergelijkbare wijken", 1)[1]
    assert f"k = {comparison.K}" in section
    assert f"minder dan\n  **{comparison.MIN_SAME_GEMEENTE}**" in section
    assert f"**{comparison.LEVEL:.0%}-interval**" in section
    assert "2.000" in section and str(comparison.N_BOOT) == "2000"
    assert "geen bewijs" in comparison.caveat_markdown()


def build_amstelveen(tmp_path) -> duckdb.DuckDBPyConnection:
    """Real Amstelveen wijken, CBS 2024 and Leefbaarometer 2014/2018, loaded by the ETL, plus
    one fictional enterprise founded in 2016 in Bankras, Kostverloren."""
    from etl.cli import main

    db = tmp_path / "amstelveen.duckdb"
    # the wijken from the GeoPackage of Arnhem and Amstelveen (the same CBS 2024 wijken as the
    # national GeoJSON, SOURCES.md): the ETL cleans a file's borders as one coverage, and the
    # national file's took 7 s; the comparison reads no geometry
    files = [
        need(REAL / n)
        for n in (
            "wijkenbuurten_2024_arnhem_amstelveen_rd.gpkg",
            "kwb_2024_gemeente_wijk.csv",
            "leefbaarometer_wijken_amstelveen_2014_2018.csv",
        )
    ]
    assert main(["areas", str(files[0]), "--gemeente", "GM0362", "--db", str(db)]) == 0
    assert main(["stats", str(files[1]), "--db", str(db)]) == 0
    assert main(["stats", str(files[2]), "--db", str(db)]) == 0
    con = duckdb.connect(str(db))
    con.execute(
        "insert into enterprise (enterprise_id, name, founded, area_code, public) "
        "values ('fictief', 'Fictieve wijkonderneming (test)', 2016, 'WK036206', true)"
    )
    return con


def test_real_amstelveen_leefbaarometer(tmp_path):
    con = build_amstelveen(tmp_path)
    summary, reason = summarise_contribution(con, "fictief", 2018)
    assert summary is not None, reason
    analysis, match = summary.analysis, summary.analysis.match
    assert analysis.reference_year == 2016 and analysis.pre_founding
    assert match.pool == "gemeente" and len(match.chosen) == comparison.K
    assert all(code.startswith("WK0362") for code in match.chosen)
    assert "WK036206" not in match.chosen and match.feature_years["lbm"] == 2014
    assert "inwoners" in match.late_features  # CBS figures exist for 2024 only
    assert (summary.lbm.before_year, summary.lbm.after_year) == (2014, 2018)
    assert summary.lbm.low <= summary.lbm.did <= summary.lbm.high
    want = con.execute(
        "select max(value) filter (where year = 2018) - max(value) filter (where year = 2014) "
        "from area_stat where indicator = 'lbm' and area_code = 'WK036206'"
    ).fetchall()[0][0]
    assert summary.lbm.change_wijk == pytest.approx(want)
    print(
        f"\n{summary.sentence()}\n{summary.baseline_note()}\nvergelijkingswijken: "
        f"{', '.join(summary.comparison_names)}"
    )
