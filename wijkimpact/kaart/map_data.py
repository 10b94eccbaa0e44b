"""What the map colours: the metrics on offer, a value per area for a year or a change between
two years, number formats per unit, the download table and the enterprise markers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from wijkimpact.charts import map_parts
from wijkimpact.domain.metrics import METRICS
from wijkimpact.escaping import for_markdown, for_plotly
from wijkimpact.formatting import euro, number, signed
from wijkimpact.i18n import N_, _, indicator_label
from wijkimpact.kaart import lbm_classes, settings

# Enterprise metrics of the wijk_year view the map offers, in this order.
ENTERPRISE_METRICS = (
    "omzet",
    "eigen_verdiend",
    "resultaat",
    "geherinvesteerd",
    "geherinvesteerd_per_inwoner",
    "ondernemingen",
    "deelnemers",
    "vrijwilligersuren",
)
ENTERPRISE_SOURCE = "ondernemingen"
LBM_ORDER = ("lbm", "afw", "fys", "onv", "soc", "vrz", "won")
# Leefbaarometer dimensions are deviations from the national average: diverging colours.
DEVIATIONS = frozenset({"afw", "fys", "onv", "soc", "vrz", "won"})
SIGNED = frozenset({"resultaat"})  # profit or loss: diverging colours around 0 as well
DEFAULT_METRICS = ("omzet", "inwoners", "lbm")
# prefix, decimals, suffix per unit; any other unit: whole numbers unless values have decimals
UNIT_FORMATS = {
    "euro": ("€ ", 0, ""),
    "euro2": ("€ ", 2, ""),
    "score": ("", 2, ""),
    "%": ("", 1, "%"),
    "x 1.000 euro": ("", 1, ""),
    "personen": ("", 2, ""),
    "aantal": ("", 0, ""),
}
# units worth repeating in a legend title
TITLE_UNITS = {"x 1.000 euro", "ha", "inwoners per km²", "adressen per km²", "klasse 1-5"}
LEVEL_NAMES = {"wijk": N_("Wijk"), "buurt": N_("Buurt")}
CLIP_FROM = 50  # areas: from here on the colour range leaves out the outer 2% on each side
CLIP_QUANTILE = 0.98
# A change map: from this many areas on, the colours stop at the 95th percentile of the size of
# the changes, so that one wijk that changed a lot does not turn all others white.
CHANGE_CLIP_FROM = 5
CHANGE_QUANTILE = 0.95
CLASSED = "lbm"  # shown in the Leefbaarometer's nine classes (lbm_classes)


@dataclass(frozen=True)
class MapMetric:
    """Something the map can colour by: an enterprise metric or an area indicator."""

    key: str
    label: str
    unit: str | None
    source: str  # "ondernemingen", "CBS", "Leefbaarometer 3.0 (BZK)", ...
    years: tuple[int, ...]  # ascending
    deviation: bool = False  # a deviation or a profit/loss: diverging colours around 0

    @property
    def enterprise(self) -> bool:
        """Whether the metric comes from the enterprises' own figures."""
        return self.source == ENTERPRISE_SOURCE

    @property
    def option_label(self) -> str:
        """Label in the metric selector: 'Inwoners · CBS'."""
        source = _("ondernemingen") if self.enterprise else self.source
        return f"{self.label} · {source}"


@dataclass(frozen=True)
class Legend:
    """How the map shows values: colour bar title, number format, diverging or not."""

    title: str
    prefix: str
    decimals: int
    suffix: str
    diverging: bool
    change: bool = False
    zmin: float | None = None  # colour range; symmetric around 0 when diverging
    zmax: float | None = None
    clipped: bool = False  # the range stops at a percentile (quantile) of the values
    name: str = ""  # the metric's label (with its unit), without the change wording
    quantile: float = CLIP_QUANTILE  # where a clipped range stops
    bounds: tuple[float, ...] = ()  # class bounds: colours in classes (lbm_classes)
    classes: tuple[str, ...] = ()  # the names of those classes

    @property
    def d3_format(self) -> str:
        """Plotly (d3) number format; with the layout's separators ',.' it writes 1.234,5."""
        return f"{'+' if self.change else ''},.{self.decimals}f"

    def format(self, value: float | None) -> str:
        """The same format in Python (Babel, Dutch): '€ 1.234', '+12,5%', '–' when missing."""
        if value is None or pd.isna(value):
            return number(None)
        text = number(value, self.decimals)
        return f"{self.prefix}{signed(text) if self.change else text}{self.suffix}"


def catalogue(
    indicators: pd.DataFrame, enterprise_years: Iterable[int], level: str
) -> dict[str, MapMetric]:
    """Every metric the map can show at ``level``: enterprise metrics (wijken only, when there
    are enterprise figures), then the Leefbaarometer, then the other indicators by label.

    ``indicators`` has indicator, label_nl, unit, source, years (queries.map_indicators).
    """
    out: dict[str, MapMetric] = {}
    years = tuple(sorted({int(y) for y in enterprise_years}))
    if level == "wijk" and years:
        for key in ENTERPRISE_METRICS:
            metric = METRICS[key]
            out[key] = MapMetric(
                key, _(metric.label), metric.unit, ENTERPRISE_SOURCE, years, key in SIGNED
            )
    rank = {key: i for i, key in enumerate(LBM_ORDER)}
    rows = sorted(
        indicators.itertuples(),
        key=lambda r: (rank.get(r.indicator, len(rank)), str(r.label_nl).lower()),
    )
    for row in rows:
        if row.indicator in out or not len(row.years):
            continue
        out[row.indicator] = MapMetric(
            row.indicator,
            indicator_label(row._asdict()),
            row.unit if isinstance(row.unit, str) else None,
            str(row.source),
            tuple(int(y) for y in row.years),
            row.indicator in DEVIATIONS,
        )
    return out


def default_metric(options: Mapping[str, MapMetric]) -> str:
    """Omzet when there are enterprise figures, else inwoners, else the first metric."""
    return next((key for key in DEFAULT_METRICS if key in options), next(iter(options)))


def default_year(years: Iterable[int], preferred: int | None) -> int:
    """``preferred`` (the sidebar's year) when the metric has data for it, else the latest year
    before it (a Leefbaarometer edition comes every two years), else the latest."""
    years = list(years)
    before = [y for y in years if preferred is not None and y <= preferred]
    return max(before) if before else max(years)


def default_change(years: Iterable[int], preferred: int | None) -> tuple[int, int]:
    """Two years to compare by default: the earliest year, and the default year (else the
    latest); the same year twice when there is only one."""
    years = sorted(years)
    later = default_year(years, preferred)
    if later == years[0]:
        later = years[-1]
    return years[0], later


def year_values(areas: pd.DataFrame, values: pd.DataFrame, year: int) -> pd.DataFrame:
    """Every area (area_code, name) with its value in ``year``; NaN where there is none.

    ``onderdrukt`` is True where the value was withheld to protect an enterprise's private
    figures (queries.map_values gives that flag for enterprise metrics)."""
    chosen = values.loc[values["year"] == year, ["area_code", "value", *_flag(values)]]
    out = areas[["area_code", "name"]].merge(chosen, on="area_code", how="left")
    return _with_flag(out)


def change_values(
    areas: pd.DataFrame, values: pd.DataFrame, first: int, second: int
) -> pd.DataFrame:
    """Every area with its value in the earlier and the later of two years and the change
    (later - earlier); NaN where either is missing."""
    earlier, later = sorted((first, second))
    out = areas[["area_code", "name"]].assign(onderdrukt=False)
    for column, year in (("eerder", earlier), ("later", later)):
        part = values.loc[values["year"] == year, ["area_code", "value", *_flag(values)]]
        part = _with_flag(part.rename(columns={"value": column}))
        out = out.merge(part, on="area_code", how="left", suffixes=("", "_jaar"))
        out["onderdrukt"] = out["onderdrukt"] | out.pop("onderdrukt_jaar").fillna(False).astype(
            bool
        )
    return out.assign(value=out["later"] - out["eerder"])


def _flag(values: pd.DataFrame) -> list[str]:
    return ["onderdrukt"] if "onderdrukt" in values.columns else []


def _with_flag(frame: pd.DataFrame) -> pd.DataFrame:
    flag = frame["onderdrukt"] if "onderdrukt" in frame.columns else False
    return frame.assign(onderdrukt=pd.Series(flag, index=frame.index).fillna(False).astype(bool))


def missing_reasons(values: pd.DataFrame) -> pd.DataFrame:
    """``values`` with ``ontbreekt``, why an area has no value (map_parts.MISSING: no data,
    withheld for privacy, or no enterprise: see without_enterprise), and ``reden``, that reason
    as text, for the map's hover; plotly writes '<' as 6 bytes, so the markup stays in the
    hovertemplate. The areas' names travel in the map's GeoJSON file (ui.kaart.map_store)."""
    reason = values["onderdrukt"].map({True: map_parts.WITHHELD, False: map_parts.NO_DATA})
    if "ontbreekt" in values:
        reason = values["ontbreekt"].where(values["ontbreekt"].notna(), reason)
    reason = reason.where(values["value"].isna())
    return values.assign(
        ontbreekt=reason, reden=reason.map(map_parts.missing_label, na_action="ignore")
    )


def without_enterprise(values: pd.DataFrame, metric: MapMetric, hosts) -> pd.DataFrame:
    """An enterprise metric has no value, not 0, in a wijk without enterprises: there the
    number of enterprises is empty too, and ``ontbreekt`` says 'geen onderneming' for every
    wijk without a value that is no home wijk (``hosts``) and was not withheld."""
    if not metric.enterprise:
        return values
    out = values.copy()
    if metric.key == "ondernemingen" and "eerder" not in out:  # a change of 0 is a value
        out["value"] = out["value"].where(out["value"] != 0)
    empty = out["value"].isna() & ~out["onderdrukt"] & ~out["area_code"].isin(set(hosts))
    out["ontbreekt"] = pd.Series(None, index=out.index, dtype=object).where(
        ~empty, map_parts.NO_ENTERPRISE
    )
    return out


def legend(
    metric: MapMetric, values: pd.Series | None, change: tuple[int, int] | None = None
) -> Legend:
    """Title and number format for the map of ``metric``; ``change`` = (earlier, later)."""
    prefix, decimals, suffix = UNIT_FORMATS.get(metric.unit or "", ("", None, ""))
    if decimals is None:
        present = values.dropna() if values is not None else pd.Series(dtype="float64")
        decimals = 0 if present.empty or (present % 1 == 0).all() else 2
    name = metric.label
    if metric.unit in TITLE_UNITS:
        name += f" ({metric.unit})"
    lowered = name[0].lower() + name[1:]
    title = (
        _(
            "Verandering {naam}, {van}–{tot}",
            naam=lowered,
            van=change[0],
            tot=change[1],
        )
        if change
        else name
    )
    diverging = bool(change) or metric.deviation
    if metric.key == CLASSED and not change:  # the nine classes: their bounds are the range
        bounds = lbm_classes.BOUNDS
        low, high = bounds[0] - lbm_classes.CLASS_WIDTH, bounds[-1] + lbm_classes.CLASS_WIDTH
        return Legend(
            title,
            prefix,
            decimals,
            suffix,
            False,
            False,
            low,
            high,
            name=name,
            bounds=bounds,
            classes=lbm_classes.legend_names(),
        )
    quantile = CHANGE_QUANTILE if change else CLIP_QUANTILE
    zmin, zmax, clipped = colour_range(values, diverging, quantile if change else None)
    return Legend(
        title,
        prefix,
        decimals,
        suffix,
        diverging,
        bool(change),
        zmin,
        zmax,
        clipped,
        name,
        quantile,
    )


def colour_range(
    values: pd.Series | None, diverging: bool, change_quantile: float | None = None
) -> tuple[float | None, float | None, bool]:
    """zmin, zmax and whether outliers were left out: with CLIP_FROM values or more the range
    runs from the 2nd to the 98th percentile, so that a few very large wijken do not turn all
    others the same colour; a diverging range is symmetric around 0. A change map
    (``change_quantile``) stops at that quantile of the size of the changes from
    CHANGE_CLIP_FROM values on."""
    present = values.dropna().astype("float64") if values is not None else pd.Series()
    if present.empty:
        return None, None, False
    many = len(present) >= CLIP_FROM
    if diverging:
        size = present.abs()
        quantile = change_quantile or CLIP_QUANTILE
        many = len(present) >= (CHANGE_CLIP_FROM if change_quantile else CLIP_FROM)
        top = float(size.quantile(quantile) if many else size.max()) or 1.0
        return -top, top, bool(many and top < size.max())
    low, high = float(present.min()), float(present.max())
    if many:
        low, high = (float(q) for q in present.quantile([1 - CLIP_QUANTILE, CLIP_QUANTILE]))
    clipped = low > present.min() or high < present.max()
    return low, high, bool(clipped)


def value_text(value: float | None, unit: str | None) -> str:
    """One value as the map writes it for its unit: '€ 1.234', '12,5%', '2,13', '–'."""
    prefix, decimals, suffix = UNIT_FORMATS.get(unit or "", ("", None, ""))
    if decimals is None:
        decimals = 0 if value is None or pd.isna(value) or float(value) % 1 == 0 else 2
    return Legend("", prefix, decimals, suffix, False).format(value)


def source_note(metric: MapMetric, level: str) -> str:
    """'Bron: ...' for the map of ``metric``: CBS for the borders, plus the metric's source."""
    borders = _("CBS (wijkgrenzen)") if level == "wijk" else _("CBS (buurtgrenzen)")
    parts = [borders]
    if metric.enterprise:
        parts.append(_("de ondernemingen zelf"))
    elif metric.source.startswith("Leefbaarometer"):
        parts.append("Leefbaarometer 3.0, BZK")
    elif metric.source == "CBS":
        parts[0] = (
            _("CBS (wijkgrenzen en kerncijfers)")
            if level == "wijk"
            else _("CBS (buurtgrenzen en kerncijfers)")
        )
    else:
        parts.append(metric.source)
    return _("Bron: {bronnen}", bronnen="; ".join(parts))


def area_names(shapes: pd.DataFrame, with_gemeente: bool) -> pd.Series:
    """Hover names (escaped): the area's name, or its code; 'Centrum (Arnhem)' across
    gemeenten, where many wijken share a name."""
    names = shapes["name"].where(shapes["name"].notna(), shapes["area_code"]).astype(str)
    if with_gemeente:
        gemeente = shapes["gemeente_naam"].where(
            shapes["gemeente_naam"].notna(), shapes["gemeente_code"]
        )
        names = names + " (" + gemeente.astype(str) + ")"
    return names.map(for_plotly)


GAPS_NAMED = 12  # the missing gemeenten named in full; more: 'en nog N andere'


def gaps_note(names: Sequence[str], level: str) -> str:
    """What a map of all gemeenten leaves out: 'Op deze kaart ontbreken de wijken van 2
    gemeenten: Hengelo, Utrecht.' (names escaped for Markdown)."""
    shown = [for_markdown(name) for name in names[:GAPS_NAMED]]
    rest = len(names) - len(shown)
    listed = ", ".join(shown) + (_(" en nog {n} andere", n=rest) if rest > 0 else "")
    return (
        _(
            "Op deze kaart ontbreken de {gebieden} van {n} gemeenten: {namen}. Hun gebieden zijn "
            "niet geladen (`python -m etl areas` of `python -m etl fetch-cbs`).",
            gebieden=_(settings.LEVEL_LABELS[level]).lower(),
            n=len(names),
            namen=listed,
        )
        if len(names) != 1
        else _(
            "Op deze kaart ontbreken de {gebieden} van de gemeente {namen}: die zijn niet geladen "
            "(`python -m etl areas` of `python -m etl fetch-cbs`).",
            gebieden=_(settings.LEVEL_LABELS[level]).lower(),
            namen=listed,
        )
    )


NAMES_UP_TO = 40  # wijken: more than this (a large city, all of NL) and names hide the map


def name_labels(areas: pd.DataFrame, level: str) -> pd.DataFrame | None:
    """lat, lon, label: the wijk names (escaped) at their centres, for a map of at most
    NAMES_UP_TO wijken (one gemeente); None for buurten, larger maps, or no centres loaded."""
    if level != "wijk" or len(areas) > NAMES_UP_TO or "centroid_lat" not in areas:
        return None
    names = areas["name"].where(areas["name"].notna(), areas["area_code"]).astype(str)
    out = pd.DataFrame(
        {"lat": areas["centroid_lat"], "lon": areas["centroid_lon"], "label": names.map(for_plotly)}
    )
    return out.dropna(subset=["lat", "lon"]).reset_index(drop=True)


MANY_MARKERS = 200
SMALL_MARKERS = (4.0, 14.0)  # smallest and largest diameter in pixels for many markers


def markers(enterprises: pd.DataFrame, enterprise_years: pd.DataFrame, year: int) -> pd.DataFrame:
    """Enterprises as map dots: their omzet in ``year``, a marker size that grows with it
    (area ~ omzet) and a hover text (plain text, escaped): name, wijk and omzet. An enterprise
    without coordinates stands at the centre of its home wijk (wijk_lat, wijk_lon), and its
    hover says the place is approximate (``approximate`` True); one without either is left out.
    The description is in the wijk profile; on a national map with a thousand markers it would
    double what the browser gets."""
    located = enterprises["lat"].notna() & enterprises["lon"].notna()
    out = enterprises.assign(approximate=~located)
    if {"wijk_lat", "wijk_lon"} <= set(out.columns):
        out["lat"] = out["lat"].where(located, out["wijk_lat"])
        out["lon"] = out["lon"].where(located, out["wijk_lon"])
    out = out.dropna(subset=["lat", "lon"])
    omzet = enterprise_years.loc[enterprise_years["year"] == year, ["enterprise_id", "omzet"]]
    out = out.merge(omzet, on="enterprise_id", how="left")
    # a national map with a thousand enterprises: smaller dots, or they hide the areas
    out["size"] = marker_sizes(out["omzet"], *(SMALL_MARKERS if len(out) > MANY_MARKERS else ()))
    out["hover"] = [
        "<br>".join(
            for_plotly(line)
            for line in (
                r.name,
                r.wijk_naam if isinstance(r.wijk_naam, str) else r.area_code,
                _("Omzet {jaar}: {bedrag}", jaar=year, bedrag=euro(r.omzet)),
                _("Plaats bij benadering: midden van de wijk") if r.approximate else "",
            )
            if line
        )
        for r in out.itertuples()
    ]
    return out


def marker_sizes(omzet: pd.Series, smallest: float = 8.0, largest: float = 30.0) -> pd.Series:
    """Marker diameter in pixels, its area proportional to omzet; unknown omzet: smallest."""
    amount = pd.to_numeric(omzet, errors="coerce").clip(lower=0)
    top = amount.max()
    if pd.isna(top) or top <= 0:
        return pd.Series(smallest, index=omzet.index)
    return (smallest + (largest - smallest) * (amount / top) ** 0.5).fillna(smallest)
