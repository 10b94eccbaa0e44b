"""Partial years: which year a session opens on, how a year is labelled, and the years a trend
may show (from queries.year_periods: per year whether it is complete and which months it holds)."""

from __future__ import annotations

import pandas as pd

from wijkimpact.formatting import change_percent, change_points, month_name
from wijkimpact.i18n import _


def default_year(periods: pd.DataFrame) -> int | None:
    """The last complete year; the last year when none is complete; None without years."""
    if periods.empty:
        return None
    complete = periods.loc[periods["compleet"].astype(bool), "year"]
    return int(complete.max()) if not complete.empty else int(periods["year"].max())


def complete_years(periods: pd.DataFrame) -> list[int]:
    """The complete years, ascending."""
    return sorted(int(y) for y in periods.loc[periods["compleet"].astype(bool), "year"])


def months_label(months) -> str:
    """'januari t/m maart', 'januari' (one month), '' without months."""
    months = sorted(int(m) for m in (months if months is not None else []))
    if not months:
        return ""
    if months[0] == months[-1]:
        return month_name(months[0])
    return _("{van} t/m {tot}", van=month_name(months[0]), tot=month_name(months[-1]))


def _by_year(periods: pd.DataFrame) -> dict:
    """year -> (complete, months) from the few rows of queries.year_periods (a row per year):
    three column lists, cheaper than a pandas selection or a walk over Arrow cells in every
    script run."""
    return dict(
        zip(
            periods["year"].tolist(),
            zip(periods["compleet"].tolist(), periods["maanden"].tolist(), strict=True),
            strict=True,
        )
    )


def _label(year: int, held: tuple | None) -> str:
    if held is None or held[0]:
        return str(year)
    months = sorted(int(m) for m in held[1])
    if months == list(range(1, 13)) or not months:
        return _("{jaar}, onvolledig", jaar=year)
    return months_year_label(year, months)


def year_label(year: int | None, periods: pd.DataFrame) -> str:
    """'2024' for a complete year; '2025, januari t/m maart' for a year not yet complete;
    '2025, onvolledig' when some enterprise's year is not complete though the months run from
    January to December."""
    if year is None:
        return ""
    return _label(year, _by_year(periods).get(year))


def year_labels(years, periods: pd.DataFrame) -> dict[int, str]:
    """year_label of each of ``years``, from one look at ``periods``."""
    held = _by_year(periods)
    return {year: _label(year, held.get(year)) for year in years}


def months_year_label(year: int, months) -> str:
    """'2025, januari t/m maart': a year by the months it holds."""
    return _("{jaar}, {maanden}", jaar=year, maanden=months_label(months))


def is_complete(year: int | None, periods: pd.DataFrame) -> bool:
    """Whether ``year`` is complete (a year without figures counts as complete)."""
    held = _by_year(periods).get(year)
    return held is None or bool(held[0])


class Comparison:
    """A year's change figures from queries.like_for_like: the same enterprises, and for a year
    not yet complete the same months of the year before."""

    def __init__(self, frame: pd.DataFrame, year: int) -> None:
        self.year = year
        rows = frame.set_index("year") if not frame.empty else frame
        self.now = rows.loc[year] if year in rows.index else None
        self.before = rows.loc[year - 1] if year - 1 in rows.index else None

    def _pair(self, column: str) -> tuple[float | None, float | None]:
        if self.now is None or self.before is None:
            return None, None
        return self.now.get(column), self.before.get(column)

    def change_percent(self, column: str) -> str | None:
        """'+12,5%' against the year before, or None (nothing to compare, or withheld)."""
        return change_percent(*self._pair(column))

    def change_points(self, column: str) -> str | None:
        """'+2,1 %-punt' against the year before, or None."""
        return change_points(*self._pair(column))

    @property
    def sentence(self) -> str:
        """What the change figures compare."""
        if self.now is None or self.before is None:
            return _("Geen verschil met {vorig}: geen vergelijkbare cijfers.", vorig=self.year - 1)
        if bool(self.now["onderdrukt"]) and bool(self.before["onderdrukt"]):
            return ""  # withheld: the page says why
        n = int(self.now["ondernemingen"])
        if bool(self.now["per_maand"]):
            return _(
                "Verschil met dezelfde maanden van {vorig} ({maanden}), bij dezelfde "
                "ondernemingen ({n}); herinvesteringen worden per heel jaar vergeleken.",
                vorig=self.year - 1,
                maanden=months_label(self.now["maanden"]),
                n=n,
            )
        return _(
            "Verschil met {vorig}, bij dezelfde ondernemingen ({n}).", vorig=self.year - 1, n=n
        )


def comparison(frame: pd.DataFrame, year: int) -> Comparison:
    """The change figures of ``year`` from queries.like_for_like."""
    return Comparison(frame, year)
