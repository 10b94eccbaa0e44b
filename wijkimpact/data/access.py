"""Who may see what: the viewer of a session, its scope, and the suppression of small aggregates.

Three levels of enterprise data (see SECURITY.md and README "Wie ziet wat"):
- *detail* (monthly finances, activities, projects, property, the annual report, completeness):
  only the enterprise itself (role onderneming), its funders (financier, portfolio) and
  beheerders;
- *figures* (an enterprise's annual figures): the above, and everyone for an enterprise that
  made its figures public (``enterprise.public``);
- *aggregates* (wijk and gemeente totals): everyone, unless fewer than MIN_PRIVATE enterprises
  whose figures this viewer may not see make up the total (then it is suppressed).

Pure Python: no Streamlit, so the report CLI and the tests use it as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.api import BEHEERDER, FINANCIER, ONDERNEMING, PROFESSIONAL, ROLES
from wijkimpact.i18n import N_

# ROLES (the ETL's): the roles a users file may give. PUBLIEK is no role in the database:
PUBLIEK = "publiek"  # not logged in, or logged in without a row in app_user
MIN_PRIVATE = 3
SUPPRESSED_NOTE = N_(
    "niet getoond: minder dan drie ondernemingen die hun cijfers niet openbaar maken"
)


@dataclass(frozen=True)
class Viewer:
    """Whoever looks at the app: a role and, for onderneming and financier, the enterprise ids
    in scope. Frozen and hashable: cached query results are keyed on it."""

    role: str = PUBLIEK
    scope: tuple[str, ...] = ()  # onderneming: its own id; financier: its portfolio
    email: str | None = None  # the logged-in address (None in demo mode and for the public)

    def __post_init__(self) -> None:
        if self.role not in (*ROLES, PUBLIEK):
            raise ValueError(f"onbekende rol: {self.role!r}")
        object.__setattr__(self, "scope", tuple(sorted(set(self.scope))))
        if self.role in (PROFESSIONAL, BEHEERDER, PUBLIEK) and self.scope:
            raise ValueError(f"rol {self.role} heeft geen onderneming of portefeuille")

    @property
    def sees_all(self) -> bool:
        """Beheerders see every enterprise's detail."""
        return self.role == BEHEERDER

    def detail(self, enterprise_id: str) -> bool:
        """May this viewer see the enterprise's detail (months, activities, report)?"""
        return self.sees_all or enterprise_id in self.scope

    def figures(self, enterprise_id: str, public: bool, complete: bool = True) -> bool:
        """May this viewer see the enterprise's annual figures (of a year: ``complete`` is
        False for a year not yet complete that the enterprise does not publish as such)?"""
        return (bool(public) and bool(complete)) or self.detail(enterprise_id)

    def may_write(self, enterprise_id: str) -> bool:
        """May this viewer load or enter data for the enterprise? Its own, or any (beheerder)."""
        return self.sees_all or (self.role == ONDERNEMING and enterprise_id in self.scope)

    @property
    def may_upload(self) -> bool:
        """Whether the uploads and the form are open at all to this viewer."""
        return self.role in (ONDERNEMING, BEHEERDER)

    @property
    def owner(self) -> str | None:
        """Whose saved portfolios this viewer keeps and sees: a financier's or beheerder's
        logged-in address. In demo mode (no address) a fixed identity per demo role, for a
        financier per portfolio, so two demo financiers keep theirs apart; it holds no ``@``,
        so it is never an address. None for the roles that keep none."""
        if self.role not in (FINANCIER, BEHEERDER):
            return None
        if self.email:
            return self.email
        return f"demo:{self.role}" + (":" + ",".join(self.scope) if self.scope else "")

    def sql(self) -> dict[str, object]:
        """The query parameters that ACCESS_* conditions below use: $alle and $scope."""
        return {"alle": self.sees_all, "scope": list(self.scope)}


BEHEERDER_VIEWER = Viewer(BEHEERDER)
PUBLIC_VIEWER = Viewer(PUBLIEK)

# SQL conditions on parameters from Viewer.sql(); ``{e}`` is the enterprise table's alias (its
# ``public`` column) and ``{id}`` the enterprise id column.
DETAIL_SQL = "($alle or list_contains($scope::varchar[], {id}))"
FIGURES_SQL = "($alle or {e}.public or list_contains($scope::varchar[], {e}.enterprise_id))"
# a public enterprise's year that is not complete (enterprise_period) is shown only within the
# scope, unless the enterprise publishes its partial years too (publiek_deeljaar): else a year's
# "annual" figures after one loaded month would be that month's figures
FIGURES_YEAR_SQL = (
    "($alle or list_contains($scope::varchar[], {e}.enterprise_id) or ({e}.public and "
    "({e}.public_partial or {complete})))"
)
# whether that year is complete, looked up where the query has not joined enterprise_period
COMPLETE_SQL = (
    "exists (select 1 from enterprise_period p where p.enterprise_id = {e}.enterprise_id "
    "and p.year = {year} and p.compleet)"
)


def detail_sql(id_column: str) -> str:
    """The SQL condition 'the viewer may see this enterprise's detail'."""
    return DETAIL_SQL.format(id=id_column)


def figures_sql(alias: str = "e", year: str | None = None, complete: str | None = None) -> str:
    """The SQL condition 'the viewer may see this enterprise's annual figures'; with ``year``
    (the column of the year): its figures of that year. ``complete``: the column that already
    holds whether that year is complete, where the query has joined enterprise_period for that
    enterprise and year (spares the query a second look-up of it)."""
    if year is None and complete is None:
        return FIGURES_SQL.format(e=alias)
    complete = complete or COMPLETE_SQL.format(e=alias, year=year)
    return FIGURES_YEAR_SQL.format(e=alias, complete=complete)


# The groups of enterprise figures in a total. Each group is suppressed on its own count of
# contributors: finance figures on the enterprises with finance rows in the total, reinvestment
# figures on those that reinvested, activity figures on those that held activities. A single
# count for all groups would let one private enterprise's finances through a wijk where two
# others only held an activity.
FINANCE, REINVESTMENT, ACTIVITY = "financien", "herinvesteringen", "activiteiten"
FIGURE_GROUPS: dict[str, tuple[str, ...]] = {
    FINANCE: ("omzet", "eigen_verdiend", "gesubsidieerd", "kosten", "resultaat", "verdienvermogen"),
    REINVESTMENT: ("geherinvesteerd", "geherinvesteerd_per_inwoner"),
    ACTIVITY: ("activiteiten", "deelnemers", "vrijwilligers", "vrijwilligersuren"),
}
GROUP_LABELS = {
    FINANCE: N_("financiële cijfers"),
    REINVESTMENT: N_("herinvesteringen"),
    ACTIVITY: N_("activiteiten en vrijwilligers"),
}
GROUP_OF = {column: group for group, columns in FIGURE_GROUPS.items() for column in columns}


def contributors_column(group: str) -> str:
    """The column with the number of enterprises that contributed to a group of figures."""
    return f"bijdragers_{group}"


def hidden_column(group: str) -> str:
    """The column with how many of those the viewer may not see individually."""
    return f"verborgen_{group}"


def flag_column(group: str) -> str:
    """The boolean column that is True where a group of figures was withheld."""
    return f"onderdrukt_{group}"


def suppress(
    frame: pd.DataFrame,
    partition: Iterable[str] = (),
    minimum: int = MIN_PRIVATE,
) -> pd.DataFrame:
    """The one suppression rule of every total built from enterprise rows.

    ``frame`` has, per group of FIGURE_GROUPS, the columns ``bijdragers_<group>`` (how many
    enterprises contributed to the group's figures in that row) and ``verborgen_<group>`` (how
    many of them the viewer may not see individually). Per group:

    - *primary*: the group's figures are blanked where 1 to ``minimum - 1`` hidden enterprises
      make them, so the total minus the figures the viewer can see never gives away one or two
      enterprises' private figures;
    - *secondary*: rows that partition a larger total that is shown (the wijken of a gemeente,
      the gemeenten of the country: ``partition`` names the columns that identify that larger
      total, e.g. gemeente and year) are blanked together until the blanked rows hold 0 or at
      least ``minimum`` hidden enterprises, so the larger total minus the rows shown never
      isolates a blanked row either (rows with fewest hidden enterprises are added first);
    - *nothing to show*: where no enterprise contributed, the group's figures are empty, not 0.

    Returns a copy without the count columns, with a boolean ``onderdrukt_<group>`` per group
    and ``onderdrukt``: True where any group was withheld.
    """
    counts = [f(group) for group in FIGURE_GROUPS for f in (hidden_column, contributors_column)]
    out = frame.drop(columns=counts)
    partition = list(partition)
    codes = None  # each row's partition, numbered: made only when some row is blanked
    changed: dict[str, np.ndarray] = {}
    any_flag = np.zeros(len(frame), dtype=bool)
    for group, columns in FIGURE_GROUPS.items():
        hidden = _counts(frame[hidden_column(group)])
        present = _counts(frame[contributors_column(group)])
        mask = (hidden > 0) & (hidden < minimum)
        if partition and mask.any():
            if codes is None:
                codes = frame.groupby(partition, dropna=False, sort=False).ngroup().to_numpy()
            mask = _secondary(codes, hidden, mask, minimum)
        shown = ~mask & (present > 0)
        for column in columns:
            if column in out:
                changed[column] = np.where(shown, out[column].astype("float64").to_numpy(), np.nan)
        changed[flag_column(group)] = mask
        any_flag |= mask
    return out.assign(**changed, onderdrukt=any_flag)


def _counts(column: pd.Series) -> np.ndarray:
    """A count column as floats, 0 where it is empty."""
    return pd.to_numeric(column, errors="coerce").fillna(0).to_numpy(dtype="float64")


def _secondary(codes: np.ndarray, hidden: np.ndarray, mask: np.ndarray, minimum: int) -> np.ndarray:
    """``mask`` widened so that within each partition (``codes``: each row's) the blanked rows
    hold 0 or at least ``minimum`` hidden enterprises, where rows that can make it so exist."""
    mask = mask.copy()
    blanked = np.bincount(codes, weights=np.where(mask, hidden, 0.0))
    for code in np.flatnonzero((blanked > 0) & (blanked < minimum)):
        rows = np.flatnonzero(codes == code)
        total = hidden[rows][mask[rows]].sum()
        candidates = rows[~mask[rows] & (hidden[rows] > 0)]
        for row in candidates[np.argsort(hidden[candidates], kind="stable")]:  # fewest first
            if total >= minimum:
                break
            mask[row] = True
            total += hidden[row]
    return mask


def suppressed_groups(row: pd.Series) -> list[str]:
    """The groups of figures withheld in one row of a suppressed total."""
    return [group for group in FIGURE_GROUPS if bool(row.get(flag_column(group), False))]
