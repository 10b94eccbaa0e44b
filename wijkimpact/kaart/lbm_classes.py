"""The Leefbaarometer 3.0 score in its nine classes, 1 zeer onvoldoende ... 9 uitstekend (the
official names and order; the bounds below are not yet checked against the official table)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijkimpact.domain.comparison import LBM_CLASS_WIDTH
from wijkimpact.i18n import N_, _

LABELS = (
    N_("zeer onvoldoende"),
    N_("ruim onvoldoende"),
    N_("onvoldoende"),
    N_("zwak"),
    N_("voldoende"),
    N_("ruim voldoende"),
    N_("goed"),
    N_("zeer goed"),
    N_("uitstekend"),
)
# The lower bounds of classes 2-9 on the score scale: equal steps of CLASS_WIDTH, 'voldoende'
# around the national mean (about 4.1). NOT the official table: the Leefbaarometer 3.0
# documentation (its chapter "Weergave van scores") was not at hand offline; replace these
# with its bounds. A score on a bound belongs to the class above it.
BOUNDS = (3.80, 3.88, 3.96, 4.04, 4.12, 4.20, 4.28, 4.36)
CLASS_WIDTH = LBM_CLASS_WIDTH  # one width for the map and /bijdrage's "what matters"


def classes(scores: pd.Series) -> pd.Series:
    """The class 1-9 of each score (<NA> where there is none)."""
    values = pd.to_numeric(scores, errors="coerce").astype("float64")
    found = np.searchsorted(np.asarray(BOUNDS), values.to_numpy(), side="right") + 1
    return pd.Series(found, index=scores.index, dtype="Int64").where(values.notna())


def class_label(klasse: int) -> str:
    """'7 goed': a class with its name, translated."""
    return f"{klasse} {_(LABELS[klasse - 1])}"


def labels(scores: pd.Series) -> pd.Series:
    """class_label() of each score; empty text where there is no score."""
    return classes(scores).map(lambda k: class_label(int(k)) if pd.notna(k) else "")


def legend_names() -> tuple[str, ...]:
    """The nine class names, translated, for the map's colour bar."""
    return tuple(_(label) for label in LABELS)
