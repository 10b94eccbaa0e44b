"""The eight fictional wijkondernemingen of Demostad, their master data and their buildings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.demo.areas import GEMEENTE_NAAM, Town, random_point_in

INCOME = (
    "verhuur",
    "horeca",
    "diensten",
    "verkoop",
    "deelnemersbijdragen",
    "subsidie_gemeente",
    "bijdrage_woningcorporatie",
    "fondsen",
    "donaties",
    "overige_inkomsten",
)
COSTS = ("personeelskosten", "huisvestingskosten", "activiteitenkosten", "overige_kosten")
SUBSIDISED = ("subsidie_gemeente", "bijdrage_woningcorporatie", "fondsen", "donaties")
THEMES = ("Groen", "Jeugd", "Ontmoeting", "Armoede", "Werk", "Zorg", "Veiligheid")
ONDERNEMINGEN_COLUMNS = (
    "id",
    "naam",
    "rechtsvorm",
    "kvk",
    "opgericht",
    "wijkcode",
    "adres",
    "postcode",
    "plaats",
    "lat",
    "lon",
    "website",
    "omschrijving",
    "zoekt_vrijwilligers",
    "contact",
    "publiek",
)
# The demo workbook also lists the wijken an enterprise declares it works in (werkgebied), after
# its home wijk; the benchmark's files (bench/enterprises.py) keep ONDERNEMINGEN_COLUMNS.
_HOME = ONDERNEMINGEN_COLUMNS.index("wijkcode") + 1
DEMO_ONDERNEMINGEN_COLUMNS = (
    *ONDERNEMINGEN_COLUMNS[:_HOME],
    "werkgebied",
    *ONDERNEMINGEN_COLUMNS[_HOME:],
)
VASTGOED_COLUMNS = ("onderneming", "naam", "wijkcode", "m2", "eigendom", "bezetting_pct")


@dataclass(frozen=True)
class Enterprise:
    """A fictional enterprise: master data plus the parameters that drive its generated figures.

    `omzet` is the typical total income in 2019 (euro), `mix` the share of each INCOME category,
    `monthly` whether it reports its finances per month, `activities` its repertoire (see
    activities.CATALOGUE), most frequent first.
    """

    id: str
    naam: str
    rechtsvorm: str
    opgericht: int
    wijkcode: str
    adres: str
    postcode: str
    omschrijving: str
    zoekt_vrijwilligers: str
    publiek: bool
    monthly: bool
    omzet: float
    mix: tuple[float, ...]
    buildings: tuple[str, ...]
    activities: tuple[str, ...]
    werkgebied: tuple[str, ...] = ()  # wijken besides the home wijk it declares it works in


ENTERPRISES = (
    Enterprise(
        id="bloemenhof",
        naam="Vereniging Wijkcentrum Bloemenhof",
        rechtsvorm="vereniging",
        opgericht=2008,
        wijkcode="WK999908",
        adres="Dahliaplein 3",
        postcode="9999 BF",
        omschrijving="Bewonersvereniging met een wijkcentrum, een moestuin, een kinderclub en "
        "betaalbare zaalhuur voor clubs uit de buurt.",
        zoekt_vrijwilligers="We zoeken een penningmeester en begeleiders voor de kinderclub.",
        publiek=False,
        monthly=False,
        omzet=170_000.0,
        mix=(0.30, 0.10, 0.03, 0.02, 0.15, 0.20, 0.06, 0.06, 0.04, 0.04),
        buildings=("Wijkcentrum Bloemenhof", "Moestuin De Dahlia"),
        activities=("Koffieochtend", "Kinderkookclub", "Moestuindag", "Buurtfeest", "Opschoondag"),
    ),
    Enterprise(
        id="buurtbedrijfnoord",
        naam="Buurtbedrijf Noorderhout",
        rechtsvorm="stichting",
        opgericht=2011,
        wijkcode="WK999912",
        adres="Noorderlaan 88",
        postcode="9999 NE",
        omschrijving="Wijkcentrum met zaalverhuur, een seniorenrestaurant en een "
        "boodschappendienst voor ouderen.",
        zoekt_vrijwilligers="",
        publiek=False,
        monthly=False,
        omzet=220_000.0,
        mix=(0.38, 0.12, 0.12, 0.02, 0.05, 0.14, 0.07, 0.04, 0.02, 0.04),
        buildings=("Wijkcentrum Noorderhout", "Ontmoetingsruimte De Linde"),
        activities=(
            "Seniorendiner",
            "Koffieochtend",
            "Beweegochtend 65+",
            "Mantelzorgcafé",
            "Buurtschouw",
        ),
        werkgebied=("WK999909",),
    ),
    Enterprise(
        id="dekroon",
        naam="Bewonersbedrijf De Kroon",
        rechtsvorm="stichting",
        opgericht=2009,
        wijkcode="WK999904",
        adres="Kroonplein 1",
        postcode="9999 KA",
        omschrijving="Buurthuis met café, zaalverhuur, kinderactiviteiten en een klussendienst "
        "voor de hele Vogelbuurt.",
        zoekt_vrijwilligers="We zoeken gastvrouwen en -heren voor het buurtcafé en begeleiders "
        "voor de huiswerkklas.",
        publiek=True,
        monthly=True,
        omzet=860_000.0,
        mix=(0.29, 0.14, 0.23, 0.03, 0.06, 0.09, 0.07, 0.03, 0.01, 0.05),
        buildings=("Buurthuis De Kroon", "Werkplaats Merelstraat", "Jongerenruimte De Spreeuw"),
        activities=(
            "Koffieochtend",
            "Huiswerkbegeleiding",
            "Buurtmaaltijd",
            "Klussendag",
            "Zomerfestival",
            "Sinterklaasfeest",
            "Buurtschouw",
        ),
        werkgebied=("WK999909", "WK999912"),
    ),
    Enterprise(
        id="dewerkplaats",
        naam="Stichting De Werkplaats Schildersbuurt",
        rechtsvorm="stichting",
        opgericht=2014,
        wijkcode="WK999905",
        adres="Vermeerstraat 52",
        postcode="9999 SC",
        omschrijving="Leerwerkbedrijf met een fietsenmakerij, een kringloopwinkel en een "
        "klussendienst voor buurtbewoners met weinig geld.",
        zoekt_vrijwilligers="Vrijwilligers met technische kennis zijn welkom als maatje voor "
        "onze leerlingen.",
        publiek=True,
        monthly=True,
        omzet=340_000.0,
        mix=(0.10, 0.04, 0.36, 0.16, 0.02, 0.15, 0.04, 0.06, 0.02, 0.05),
        buildings=("Werkplaats Vermeerstraat", "Kringloopwinkel De Schilder"),
        activities=(
            "Fietsenmakerij open",
            "Sollicitatietraining",
            "Repair Café",
            "Kledingruil",
            "Spreekuur geldzaken",
        ),
    ),
    Enterprise(
        id="ideeenfabriek",
        naam="Stichting Ideeënfabriek Kerkebuurt",
        rechtsvorm="stichting",
        opgericht=2015,
        wijkcode="WK999906",
        adres="Kerkstraat 21",
        postcode="9999 KH",
        omschrijving="Kleine buurtwerkplaats met een weggeefwinkel, naailes en een spreekuur "
        "voor geldzaken.",
        zoekt_vrijwilligers="",
        publiek=False,
        monthly=False,
        omzet=55_000.0,
        mix=(0.20, 0.00, 0.15, 0.06, 0.10, 0.24, 0.05, 0.12, 0.05, 0.03),
        buildings=("Ideeënfabriek",),
        activities=("Naaiatelier", "Spreekuur geldzaken", "Kledingruil", "Koffieochtend"),
    ),
    Enterprise(
        id="molenwerk",
        naam="Buurtcoöperatie Molenwerk",
        rechtsvorm="coöperatie",
        opgericht=2016,
        wijkcode="WK999903",
        adres="Molenstraat 7",
        postcode="9999 MD",
        omschrijving="Coöperatie van bewoners met een buurtkamer, zaalverhuur, een repair café "
        "en een klussendienst.",
        zoekt_vrijwilligers="Help mee in de buurtkamer of bij de klussendienst, al is het maar "
        "één ochtend per maand.",
        publiek=True,
        monthly=True,
        omzet=260_000.0,
        mix=(0.30, 0.08, 0.22, 0.04, 0.06, 0.10, 0.07, 0.06, 0.02, 0.05),
        buildings=("Buurtkamer De Molen",),
        activities=("Repair Café", "Koffieochtend", "Klussendag", "Taalcafé", "Buurtfeest"),
        werkgebied=("WK999907",),
    ),
    Enterprise(
        id="nieuweweide",
        naam="Stadsboerderij De Nieuwe Weide",
        rechtsvorm="coöperatie",
        opgericht=2018,
        wijkcode="WK999911",
        adres="Weidepad 2",
        postcode="9999 NG",
        omschrijving="Stadsboerderij met een moestuin, groentepakketten, een kinderboerderij en "
        "kookworkshops voor nieuwe bewoners.",
        zoekt_vrijwilligers="Tuinvrijwilligers gezocht voor zaaien, wieden en oogsten op zaterdag.",
        publiek=True,
        monthly=True,
        omzet=110_000.0,
        mix=(0.05, 0.06, 0.10, 0.25, 0.20, 0.11, 0.07, 0.10, 0.03, 0.03),
        buildings=("Stadsboerderij De Nieuwe Weide", "Kas Weidepad"),
        activities=(
            "Moestuindag",
            "Kinderboerderij open dag",
            "Kinderkookclub",
            "Opschoondag",
            "Buurtmaaltijd",
        ),
    ),
    Enterprise(
        id="oudehaven",
        naam="Wijkonderneming Oude Haven",
        rechtsvorm="stichting",
        opgericht=2012,
        wijkcode="WK999902",
        adres="Havenkade 14",
        postcode="9999 HB",
        omschrijving="Havencafé met zaalverhuur, een taalcafé en een repair café in het oude "
        "pakhuis aan de kade.",
        zoekt_vrijwilligers="Voor het repair café zoeken we handige buurtbewoners die graag "
        "sleutelen.",
        publiek=True,
        monthly=False,
        omzet=520_000.0,
        mix=(0.24, 0.30, 0.08, 0.04, 0.04, 0.11, 0.05, 0.06, 0.02, 0.06),
        buildings=("Pakhuis De Haven", "Botenloods"),
        activities=("Taalcafé", "Repair Café", "Koffieochtend", "Zomerfestival", "Buurtmaaltijd"),
    ),
)


def kvk_numbers(rng: np.random.Generator) -> dict[str, str]:
    """Return a fictional, unique 8-digit KvK number starting with 9 for every enterprise."""
    numbers = rng.choice(10_000_000, size=len(ENTERPRISES), replace=False)
    return {e.id: f"9{n:07d}" for e, n in zip(ENTERPRISES, numbers, strict=True)}


def ondernemingen_rows(rng: np.random.Generator, town: Town) -> list[dict]:
    """Return one row per enterprise with the columns of the ondernemingen sheet."""
    kvk = kvk_numbers(rng)
    rows = []
    for e in ENTERPRISES:
        lon, lat = random_point_in(rng, town.wijk(e.wijkcode))
        rows.append(
            {
                "id": e.id,
                "naam": e.naam,
                "rechtsvorm": e.rechtsvorm,
                "kvk": kvk[e.id],
                "opgericht": e.opgericht,
                "wijkcode": e.wijkcode,
                "werkgebied": ", ".join(e.werkgebied),
                "adres": e.adres,
                "postcode": e.postcode,
                "plaats": GEMEENTE_NAAM,
                "lat": lat,
                "lon": lon,
                "website": f"https://{e.id}.example.nl",
                "omschrijving": e.omschrijving,
                "zoekt_vrijwilligers": e.zoekt_vrijwilligers,
                "contact": f"info@{e.id}.example.nl",
                "publiek": "ja" if e.publiek else "nee",
            }
        )
    return rows


def vastgoed_rows(rng: np.random.Generator, town: Town) -> list[dict]:
    """Return the buildings of every enterprise: the first in the home wijk, others nearby."""
    rows = []
    for e in ENTERPRISES:
        neighbours = town.wijk(e.wijkcode).neighbours
        for index, name in enumerate(e.buildings):
            if index == 0:
                wijkcode = e.wijkcode
                m2 = e.omzet / 1_000.0 * rng.uniform(1.6, 3.0)
            else:
                wijkcode = e.wijkcode if rng.random() < 0.5 else str(rng.choice(neighbours))
                m2 = rng.uniform(150.0, 700.0)
            rows.append(
                {
                    "onderneming": e.id,
                    "naam": name,
                    "wijkcode": wijkcode,
                    "m2": int(np.clip(round(m2 / 5.0) * 5, 150, 3_000)),
                    "eigendom": "ja" if rng.random() < 0.35 else "nee",
                    "bezetting_pct": int(rng.integers(40, 96)),
                }
            )
    return sorted(rows, key=lambda r: (r["onderneming"], r["naam"]))
