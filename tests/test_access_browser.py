"""A sample of the access matrix in the real app in headless Chromium (demo mode): the role
switcher in the sidebar, the page text searched for other enterprises' private figures."""

from __future__ import annotations

import pytest

from tests.live_app import CHROMIUM, chromium_page, settled
from tests.page_content import Shown, leaks
from tests.test_access_matrix import private_figures, read_private, read_public
from wijkimpact.data.access import ONDERNEMING, PUBLIEK, SUPPRESSED_NOTE, Viewer
from wijkimpact.ui.session import ROLE_LABELS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})"),
]
NAMES = {
    "bloemenhof": "Vereniging Wijkcentrum Bloemenhof",
    "ideeenfabriek": "Stichting Ideeënfabriek Kerkebuurt",
    "dekroon": "Bewonersbedrijf De Kroon",
}


def _choose(page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()


def _go(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    settled(page)  # charts and tables follow the title, in the same run


def _text(page) -> str:
    cells = page.locator('[role="gridcell"], [role="columnheader"]').all_text_contents()
    return (page.locator("body").text_content() or "") + "\n" + "\n".join(cells)


@pytest.mark.parametrize(
    ("viewer", "visits"),
    [
        (Viewer(ONDERNEMING, ("bloemenhof",)), ["Overzicht", "Financiers", "Kaart"]),
        (Viewer(PUBLIEK), ["Financiers", "Onderneming"]),
    ],
)
def test_a_sample_of_the_matrix_in_chromium(demo_db, demo_server, viewer, visits):
    figures = private_figures(viewer, read_private(demo_db), read_public(demo_db))
    assert figures
    url = demo_server
    with chromium_page() as page:
        page.goto(url + "/")
        page.get_by_text("Demomodus: iedereen kan elke rol kiezen").wait_for(timeout=60_000)
        _choose(page, "Bekijk als", ROLE_LABELS[viewer.role])
        if viewer.role == ONDERNEMING:
            _choose(page, "Welke onderneming", NAMES[viewer.scope[0]])
        for title in visits:
            _go(page, title)
            if title == "Onderneming":
                _choose(page, "Onderneming", NAMES["ideeenfabriek"])
                page.get_by_text("maakt haar cijfers niet openbaar").wait_for(timeout=60_000)
            text = _text(page)
            found = leaks(figures, Shown(texts=[text]))
            assert not found, f"{viewer.role} on {title} sees {found[:5]}"
            if viewer.role == ONDERNEMING and title == "Overzicht":
                assert SUPPRESSED_NOTE in text
            if title == "Financiers":
                assert "€" in text  # the visible enterprises' figures are there
