"""store.load shares one result per database version, viewer and parameters between sessions:
what one page does to its frame must not reach the next caller."""

from tests.conftest import query
from wijkimpact.data import queries
from wijkimpact.ui import store


def test_a_page_changing_its_frame_leaves_the_shared_result_alone(demo_db, monkeypatch):
    monkeypatch.setenv("WIJKIMPACT_DB", str(demo_db))
    monkeypatch.setenv("WIJKIMPACT_MODE", "demo")
    names = dict(query(demo_db, "select area_code, name from area where level = 'gemeente'"))
    first = store.load(queries.gemeenten)
    first.loc[first.index[0], "name"] = "Veranderd"
    first["extra"] = 1
    again = store.load(queries.gemeenten)
    assert "extra" not in again.columns and "Veranderd" not in set(again["name"])
    assert dict(zip(again["area_code"], again["name"], strict=True)) == names
    years = store.load(queries.years)
    years.append(1900)
    assert 1900 not in store.load(queries.years)
