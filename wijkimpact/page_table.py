"""The app's pages: file, title, icon and url path. app.py builds its router from this table;
the benchmark and the tests visit them all."""

from pathlib import Path

from wijkimpact.i18n import N_

# the browser tab's icon, from here: a material icon would be fetched from Google's servers
FAVICON = Path(__file__).parent / "assets" / "favicon.png"

PAGES = [
    ("pages/overzicht.py", N_("Overzicht"), ":material/dashboard:", ""),
    ("pages/onderneming.py", N_("Onderneming"), ":material/storefront:", "onderneming"),
    ("pages/financiers.py", N_("Financiers"), ":material/account_balance:", "financiers"),
    ("pages/kaart.py", N_("Kaart"), ":material/map:", "kaart"),
    ("pages/gegevens.py", N_("Gegevens"), ":material/upload_file:", "gegevens"),
    ("pages/bijdrage.py", N_("Bijdrage"), ":material/compare_arrows:", "bijdrage"),
    ("pages/methode.py", N_("Methode"), ":material/menu_book:", "methode"),
]
URL_PATHS = [url for *_, url in PAGES]
