"""Settings behind derived figures: the money value of one volunteer hour, with its source."""

from __future__ import annotations

import logging
import os

from wijkimpact.i18n import N_

# The money value of volunteer work by its replacement cost ("vervangingswaarde": what the same
# hours would cost if paid), priced at the Dutch statutory minimum wage. Movisie describes this
# method in "De waarde van vrijwillige inzet" (after L. Meijs, Erasmus Universiteit); the
# minimum wage is its conservative lower bound. Figures: wettelijk minimumuurloon for workers of
# 21 and older per 1 January 2026, EUR 14.71 (Ministerie van SZW, Regeling indexatie wettelijk
# minimumloon, 9 October 2025, nr. 2025-0000213859), plus the statutory 8% holiday allowance
# (minimumvakantiebijslag): 14.71 x 1.08 = 15.89. Update both lines together, once a year.
VOLUNTEER_HOUR_RATE = 15.89
VOLUNTEER_HOUR_RATE_SOURCE = N_(
    "wettelijk minimumuurloon (21 jaar en ouder) per 1 januari 2026, € 14,71, plus 8% "
    "vakantiegeld (Ministerie van SZW); methode: vervangingswaarde, zoals beschreven door Movisie"
)
RATE_VARIABLE = "WIJKIMPACT_UURTARIEF"

log = logging.getLogger(__name__)


def volunteer_hour_rate() -> float:
    """Euro per volunteer hour: $WIJKIMPACT_UURTARIEF ('16,20' or '16.20') or the default."""
    text = os.environ.get(RATE_VARIABLE, "").strip()
    if not text:
        return VOLUNTEER_HOUR_RATE
    try:
        rate = float(text.replace("€", "").strip().replace(",", "."))
    except ValueError:
        rate = -1.0
    if not 0 < rate < 1000:
        log.warning(
            "%s=%r is geen uurtarief; de standaard %.2f telt",
            RATE_VARIABLE,
            text,
            VOLUNTEER_HOUR_RATE,
        )
        return VOLUNTEER_HOUR_RATE
    return rate


def volunteer_value(hours: float) -> tuple[float, float]:
    """What the volunteer hours are worth, and the rate per hour that makes it: (euro, rate).
    The one place the value is computed (/onderneming and the annual report)."""
    rate = volunteer_hour_rate()
    return float(hours) * rate, rate
