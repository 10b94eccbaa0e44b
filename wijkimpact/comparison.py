"""Comparison wijken and difference-in-differences: does a wijk with an enterprise change
differently from similar wijken without one? Pure functions on a long table of wijk figures
(area_code, gemeente_code, year, indicator, value)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wijkimpact.formatting import number, signed
from wijkimpact.i18n import N_

LBM = ("lbm", "fys", "onv", "soc", "vrz", "won")
AGE_GROUPS = ("0_15", "15_25", "25_45", "45_65", "65plus")
# Size, household size, three age shares (the five shares sum to 100%) and liveability.
FEATURES = ("inwoners", "huishoudensgrootte", "pct_0_15", "pct_25_45", "pct_65plus", "lbm")
LOG_FEATURES = frozenset({"inwoners"})  # wijken differ in size by orders of magnitude
URBANISATION = "stedelijkheid"
K = 5
MIN_SAME_GEMEENTE = 3
MIN_COMPARISON = 3
N_BOOT = 2000
LEVEL = 0.90
SEED = 2024
NEEDED = tuple(sorted({*FEATURES, *LBM, URBANISATION, *(f"aantal_{g}" for g in AGE_GROUPS)}))
POOLS = {
    "gemeente": N_("dezelfde gemeente"),
    "stedelijkheid": N_("wijken met dezelfde stedelijkheid, ook in andere gemeenten"),
    "alle wijken": N_("alle geladen wijken, ook in andere gemeenten"),
}
LABELS = {
    "lbm": N_("Leefbaarometer-score"),
    "fys": N_("Fysieke omgeving"),
    "onv": N_("Overlast en onveiligheid"),
    "soc": N_("Sociale samenhang"),
    "vrz": N_("Voorzieningen"),
    "won": N_("Woningvoorraad"),
    "inwoners": N_("Inwoners"),
    "huishoudensgrootte": N_("Gemiddelde huishoudensgrootte"),
    "pct_0_15": N_("Inwoners 0 tot 15 jaar (%)"),
    "pct_15_25": N_("Inwoners 15 tot 25 jaar (%)"),
    "pct_25_45": N_("Inwoners 25 tot 45 jaar (%)"),
    "pct_45_65": N_("Inwoners 45 tot 65 jaar (%)"),
    "pct_65plus": N_("Inwoners 65 jaar of ouder (%)"),
}
CHANGE_DECIMALS = {"score": 2, "personen": 2, "%": 1, "x 1.000 euro": 1}
CAVEAT = Path(__file__).parent / "content" / "bijdrage.md"
ASSOCIATION_NOTE = N_(
    "Dit is een samenhang, geen bewijs dat de onderneming de wijk veranderde: ook andere "
    "dingen kunnen het verschil verklaren."
)
# estimate_table's and match_table's columns (Dutch; /bijdrage shows them translated)
TABLE_COLUMNS = (
    N_("Indicator"),
    N_("Van"),
    N_("Tot"),
    N_("Verandering wijk"),
    N_("Verandering vergelijkingswijken"),
    N_("Verschil"),
    N_("Vergelijkingswijken"),
    N_("Opmerking"),
    N_("Wijk"),
    N_("Code"),
    N_("Gemeente"),
    N_("Afstand"),
)


@dataclass(frozen=True)
class MatchResult:
    """The comparison wijken chosen for one wijk, and how they were chosen."""

    treated: str
    founding_year: int | None
    baseline_year: int
    chosen: tuple[str, ...]
    distances: tuple[float, ...]  # root mean square difference, in standard deviations
    pool: str  # a key of POOLS
    features: tuple[str, ...]  # the features that could be used
    feature_years: dict[str, int]  # the year each feature was measured in
    candidates: int  # wijken in the pool that could be compared at all
    k: int = K
    min_same_gemeente: int = MIN_SAME_GEMEENTE
    min_comparison: int = MIN_COMPARISON
    reason: str | None = None  # why there is no usable comparison group

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def fell_back(self) -> bool:
        """Whether wijken outside the gemeente were needed."""
        return self.pool != "gemeente"

    @property
    def late_features(self) -> tuple[str, ...]:
        """Features measured only after the baseline year."""
        return tuple(f for f in self.features if self.feature_years[f] > self.baseline_year)


@dataclass(frozen=True)
class Estimate:
    """Difference-in-differences of one indicator, with a bootstrap interval."""

    indicator: str
    reference_year: int
    before_year: int | None = None
    after_year: int | None = None
    change_wijk: float = float("nan")
    change_group: float = float("nan")  # mean change of the comparison wijken
    did: float = float("nan")  # change_wijk - change_group
    low: float = float("nan")
    high: float = float("nan")
    n_comparison: int = 0
    level: float = LEVEL
    n_boot: int = N_BOOT
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def before_is_late(self) -> bool:
        """No figure up to the reference year: the first later year serves as 'before'."""
        return self.before_year is not None and self.before_year > self.reference_year


@dataclass(frozen=True)
class ComparisonData:
    """What the comparison needs from the database, as frames."""

    stats: pd.DataFrame  # area_code, gemeente_code, year, indicator, value (wijken only)
    enterprises: pd.DataFrame  # enterprise_id, name, founded, area_code
    wijken: pd.DataFrame  # area_code, name, gemeente_code


@dataclass(frozen=True)
class Analysis:
    """One wijk with an enterprise against its comparison wijken."""

    wijk_code: str
    founding_year: int | None
    reference_year: int
    pre_founding: bool  # there are figures from before the founding year
    end_year: int | None
    match: MatchResult
    estimates: dict[str, Estimate]


@dataclass(frozen=True)
class ContributionSummary:
    """The headline for the annual report: the Leefbaarometer score against the comparison."""

    enterprise_id: str
    wijk_code: str
    wijk_name: str
    comparison_names: tuple[str, ...]
    analysis: Analysis
    lbm: Estimate
    caveat: str = ASSOCIATION_NOTE

    def sentence(self) -> str:
        """'Leefbaarometer-score in X: +0,03 t.o.v. vergelijkingsgroep (2014–2018, ...).'"""
        return f"Leefbaarometer-score in {self.wijk_name}: {estimate_text(self.lbm, 'score')}."

    def baseline_note(self) -> str:
        return baseline_note(self.analysis)


def load_data(cur, indicators: Iterable[str] = NEEDED) -> ComparisonData:
    """Read the frames from a database cursor (the only function here that touches it)."""
    from wijkimpact import queries

    return ComparisonData(
        queries.wijk_stats(cur, tuple(sorted(set(indicators) | set(NEEDED)))),
        queries.enterprises(cur),
        queries.wijken(cur),
    )


def with_shares(stats: pd.DataFrame) -> pd.DataFrame:
    """Add age shares (pct_0_15 ...) computed from counts where CBS gave only counts."""
    if stats.attrs.get("with_shares"):
        return stats
    inw = stats[stats["indicator"] == "inwoners"][["area_code", "year", "value"]]
    counts = stats[stats["indicator"].isin([f"aantal_{g}" for g in AGE_GROUPS])]
    counts = counts.merge(inw.rename(columns={"value": "inw"}), on=["area_code", "year"])
    counts = counts[counts["inw"] > 0]
    derived = counts.assign(
        indicator="pct_" + counts["indicator"].str.removeprefix("aantal_"),
        value=100 * counts["value"] / counts["inw"],
    ).drop(columns="inw")
    keys = ["area_code", "year", "indicator"]
    shares = stats[stats["indicator"].isin(derived["indicator"].unique())]
    have = pd.MultiIndex.from_frame(shares[keys])
    derived = derived[~pd.MultiIndex.from_frame(derived[keys]).isin(have)]
    out = pd.concat([stats, derived], ignore_index=True) if len(derived) else stats.copy()
    out.attrs["with_shares"] = True  # the functions below call this again: make that free
    return out


def founding_year(enterprises: pd.DataFrame, wijk_code: str) -> int | None:
    """The earliest founding year of the enterprises based in a wijk."""
    years = enterprises.loc[enterprises["area_code"] == wijk_code, "founded"].dropna()
    return int(years.min()) if len(years) else None


def _treated_years(stats, wijk_code, indicators) -> pd.Series:
    rows = stats[(stats["area_code"] == wijk_code) & stats["indicator"].isin(indicators)]
    return rows.loc[rows["value"].notna(), "year"].astype(int)


def default_reference_year(
    stats: pd.DataFrame, wijk_code: str, founded: int | None, indicators=(*FEATURES, *LBM)
) -> tuple[int | None, bool]:
    """The default reference year and whether there are figures from before the founding.

    The founding year when the wijk has figures from before it; otherwise the first year
    with figures (and False). None when the wijk has no figures at all."""
    years = _treated_years(with_shares(stats), wijk_code, indicators)
    if years.empty:
        return founded, False
    if founded is not None and years.min() < founded:
        return founded, True
    return int(years.min()), False


def reference_options(stats: pd.DataFrame, wijk_code: str, end_year: int | None = None):
    """Years that can serve as reference year: from the first year with figures up to (not
    including) the last, so that there is an 'after'."""
    years = _treated_years(with_shares(stats), wijk_code, (*FEATURES, *LBM))
    if end_year is not None:
        years = years[years <= end_year]
    return list(range(int(years.min()), int(years.max()))) if len(years) else []


def _panel(stats: pd.DataFrame, indicator: str) -> pd.DataFrame:
    rows = stats[(stats["indicator"] == indicator) & stats["value"].notna()]
    return rows.pivot_table(index="area_code", columns="year", values="value", aggfunc="first")


def _year_for(panel: pd.DataFrame, code: str, baseline: int) -> int | None:
    """The latest year up to the baseline with a value for ``code``, else the first after it."""
    if code not in panel.index:
        return None
    years = panel.loc[code].dropna().index
    if years.empty:
        return None
    before = years[years <= baseline]
    return int(before.max() if len(before) else years.min())


def _distances(stats, treated, codes, baseline, features):
    """Root mean square of the standardised differences to ``treated``, per candidate."""
    diffs, used, years = {}, [], {}
    pool = [treated, *codes]
    for feature in features:
        panel = _panel(stats, feature)
        year = _year_for(panel, treated, baseline)
        if year is None:
            continue
        values = panel[year].reindex(pool)
        if feature in LOG_FEATURES:
            values = np.log(values.where(values > 0))
        if values.drop(treated).count() < 2:
            continue
        sd = values.std(ddof=1)  # 0: every wijk has the same value, so no one differs
        diffs[feature] = (values.drop(treated) - values[treated]) / (sd if sd > 0 else 1.0)
        used.append(feature)
        years[feature] = year
    frame = pd.DataFrame(diffs, index=list(codes), columns=used)
    # a candidate must have at least half of the features; missing ones are left out
    enough = frame.notna().sum(axis=1) * 2 >= max(len(used), 1)
    distance = np.sqrt((frame[enough] ** 2).mean(axis=1, skipna=True)).dropna()
    order = sorted(distance.index, key=lambda c: (distance[c], c))
    return distance.loc[order], tuple(used), years


def match_comparison_wijken(
    stats: pd.DataFrame,
    treated_code: str,
    founding_year: int | None,
    *,
    baseline_year: int | None = None,
    exclude: Iterable[str] = (),
    k: int = K,
    min_same_gemeente: int = MIN_SAME_GEMEENTE,
    min_comparison: int = MIN_COMPARISON,
    features: Sequence[str] = FEATURES,
) -> MatchResult:
    """Choose the k wijken without an enterprise that resembled ``treated_code`` most in the
    baseline year (default: default_reference_year()).

    Each feature is taken in the latest year up to the baseline year in which the treated wijk
    has it, otherwise in its first later year (MatchResult.late_features says which).
    Features are standardised over the pool (inhabitants on a log scale); the distance is the
    root mean square of the standardised differences over the features a candidate has (at
    least half of them). The pool is the wijk's own gemeente; with fewer than
    ``min_same_gemeente`` comparable wijken there it becomes the wijken of the same
    stedelijkheid class anywhere, or, without that indicator, all loaded wijken.
    ``exclude`` holds the wijken with an enterprise."""
    stats = with_shares(stats)
    if baseline_year is None:
        baseline_year = default_reference_year(stats, treated_code, founding_year)[0]
    gemeenten = stats.drop_duplicates("area_code").set_index("area_code")["gemeente_code"]
    base = {
        "treated": treated_code,
        "founding_year": founding_year,
        "k": k,
        "min_same_gemeente": min_same_gemeente,
        "min_comparison": min_comparison,
    }
    if treated_code not in gemeenten.index or baseline_year is None:
        return MatchResult(
            **base,
            baseline_year=baseline_year or 0,
            chosen=(),
            distances=(),
            pool="gemeente",
            features=(),
            feature_years={},
            candidates=0,
            reason="Te weinig jaren: er zijn geen cijfers voor deze wijk.",
        )
    others = gemeenten.drop([treated_code, *exclude], errors="ignore")
    same = others[others == gemeenten[treated_code]].index
    distance, used, years = _distances(stats, treated_code, same, baseline_year, features)
    pool = "gemeente"
    if len(distance) < min_same_gemeente:
        for wider, codes in _fallbacks(stats, treated_code, others, same, baseline_year):
            distance, used, years = _distances(stats, treated_code, codes, baseline_year, features)
            pool = wider
            if len(distance) >= min_comparison:
                break
    chosen = distance.iloc[:k]
    reason = None
    if not used:
        reason = (
            "Te weinig vergelijkingswijken: deze wijk heeft geen kenmerken om op te vergelijken."
        )
    elif len(chosen) < min_comparison:
        reason = (
            f"Te weinig vergelijkingswijken: {len(chosen)} gevonden, minstens "
            f"{min_comparison} nodig."
        )
    return MatchResult(
        **base,
        baseline_year=baseline_year,
        chosen=tuple(chosen.index),
        distances=tuple(float(d) for d in chosen),
        pool=pool,
        features=used,
        feature_years=years,
        candidates=len(distance),
        reason=reason,
    )


def _fallbacks(stats, treated, others, same, baseline):
    """Wider pools, in order: same stedelijkheid class anywhere, then all loaded wijken."""
    panel = _panel(stats, URBANISATION)
    year = _year_for(panel, treated, baseline)
    if year is not None:
        klass = panel[year].reindex(others.index)
        alike = klass[klass == panel.loc[treated, year]].index
        yield "stedelijkheid", same.union(alike)
    yield "alle wijken", others.index


def difference_in_differences(
    stats: pd.DataFrame,
    treated_code: str,
    comparison: Sequence[str],
    indicator: str,
    reference_year: int,
    *,
    end_year: int | None = None,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
    seed: int = SEED,
    min_comparison: int = MIN_COMPARISON,
) -> Estimate:
    """Change in the wijk minus the mean change of the comparison wijken, from the last year
    with a figure up to ``reference_year`` (or the first after it) to the last year up to
    ``end_year``; the interval is a percentile bootstrap over the comparison wijken (seeded)."""
    base = {
        "indicator": indicator,
        "reference_year": reference_year,
        "level": level,
        "n_boot": n_boot,
    }
    panel = _panel(with_shares(stats), indicator)
    before = _year_for(panel, treated_code, reference_year)
    if before is None:
        return Estimate(**base, reason="Te weinig jaren: geen cijfers voor deze wijk.")
    years = panel.loc[treated_code].dropna().index
    after = years[(years > before) & (years <= (end_year or years.max()))]
    if after.empty:
        return Estimate(
            **base,
            before_year=before,
            reason=f"Te weinig jaren: geen cijfers na {before} om mee te vergelijken.",
        )
    after = int(after.max())
    rows = panel.reindex(list(comparison))
    changes = (rows[after] - rows[before]).dropna()
    wijk = panel.loc[treated_code, after] - panel.loc[treated_code, before]
    found = {
        **base,
        "before_year": before,
        "after_year": after,
        "change_wijk": float(wijk),
        "n_comparison": len(changes),
    }
    if len(changes) < min_comparison:
        return Estimate(
            **found,
            reason=f"Te weinig vergelijkingswijken met cijfers voor {before} en {after}: "
            f"{len(changes)}, minstens {min_comparison} nodig.",
        )
    values = changes.to_numpy(dtype=float)
    draws = np.random.default_rng(seed).integers(0, len(values), size=(n_boot, len(values)))
    spread = wijk - values[draws].mean(axis=1)
    low, high = np.quantile(spread, [(1 - level) / 2, (1 + level) / 2])
    return Estimate(
        **found,
        change_group=float(values.mean()),
        did=float(wijk - values.mean()),
        low=float(low),
        high=float(high),
    )


def trend(
    stats: pd.DataFrame,
    treated_code: str,
    comparison: Sequence[str],
    indicator: str,
    estimate: Estimate | None = None,
) -> pd.DataFrame:
    """Per year: the wijk, the comparison mean, min and max, and (from the 'before' year of
    ``estimate``) the path the wijk would follow if it changed like the group."""
    panel = _panel(with_shares(stats), indicator)
    group = panel.reindex(list(comparison))
    out = pd.DataFrame(
        {
            "wijk": panel.loc[treated_code] if treated_code in panel.index else np.nan,
            "groep": group.mean(),
            "groep_min": group.min(),
            "groep_max": group.max(),
            "n": group.count(),
        },
        index=panel.columns,
    ).rename_axis("year")
    out["verwacht"] = np.nan
    if estimate is not None and estimate.ok:
        later = out.index >= estimate.before_year
        gap = out.loc[estimate.before_year, ["wijk", "groep"]]
        out.loc[later, "verwacht"] = out.loc[later, "groep"] + gap["wijk"] - gap["groep"]
    return out.reset_index()


def analyse(
    data: ComparisonData,
    wijk_code: str,
    *,
    reference_year: int | None = None,
    end_year: int | None = None,
    indicators: Sequence[str] = LBM,
    **match_options,
) -> Analysis:
    """Match ``wijk_code`` (a wijk with an enterprise) and estimate every indicator."""
    stats = with_shares(data.stats)
    founded = founding_year(data.enterprises, wijk_code)
    default, pre = default_reference_year(stats, wijk_code, founded)
    ref = default if reference_year is None else reference_year
    if ref is None:
        ref = founded or 0
    exclude = set(data.enterprises["area_code"].dropna())
    match = match_comparison_wijken(
        stats, wijk_code, founded, baseline_year=ref, exclude=exclude, **match_options
    )
    estimates = {
        name: difference_in_differences(
            stats,
            wijk_code,
            match.chosen,
            name,
            ref,
            end_year=end_year,
            min_comparison=match.min_comparison,
        )
        for name in indicators
    }
    return Analysis(wijk_code, founded, ref, pre, end_year, match, estimates)


def summarise_contribution(
    source, enterprise_id: str, year: int | None
) -> tuple[ContributionSummary | None, str]:
    """The summary for the annual report of ``year``, or None and the reason why not.

    ``source`` is a database cursor or a ComparisonData."""
    data = source if isinstance(source, ComparisonData) else load_data(source)
    row = data.enterprises[data.enterprises["enterprise_id"] == enterprise_id]
    if row.empty:
        return None, "Onbekende onderneming."
    wijk = str(row.iloc[0]["area_code"])
    analysis = analyse(data, wijk, end_year=year)
    if not analysis.match.ok:
        return None, analysis.match.reason
    lbm = analysis.estimates["lbm"]
    if not lbm.ok:
        return None, lbm.reason
    names = data.wijken.set_index("area_code")["name"]
    summary = ContributionSummary(
        enterprise_id,
        wijk,
        str(names.get(wijk, wijk)),
        tuple(str(names.get(c, c)) for c in analysis.match.chosen),
        analysis,
        lbm,
    )
    return summary, ""


def contribution_summary(source, enterprise_id: str, year: int | None):
    """ContributionSummary for the annual report, or None when there is not enough data
    (summarise_contribution() also gives the reason)."""
    return summarise_contribution(source, enterprise_id, year)[0]


def change_text(value: float, unit: str | None = None) -> str:
    """A change in Dutch notation with its sign: '+0,03', '-1.234'; '0,00' when it rounds
    to nothing (never '-0,00')."""
    decimals = CHANGE_DECIMALS.get(unit or "", 0)
    if isinstance(value, float) and np.isnan(value):
        return number(value)
    rounded = round(float(value), decimals) + 0.0
    return number(rounded, decimals) if rounded == 0 else signed(number(rounded, decimals))


def interval_text(estimate: Estimate, unit: str | None = None) -> str:
    """'90%-interval −0,01 tot +0,07'."""
    share = f"{estimate.level * 100:.0f}%"
    low, high = change_text(estimate.low, unit), change_text(estimate.high, unit)
    return f"{share}-interval {low} tot {high}"


def estimate_text(estimate: Estimate, unit: str | None = None) -> str:
    """'+0,03 t.o.v. vergelijkingsgroep (2014–2018; 90%-interval ...; 5 vergelijkingswijken)'."""
    if not estimate.ok:
        return estimate.reason or ""
    return (
        f"{change_text(estimate.did, unit)} t.o.v. vergelijkingsgroep "
        f"({estimate.before_year}–{estimate.after_year}; {interval_text(estimate, unit)}; "
        f"{estimate.n_comparison} vergelijkingswijken)"
    )


def baseline_note(analysis: Analysis) -> str:
    """Plain Dutch: from which year the comparison starts, and why."""
    ref, founded = analysis.reference_year, analysis.founding_year
    if founded is None:
        return f"Oprichtingsjaar onbekend; vergeleken vanaf {ref}."
    if analysis.pre_founding:
        return f"Opgericht in {founded}; vergeleken met het laatste jaar met cijfers t/m {ref}."
    return (
        f"Opgericht in {founded}: geen cijfers van vóór de oprichting; vergeleken vanaf het "
        f"eerste jaar met cijfers ({ref})."
    )


def caveat_markdown() -> str:
    """What a difference can and cannot mean, in the current language (shown on /bijdrage)."""
    from wijkimpact.i18n import localized_text

    return localized_text(CAVEAT)


def estimate_table(
    analysis: Analysis, labels: dict[str, str], units: dict[str, str | None]
) -> pd.DataFrame:
    """One row per indicator with Dutch-formatted changes, difference and interval."""
    rows = []
    for name, est in analysis.estimates.items():
        unit = units.get(name)
        note = est.reason or (
            f"geen cijfers t/m {est.reference_year}; vanaf {est.before_year}"
            if est.before_is_late
            else ""
        )
        rows.append(
            {
                "Indicator": labels.get(name) or LABELS.get(name, name),
                "Van": str(est.before_year or "–"),
                "Tot": str(est.after_year or "–"),
                "Verandering wijk": change_text(est.change_wijk, unit),
                "Verandering vergelijkingswijken": change_text(est.change_group, unit),
                "Verschil": change_text(est.did, unit),
                f"{est.level * 100:.0f}%-interval": (
                    interval_text(est, unit).split("interval ", 1)[1] if est.ok else "–"
                ),
                "Vergelijkingswijken": est.n_comparison,
                "Opmerking": note,
            }
        )
    return pd.DataFrame(rows)


def match_table(match: MatchResult, wijken: pd.DataFrame) -> pd.DataFrame:
    """The chosen comparison wijken with their gemeente and distance (Dutch formats)."""
    names = wijken.set_index("area_code")
    return pd.DataFrame(
        {
            "Wijk": [names["name"].get(c, c) for c in match.chosen],
            "Code": list(match.chosen),
            "Gemeente": [names["gemeente_code"].get(c, "") for c in match.chosen],
            "Afstand": [number(d, 2) for d in match.distances],
        }
    )


def features_text(match: MatchResult) -> str:
    """'Inwoners (2019), Leefbaarometer-score (2018)'."""
    return ", ".join(f"{LABELS.get(f, f)} ({match.feature_years[f]})" for f in match.features)
