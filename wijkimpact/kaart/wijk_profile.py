"""The wijk profile below the map: key figures against the gemeente, the enterprises active in
the wijk, what was reinvested there and the Leefbaarometer trend. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from wijkimpact.escaping import for_markdown
from wijkimpact.formatting import euro
from wijkimpact.i18n import N_, _, indicator_label
from wijkimpact.kaart.map_data import value_text

WIJK_CODE = re.compile(r"WK\d{4}[0-9A-Z]{2}")
# The key figures of the profile, in this order, when loaded.
KEY_FIGURES = (
    "inwoners",
    "huishoudens",
    "huishoudensgrootte",
    "inkomen_per_inwoner",
    "gestandaardiseerd_inkomen",
    "pct_huishoudens_laag_inkomen",
    "pct_0_15",
    "pct_65plus",
    "aantal_0_15",
    "aantal_65plus",
    "bevolkingsdichtheid",
    "woningvoorraad",
    "woz_waarde",
    "pct_koopwoningen",
    "pct_huurwoningen",
    "lbm",
)
WEIGHTED_NOTE = N_("*gemiddelde van de wijken, gewogen naar inwoners")


@dataclass(frozen=True)
class EnterpriseCard:
    """What the profile shows of one enterprise, as plain text (escaped for Markdown)."""

    name: str
    role: str
    description: str | None
    volunteers_wanted: str | None
    contact: str | None
    website: str | None  # a safe http(s) link, or None


def valid_wijk_code(code: object) -> str | None:
    """A wijk code from a link (?wijk=WK020201), upper case and trimmed; None when malformed."""
    text = str(code or "").strip().upper()
    return text if WIJK_CODE.fullmatch(text) else None


def names(area: pd.DataFrame) -> tuple[str, str, str]:
    """Name, gemeente code and gemeente name of queries.area_profile's row (codes for names
    that are not loaded)."""
    row = area.iloc[0]
    name = _text(row["name"]) or row["area_code"]
    return name, row["gemeente_code"], _text(row["gemeente_naam"]) or row["gemeente_code"]


def wijk_of(code: str | None, areas: pd.DataFrame) -> str | None:
    """The wijk of a clicked area: a wijk itself, the parent wijk of a buurt."""
    if not code:
        return None
    if code.startswith("BU"):
        parents = areas.set_index("area_code")["parent_code"]
        parent = parents.get(code)
        return parent if isinstance(parent, str) else "WK" + code[2:8]
    return code


def key_figures(stats: pd.DataFrame, wijk: str, gemeente: str) -> tuple[pd.DataFrame, bool]:
    """Kenmerk, Wijk, Gemeente, Jaar: each key figure of the wijk in its latest year, next to the
    gemeente's value of that year. Where the gemeente has no Leefbaarometer score of its own,
    the inhabitant-weighted mean of its wijken is shown (second value True, with a '*').

    ``stats`` is queries.profile_stats: area_code, level, year, indicator, value, label_nl, unit.
    """
    mine = stats[stats["area_code"] == wijk]
    rows, weighted = [], False
    for indicator in KEY_FIGURES:
        own = mine[mine["indicator"] == indicator]
        if own.empty:
            continue
        latest = own.loc[own["year"].idxmax()]
        year = int(latest["year"])
        unit = latest["unit"] if isinstance(latest["unit"], str) else None
        reference = _gemeente_value(stats, gemeente, indicator, year)
        mark = ""
        if reference is None and indicator == "lbm":
            reference = weighted_wijk_mean(stats, gemeente, indicator).get(year)
            mark, weighted = ("*", True) if reference is not None else ("", weighted)
        rows.append(
            {
                _("Kenmerk"): indicator_label(latest),
                _("Wijk"): value_text(latest["value"], unit),
                _("Gemeente"): value_text(reference, unit) + mark,
                _("Jaar"): str(year),
            }
        )
    columns = [_("Kenmerk"), _("Wijk"), _("Gemeente"), _("Jaar")]
    return pd.DataFrame(rows, columns=columns), weighted


def _gemeente_value(stats: pd.DataFrame, gemeente: str, indicator: str, year: int):
    at = stats["area_code"].eq(gemeente) & stats["indicator"].eq(indicator)
    match = stats[at & stats["year"].eq(year)]
    return None if match.empty else float(match["value"].iloc[0])


def weighted_wijk_mean(stats: pd.DataFrame, gemeente: str, indicator: str) -> pd.Series:
    """Per year: the mean of ``indicator`` over the gemeente's wijken, weighted by each wijk's
    inhabitants of the nearest year with a count (unweighted when no counts are loaded)."""
    wijken = stats[(stats["level"] == "wijk") & (stats["area_code"] != gemeente)]
    values = wijken.loc[wijken["indicator"] == indicator, ["area_code", "year", "value"]]
    if values.empty:
        return pd.Series(dtype="float64")
    people = wijken.loc[wijken["indicator"] == "inwoners", ["area_code", "year", "value"]]
    values = values.sort_values("year")
    if people.empty:
        values = values.assign(weight=1.0)
    else:
        values = pd.merge_asof(
            values,
            people.rename(columns={"value": "weight", "year": "weight_year"}).sort_values(
                "weight_year"
            ),
            left_on="year",
            right_on="weight_year",
            by="area_code",
            direction="nearest",
        )
    values = values.dropna(subset=["weight"])
    values = values[values["weight"] > 0]
    totals = (values["value"] * values["weight"]).groupby(values["year"]).sum()
    return (totals / values.groupby("year")["weight"].sum()).rename(indicator)


def lbm_trend(
    stats: pd.DataFrame, wijk: str, wijk_name: str, gemeente: str, gemeente_name: str
) -> pd.DataFrame:
    """year, reeks, value: the wijk's Leefbaarometer score per edition, and the gemeente's (its
    own score, or else the inhabitant-weighted mean of its wijken)."""
    lbm = stats[stats["indicator"] == "lbm"]
    own = lbm[lbm["area_code"] == wijk][["year", "value"]].sort_values("year")
    own = own.assign(reeks=wijk_name)
    town = lbm[lbm["area_code"] == gemeente][["year", "value"]]
    if town.empty:
        mean = weighted_wijk_mean(stats, gemeente, "lbm")
        town = pd.DataFrame({"year": mean.index, "value": mean.to_numpy()})
        label = _("{gemeente} (gemiddelde van de wijken)", gemeente=gemeente_name)
    else:
        label = gemeente_name
    town = town.sort_values("year").assign(reeks=label)
    if own.empty:
        return pd.DataFrame(columns=["year", "value", "reeks"])
    frames = [own] + ([town] if not town.empty else [])
    return pd.concat(frames, ignore_index=True)  # the wijk first


def enterprise_cards(enterprises: pd.DataFrame) -> list[EnterpriseCard]:
    """queries.active_enterprises rows as cards of escaped plain text."""
    cards = []
    for row in enterprises.itertuples():
        if row.thuiswijk:
            role = _("Gevestigd in deze wijk")
        else:
            home = _text(row.thuiswijk_naam)
            role = (
                _("Actief in deze wijk (gevestigd in {wijk})", wijk=home)
                if home
                else _("Actief in deze wijk")
            )
        cards.append(
            EnterpriseCard(
                name=for_markdown(row.name),
                role=for_markdown(role),
                description=_plain_or_none(row.description),
                volunteers_wanted=_plain_or_none(row.volunteers_wanted),
                contact=_plain_or_none(row.contact),
                website=safe_url(row.website),
            )
        )
    return cards


def reinvestment_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Jaar, Onderneming, Project, Thema, Bedrag (formatted), newest first; a project the
    viewer may not see in detail (summed per theme by the query) reads 'niet openbaar'."""
    return pd.DataFrame(
        {
            _("Jaar"): rows["year"].astype(int).astype(str),
            _("Onderneming"): rows["onderneming"],
            _("Project"): rows["project"].fillna(_("niet openbaar")),
            _("Thema"): rows["thema"],
            _("Bedrag"): [euro(v) for v in rows["amount"]],
        }
    )


@dataclass(frozen=True)
class ReinvestedYears:
    """What was reinvested in a wijk per year, as the profile shows it."""

    table: pd.DataFrame  # Jaar, Bedrag (and Totaal in de wijk where it differs): texts
    covered: tuple[int, ...]  # years whose wijk total holds private enterprises' amounts too
    withheld: tuple[int, ...]  # years whose wijk total is withheld: the amounts are partial


def reinvested_per_year(rows: pd.DataFrame, totals: pd.DataFrame | None = None) -> ReinvestedYears:
    """Per year, newest first: the sum of the amounts the viewer may see per enterprise
    (``rows``: queries.area_reinvestments), next to the wijk's total of every enterprise
    (``totals``: year, geherinvesteerd, onderdrukt_herinvesteringen, from queries.wijk_years:
    suppressed by access.suppress). The total is shown only where it differs from the visible
    sum or is withheld: then the visible sum is a part, and the profile says so."""
    visible = rows.groupby("year")["amount"].sum() if not rows.empty else pd.Series(dtype=float)
    whole = pd.Series(dtype="float64")
    flagged = pd.Series(dtype=bool)
    if totals is not None and not totals.empty:
        whole = totals.set_index("year")["geherinvesteerd"].astype("float64")
        flagged = totals.set_index("year")["onderdrukt_herinvesteringen"].astype(bool)
    years = sorted(set(visible.index) | set(whole.dropna().index) | set(flagged[flagged].index))
    years = [int(y) for y in reversed(years)]
    withheld = tuple(y for y in years if bool(flagged.get(y, False)))
    covered = tuple(
        y
        for y in years
        if y not in withheld
        and pd.notna(whole.get(y))
        and abs(float(whole[y]) - float(visible.get(y, 0.0))) >= 0.005
    )
    table = pd.DataFrame(
        {
            _("Jaar"): [str(y) for y in years],
            _("Bedrag"): [euro(visible[y]) if y in visible.index else "–" for y in years],
        }
    )
    if covered or withheld:
        table[_("Totaal in de wijk")] = [
            _("niet getoond") if y in withheld else euro(whole.get(y)) for y in years
        ]
    return ReinvestedYears(table, covered, withheld)


def year_list(years: tuple[int, ...]) -> str:
    """'2019', '2019 en 2022', '2019, 2021 en 2022' (ascending)."""
    texts = [str(y) for y in sorted(years)]
    if len(texts) < 2:
        return "".join(texts)
    return _("{eerste} en {laatste}", eerste=", ".join(texts[:-1]), laatste=texts[-1])


def safe_url(url: object) -> str | None:
    """An http(s) address to link to ('www.x.nl' gets https://); None for anything else."""
    text = _text(url)
    if not text or any(c.isspace() for c in text):
        return None
    if "://" not in text and re.match(r"^[\w-]+(\.[\w-]+)+(/.*)?$", text):
        text = "https://" + text
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _plain_or_none(value: object) -> str | None:
    text = _text(value)
    return for_markdown(text) if text else None
