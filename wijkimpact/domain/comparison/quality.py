"""How good a comparison is, said up front: how many comparison wijken were chosen of how many,
how far their Leefbaarometer level lies from the wijk's, and what size of difference matters."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wijkimpact.domain.comparison.matching import POOLS
from wijkimpact.domain.comparison.panel import panel, year_for
from wijkimpact.domain.comparison.result import Analysis
from wijkimpact.formatting import number
from wijkimpact.i18n import _

# The Leefbaarometer 3.0 shows its score in nine classes (1 zeer onvoldoende ... 9 uitstekend) of
# equal width on the score scale; a difference is read against that width. The map colours the
# same classes (wijkimpact/kaart/lbm_classes.py).
LBM_CLASS_WIDTH = 0.08


@dataclass(frozen=True)
class Level:
    """The Leefbaarometer score of the wijk and of its comparison wijken in one year."""

    year: int
    wijk: float
    group_mean: float
    group_low: float
    group_high: float

    @property
    def gap(self) -> float:
        """The comparison wijken's mean minus the wijk's score."""
        return self.group_mean - self.wijk


def level(stats: pd.DataFrame, analysis: Analysis) -> Level | None:
    """The scores in the comparison's baseline year (the latest year up to it in which the wijk
    has a score, else its first later year); None without scores of the wijk or the group."""
    match = analysis.match
    table = panel(stats, "lbm")
    year = year_for(table, analysis.wijk_code, match.baseline_year)
    if year is None or not match.chosen:
        return None
    group = table[year].reindex(list(match.chosen)).dropna()
    if group.empty:
        return None
    own = float(table.at[analysis.wijk_code, year])
    return Level(year, own, float(group.mean()), float(group.min()), float(group.max()))


def classes(value: float, class_width: float = LBM_CLASS_WIDTH) -> str:
    """A score difference in class widths of the Leefbaarometer: '0,4', '2,1'."""
    return number(abs(value) / class_width, 1)


def match_quality(
    stats: pd.DataFrame, analysis: Analysis, name: str, class_width: float = LBM_CLASS_WIDTH
) -> str:
    """Markdown, in the current language: the comparison wijken used of those available, and
    their Leefbaarometer level against the wijk's in class widths. ``name`` is safe Markdown."""
    match = analysis.match
    n, available = len(match.chosen), match.candidates
    parts = [
        _(
            "**Hoe goed de vergelijking is.** {n} van de {beschikbaar} vergelijkbare wijken "
            "zonder onderneming gebruikt, uit {groep}.",
            n=n,
            beschikbaar=available,
            groep=_(POOLS[match.pool]),
        )
    ]
    if n >= available:
        parts.append(
            _(
                "Dat zijn ze allemaal: er viel niets te kiezen, dus de groep lijkt niet "
                "noodzakelijk op {naam}.",
                naam=name,
            )
        )
    found = level(stats, analysis)
    if found is not None:
        parts.append(
            _(
                "Leefbaarometer-score in {jaar}: {naam} {score}, de vergelijkingswijken "
                "gemiddeld {gemiddeld} ({laag} tot {hoog}).",
                jaar=found.year,
                naam=name,
                score=number(found.wijk, 2),
                gemiddeld=number(found.group_mean, 2),
                laag=number(found.group_low, 2),
                hoog=number(found.group_high, 2),
            )
        )
        width = {"klassen": classes(found.gap, class_width)}
        if abs(found.gap) >= class_width:
            parts.append(
                _(
                    "Hun niveau ligt {klassen} klassen hoger: ver van dat van de wijk, dus lees "
                    "het verschil met voorzichtigheid.",
                    **width,
                )
                if found.gap > 0
                else _(
                    "Hun niveau ligt {klassen} klassen lager: ver van dat van de wijk, dus lees "
                    "het verschil met voorzichtigheid.",
                    **width,
                )
            )
        else:
            parts.append(_("Hun niveau ligt dicht bij dat van de wijk: {klassen} klasse.", **width))
    return " ".join(parts)


def what_matters(difference: float, class_width: float = LBM_CLASS_WIDTH) -> str:
    """The size of a Leefbaarometer difference against the class width, in the current
    language."""
    return _(
        "Wat telt: de Leefbaarometer deelt de score in negen klassen van {breedte} punt; dit "
        "verschil is {klassen} klasse. Een verschil kleiner dan één klasse verandert de klasse "
        "van een wijk hooguit één stap.",
        breedte=number(class_width, 2),
        klassen=classes(difference, class_width),
    )
