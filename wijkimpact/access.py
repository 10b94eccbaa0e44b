"""Who may see what: the viewer of a session, its scope, and the suppression of small aggregates.

Three levels of enterprise data (see SECURITY.md and README "Wie ziet wat"):
- *detail* (monthly finances, activities, projects, property, the annual report, completeness):
  only the enterprise itself (role onderneming), its funders (financier, portfolio) and
  beheerders;
- *figures* (an enterprise's annual figures): the above, and everyone for an enterprise that
  made its figures public (``enterprise.public``);
- *aggregates* (wijk and gemeente totals): everyone, unless fewer than MIN_PRIVATE enterprises
  whose figures this viewer may not see make up the total (then it is suppressed).

Pure Python: no Streamlit, so the ETL, the report CLI and the tests use it as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkimpact.i18n import N_

ONDERNEMING = "onderneming"
FINANCIER = "financier"
PROFESSIONAL = "professional"
BEHEERDER = "beheerder"
PUBLIEK = "publiek"  # not logged in, or logged in without a row in app_user
ROLES = (ONDERNEMING, FINANCIER, PROFESSIONAL, BEHEERDER)  # the roles a users file may give
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

    def figures(self, enterprise_id: str, public: bool) -> bool:
        """May this viewer see the enterprise's annual figures?"""
        return bool(public) or self.detail(enterprise_id)

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


def detail_sql(id_column: str) -> str:
    """The SQL condition 'the viewer may see this enterprise's detail'."""
    return DETAIL_SQL.format(id=id_column)


def figures_sql(alias: str = "e") -> str:
    """The SQL condition 'the viewer may see this enterprise's annual figures'."""
    return FIGURES_SQL.format(e=alias)


def suppress(
    frame: pd.DataFrame,
    hidden: str,
    columns: Iterable[str],
    minimum: int = MIN_PRIVATE,
    flag: str = "onderdrukt",
) -> pd.DataFrame:
    """Blank ``columns`` in every row whose total is made of 1 to ``minimum - 1`` enterprises
    the viewer may not see (their count is in column ``hidden``), so a total minus the figures
    the viewer can see never gives away one enterprise's private figures.

    Returns a copy without the ``hidden`` column and with a boolean column ``flag``: True where
    the row was suppressed. Rows made only of visible enterprises (0 hidden) or of at least
    ``minimum`` hidden ones stay as they are.
    """
    out = frame.copy()
    counts = pd.to_numeric(out[hidden], errors="coerce").fillna(0)
    mask = (counts > 0) & (counts < minimum)
    for column in columns:
        if column in out:
            out[column] = out[column].astype("float64").where(~mask, np.nan)
    out[flag] = mask.to_numpy()
    return out.drop(columns=[hidden])
