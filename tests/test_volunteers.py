"""The money value of volunteer hours: each year at its own year's rate, or the rate an
installation sets."""

from __future__ import annotations

import pytest

from wijkimpact.domain.volunteers import RATE_VARIABLE, hour_rate, rates, volunteer_value

# The statutory minimum hourly wage (21 and older; before 2024 at a 36-hour week) per 1 January,
# as the Ministerie van SZW published it, plus the 8% holiday allowance.
WAGES = {2019: 10.36, 2020: 10.60, 2021: 10.80, 2022: 11.06, 2023: 12.40, 2024: 13.27,
         2025: 14.06, 2026: 14.71}  # fmt: skip


@pytest.fixture(autouse=True)
def no_setting(monkeypatch):
    monkeypatch.delenv(RATE_VARIABLE, raising=False)


@pytest.mark.parametrize("year", sorted(WAGES))
def test_each_year_is_valued_at_its_own_years_rate(year):
    value, rate = volunteer_value(250, year)
    assert (rate.year, rate.wage) == (year, WAGES[year])
    assert rate.rate == round(WAGES[year] * 1.08, 2)
    assert value == pytest.approx(250 * round(WAGES[year] * 1.08, 2))
    assert str(year) in rate.source  # the publication of that year's wage


def test_the_2024_hours_use_the_2024_rate_not_the_newest():
    assert volunteer_value(100, 2024)[0] == pytest.approx(100 * 14.33)
    assert volunteer_value(100, 2026)[0] == pytest.approx(100 * 15.89)


def test_a_year_without_a_rate_takes_the_nearest_year_before_it():
    assert hour_rate(max(WAGES) + 3).year == max(WAGES)
    assert hour_rate(2010).year == min(WAGES)  # before the first: the first year's
    assert [r.year for r in rates()] == sorted(WAGES)


@pytest.mark.parametrize(
    ("setting", "rate"),
    [
        ("16,20", 16.20),
        ("€ 16.20", 16.20),
        ("zestien", None),  # not a number: the rates per year count
        ("0", None),
    ],
)
def test_an_installation_may_set_one_rate_for_every_year(monkeypatch, setting, rate):
    monkeypatch.setenv(RATE_VARIABLE, setting)
    for year in (2019, 2024):
        value, used = volunteer_value(250, year)
        expected = rate if rate is not None else round(WAGES[year] * 1.08, 2)
        assert used.rate == pytest.approx(expected)
        assert used.year == (None if rate is not None else year)
        assert value == pytest.approx(250 * expected)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_methode_shows_each_years_rate_with_its_source_and_no_developer_parts(open_app, language):
    from wijkimpact import i18n

    i18n.use_language(language)  # AppTest formats the choices in the test's thread
    try:
        at = open_app("pages/methode.py", state={"taal": language})
        table = at.dataframe[0].value  # the rates come before the loaded area figures
        assert list(table.iloc[:, 0]) == [str(y) for y in sorted(WAGES)]
        rate_2024 = "€ 14.33" if language == "en" else "€ 14,33"
        assert table.iloc[list(table.iloc[:, 0]).index("2024"), 2] == rate_2024
        assert all(
            str(y) in source for y, source in zip(sorted(WAGES), table.iloc[:, 3], strict=True)
        )
        text = " ".join(m.value for m in at.markdown)
        for developer in ("views.sql", "WIJKIMPACT_UURTARIEF", "python -m etl", "wijkimpact/"):
            assert developer not in text
    finally:
        i18n.use_language("nl")
