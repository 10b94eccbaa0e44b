"""The annual report's numbers and texts, read through the dashboard's own queries and formats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from babel.dates import format_date

from wijkimpact.data import queries
from wijkimpact.data.access import Viewer
from wijkimpact.domain import metrics
from wijkimpact.domain.comparison import summarise_contribution
from wijkimpact.domain.volunteers import hour_rate, volunteer_value
from wijkimpact.formatting import (
    DASH,
    change_percent,
    change_points,
    euro,
    number,
    percent,
)
from wijkimpact.i18n import LOCALES, N_, _, current_language
from wijkimpact.report.sentences import dutch_list, explanations, plural, summary_text

# the fictional demo municipality (the same code as wijkimpact.ui.filters.DEMO_GEMEENTE, which
# this module does not import: it pulls in Streamlit, and the CLI runs without it)
DEMO_GEMEENTE = "GM9999"
SOURCE = N_("Bron: eigen opgave van de onderneming; cijfers uit Wijkimpact")


class ReportError(Exception):
    """A report cannot be made; the message is Dutch and meant for the user."""


class UnknownEnterprise(ReportError):
    """No enterprise with that id."""


class NoFigures(ReportError):
    """The enterprise has no figures for that year."""


class NotAllowed(ReportError):
    """The viewer may not see this enterprise's annual report."""


@dataclass(frozen=True)
class KeyNumber:
    """One number of the report: label, formatted value and a short note under it."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True, eq=False)
class ReportContent:
    """Everything the PDF shows, already formatted; chart data as small DataFrames."""

    enterprise_id: str
    year: int
    name: str
    subtitle: str
    description: str
    summary: str
    money: list[KeyNumber]
    people: list[KeyNumber]
    buildings: list[KeyNumber]
    reinvested: list[tuple[str, str, str, str]]  # project, thema, wijk, bedrag
    reinvested_total: str
    activities: list[tuple[str, str, str, str]]  # thema, activiteiten, deelnemers, uren
    properties: list[tuple[str, str, str, str, str]]  # pand, wijk, m², eigendom, bezetting
    explanations: list[tuple[str, str]]  # heading, plain Dutch text
    notes: list[str]  # warnings about the figures (e.g. months missing, demo data)
    comparison: tuple[str, str]  # heading, text: the wijk against comparable wijken
    footer: str
    income: pd.DataFrame = field(repr=False)  # year, categorie, income_type, sort_order, bedrag
    trend: pd.DataFrame = field(repr=False)  # year, verdienvermogen
    themes: pd.DataFrame = field(repr=False)  # thema, amount (this year)


def _versus(text: str | None, year: int) -> str:
    if text:
        return _("{verandering} t.o.v. {jaar}", verandering=text, jaar=year - 1)
    return _("geen cijfers over {jaar}", jaar=year - 1)


def known_enterprises(cur: queries.Cursor) -> str:
    """'id (naam), ...' of every enterprise, for error messages."""
    catalogue = queries.enterprises(cur)
    if catalogue.empty:
        return "er zijn nog geen ondernemingen geladen"
    return ", ".join(f"{r.enterprise_id} ({r.name})" for r in catalogue.itertuples())


def _enterprise(cur: queries.Cursor, enterprise_id: str) -> pd.Series:
    catalogue = queries.enterprises(cur).set_index("enterprise_id")
    if enterprise_id not in catalogue.index:
        raise UnknownEnterprise(
            f"Onbekende onderneming '{enterprise_id}'. Bekende ondernemingen: "
            f"{known_enterprises(cur)}."
        )
    return catalogue.loc[enterprise_id]


def _year_rows(
    cur: queries.Cursor, viewer: Viewer, enterprise_id: str, name: str, year: int
) -> tuple[pd.DataFrame, pd.Series, pd.Series | None]:
    rows = queries.enterprise_years(cur, viewer)
    mine = metrics.with_ratios(rows[rows["enterprise_id"] == enterprise_id]).sort_values("year")
    this_year = mine[mine["year"] == year]
    if this_year.empty:
        have = [str(y) for y in mine["year"]]
        known = f"Jaren met cijfers: {', '.join(have)}." if have else "Er zijn nog geen cijfers."
        raise NoFigures(f"{name} heeft geen cijfers over {year}. {known}")
    before = mine[mine["year"] == year - 1]
    return mine, this_year.iloc[0], before.iloc[0] if not before.empty else None


def _money(row: pd.Series, before: pd.Series | None, spent: pd.DataFrame, year: int):
    prev = before if before is not None else {}
    omzet = row["omzet"]
    projects, wijken = len(spent), spent["wijk_naam"].nunique()
    granted_share = row["gesubsidieerd"] / omzet if omzet else None
    return [
        KeyNumber(
            _("Omzet {jaar}", jaar=year),
            euro(omzet),
            _versus(change_percent(omzet, prev.get("omzet")), year),
        ),
        KeyNumber(
            _("Eigen verdiend inkomen"),
            euro(row["eigen_verdiend"]),
            _versus(change_percent(row["eigen_verdiend"], prev.get("eigen_verdiend")), year),
        ),
        KeyNumber(
            _("Verdienvermogen"),
            percent(row["verdienvermogen"]),
            _versus(change_points(row["verdienvermogen"], prev.get("verdienvermogen")), year),
        ),
        KeyNumber(
            _("Subsidies en fondsen"),
            euro(row["gesubsidieerd"]),
            _("{deel} van de omzet", deel=percent(granted_share))
            if granted_share is not None
            else "",
        ),
        KeyNumber(
            _("Resultaat"),
            euro(row["resultaat"]),
            _("omzet min kosten ({kosten})", kosten=euro(row["kosten"])),
        ),
        KeyNumber(
            _("Geherinvesteerd"),
            euro(row["geherinvesteerd"]),
            _(
                "{projecten} in {wijken}",
                projecten=plural(projects, "project", "projecten"),
                wijken=plural(wijken, "wijk", "wijken"),
            )
            if projects
            else _("geen projecten dit jaar"),
        ),
    ]


def _people(row: pd.Series, activities: pd.DataFrame, year: int) -> list[KeyNumber]:
    hours = row["vrijwilligersuren"]
    value, rate = volunteer_value(hours, year)
    count = int(activities["activiteiten"].sum()) if not activities.empty else 0
    return [
        KeyNumber(
            _("Deelnemers"),
            number(row["deelnemers"]),
            _("opgeteld over {n} activiteiten", n=count),
        ),
        KeyNumber(
            _("Vrijwilligersinzet"),
            number(row["vrijwilligers"]),
            _("keer dat vrijwilligers meehielpen"),
        ),
        KeyNumber(_("Vrijwilligersuren"), number(hours), _("uren onbetaald werk voor de wijk")),
        KeyNumber(
            _("Waarde vrijwilligersuren"),
            euro(value),
            _("{uren} uur × {tarief}", uren=number(hours), tarief=euro(rate.rate, 2)),
        ),
    ]


def _buildings(buildings: pd.DataFrame) -> list[KeyNumber]:
    if buildings.empty:
        return []
    m2 = buildings["m2"].sum(min_count=1)
    known = buildings.dropna(subset=["m2", "occupancy_pct"])
    weighted = (
        (known["m2"] * known["occupancy_pct"]).sum() / known["m2"].sum() / 100
        if not known.empty and known["m2"].sum()
        else None
    )
    owned = int(buildings["owned"].fillna(False).astype(bool).sum())
    return [
        KeyNumber(
            _("Vastgoed"),
            f"{number(m2)} m²",
            _(
                "{panden}, {n} in eigendom",
                panden=plural(len(buildings), "pand", "panden"),
                n=number(owned),
            ),
        ),
        KeyNumber(_("Bezetting"), percent(weighted, 0), _("gemiddeld, gewogen naar m²")),
    ]


def _notes(
    cur: queries.Cursor, viewer: Viewer, info: pd.Series, enterprise_id: str, year: int
) -> list[str]:
    notes = []
    if info["gemeente_code"] == DEMO_GEMEENTE:
        notes.append(_("Demodata: deze onderneming, de gemeente en alle cijfers zijn fictief."))
    loaded = queries.data_completeness(cur, viewer)
    mine = loaded[(loaded["enterprise_id"] == enterprise_id) & (loaded["year"] == year)]
    if not mine.empty:
        months = len(mine.iloc[0]["maanden"])
        if not mine.iloc[0]["jaarcijfers"] and 0 < months < 12:
            notes.append(
                _(
                    "Let op: de financiële cijfers over {jaar} beslaan {n} van de 12 maanden.",
                    jaar=year,
                    n=months,
                )
            )
    return notes


def _footer(cur: queries.Cursor, viewer: Viewer, enterprise_id: str) -> str:
    loaded = queries.enterprise_loaded_at(cur, viewer, enterprise_id)
    if loaded is None:
        return f"{_(SOURCE)}."
    when = loaded.date() if isinstance(loaded, dt.datetime) else loaded
    locale = LOCALES[current_language()]
    date = format_date(when, "d MMMM y", locale=locale)
    return _("{bron}, stand {datum}.", bron=_(SOURCE), datum=date)


def _comparison(cur: queries.Cursor, enterprise_id: str, year: int) -> tuple[str, str]:
    """The /bijdrage comparison for the report, or why there is not enough data for it."""
    heading = _("De wijk naast vergelijkbare wijken")
    summary, reason = summarise_contribution(cur, enterprise_id, year)
    if summary is None:
        return heading, (
            _(
                "Er zijn niet genoeg gegevens om de wijk te vergelijken met vergelijkbare wijken "
                "zonder wijkonderneming."
            )
            + f" {reason}"
        ).strip()
    names = dutch_list(list(summary.comparison_names))
    return heading, (
        summary.sentence()
        + " "
        + _("Vergeleken met {namen}.", namen=names)
        + f" {summary.baseline_note()} {_(summary.caveat)}"
    ).replace("  ", " ").strip()


def report_content(
    cur: queries.Cursor, viewer: Viewer, enterprise_id: str, year: int
) -> ReportContent:
    """The numbers and texts of one enterprise's annual report; raises ReportError (Dutch).

    The report is detail: only the enterprise itself, its funders and beheerders may have it
    (NotAllowed otherwise). The report CLI runs on the server as a beheerder."""
    info = _enterprise(cur, enterprise_id)
    name = str(info["name"])
    if not viewer.detail(enterprise_id):
        raise NotAllowed(
            f"Het jaarverslag van {name} is alleen voor de onderneming zelf, haar financiers "
            "en beheerders."
        )
    mine, row, before = _year_rows(cur, viewer, enterprise_id, name, year)
    income = queries.income_by_source(cur, viewer, enterprise_id)
    income = income[income["kind"] == "inkomsten"].reset_index(drop=True)
    if current_language() != "nl" and "categorie_en" in income:  # the category's own label
        income["categorie"] = income["categorie_en"].fillna(income["categorie"])
    spent = queries.reinvestments(cur, viewer, enterprise_id=enterprise_id)
    spent = spent[spent["year"] == year].reset_index(drop=True)
    spent["wijk_naam"] = spent["wijk_naam"].fillna(spent["area_code"])
    activities = queries.activity_themes(cur, viewer, enterprise_id, year)
    buildings = queries.properties(cur, viewer, enterprise_id)

    place = [info.get("wijk_naam"), info.get("gemeente_naam")]
    founded = info["founded"]
    extra = [_("opgericht {jaar}", jaar=int(founded)) if pd.notna(founded) else None]
    extra.append(info["legal_form"] if pd.notna(info["legal_form"]) else None)
    subtitle = " · ".join(str(p) for p in [*place, *extra] if p and pd.notna(p))
    themes = (
        spent.assign(thema=spent["thema"].map(lambda t: _(str(t))))
        .groupby("thema", as_index=False)["amount"]
        .sum()
        .sort_values("amount")
        if not spent.empty
        else pd.DataFrame(columns=["thema", "amount"])
    )
    return ReportContent(
        comparison=_comparison(cur, enterprise_id, year),
        enterprise_id=enterprise_id,
        year=year,
        name=name,
        subtitle=subtitle,
        description=str(info["description"]) if pd.notna(info["description"]) else "",
        summary=summary_text(name, row, income, spent, year),
        money=_money(row, before, spent, year),
        people=_people(row, activities, year),
        buildings=_buildings(buildings),
        reinvested=[
            (r.project, _(str(r.thema)), r.wijk_naam, euro(r.amount)) for r in spent.itertuples()
        ],
        reinvested_total=euro(row["geherinvesteerd"]),
        activities=[
            (
                _(str(r.thema)),
                number(r.activiteiten),
                number(r.deelnemers),
                number(r.vrijwilligersuren),
            )
            for r in activities.itertuples()
        ],
        properties=[
            (
                r.name,
                r.wijk_naam if isinstance(r.wijk_naam, str) else DASH,
                f"{number(r.m2)} m²" if pd.notna(r.m2) else DASH,
                {True: _("ja"), False: _("nee")}.get(r.owned, DASH) if pd.notna(r.owned) else DASH,
                percent(r.occupancy_pct / 100, 0) if pd.notna(r.occupancy_pct) else DASH,
            )
            for r in buildings.itertuples()
        ],
        explanations=explanations(hour_rate(year)),
        notes=_notes(cur, viewer, info, enterprise_id, year),
        footer=_footer(cur, viewer, enterprise_id),
        income=income[["year", "categorie", "income_type", "sort_order", "bedrag"]],
        trend=mine[["year", "verdienvermogen"]].reset_index(drop=True),
        themes=themes.reset_index(drop=True),
    )
