"""The user list (roles from the login address) and saved portfolios."""

from __future__ import annotations

import pandas as pd

from wijkimpact.data.access import Viewer, figures_sql
from wijkimpact.data.db import Cursor


def app_user(cur: Cursor, email: str) -> pd.DataFrame:
    """The row of one e-mail address in app_user (zero rows when unknown, or when the database
    has no user list yet): email, role, enterprise_id, portfolio (list of enterprise ids)."""
    exists = cur.execute(
        "select count(*) from information_schema.tables where table_name = 'app_user'"
    ).fetchall()[0][0]
    if not exists:
        return pd.DataFrame(columns=["email", "role", "enterprise_id", "portfolio"])
    return cur.execute(
        """
        select u.email, u.role, u.enterprise_id,
               list(m.enterprise_id order by m.enterprise_id)
                   filter (where m.enterprise_id is not null) as portfolio
        from app_user u
        left join portfolio_member m on m.email = u.email
        where u.email = lower(trim($email))
        group by all
        """,
        {"email": email},
    ).df()


def saved_portfolios(cur: Cursor, viewer: Viewer) -> pd.DataFrame:
    """The saved portfolios this viewer may see: a financier its own, a beheerder everyone's,
    anyone else none (Viewer.owner is None). Columns owner, name, enterprise_ids (sorted);
    the viewer's own first, then by name."""
    exists = cur.execute(
        "select count(*) from information_schema.tables where table_name = 'saved_portfolio'"
    ).fetchall()[0][0]
    if not exists:
        return pd.DataFrame(columns=["owner", "name", "enterprise_ids"])
    return cur.execute(
        """
        select owner, name, list(enterprise_id order by enterprise_id) as enterprise_ids
        from saved_portfolio
        where ($alle or owner = $owner) and $owner is not null
        group by owner, name
        order by owner is distinct from $owner, lower(name), owner
        """,
        {"alle": viewer.sees_all, "owner": viewer.owner},
    ).df()


def not_visible(cur: Cursor, viewer: Viewer, enterprise_ids: list[str]) -> list[str]:
    """The ids among ``enterprise_ids`` that are no enterprise whose figures ``viewer`` may see
    (unknown ids included): a saved portfolio holds only what its owner may see."""
    visible = cur.execute(
        f"""
        select e.enterprise_id from enterprise e
        where list_contains($ids::varchar[], e.enterprise_id) and {figures_sql("e")}
        """,
        {"ids": list(enterprise_ids), **viewer.sql()},
    ).fetchall()
    return sorted(set(enterprise_ids) - {r[0] for r in visible})
