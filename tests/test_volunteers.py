"""The money value of volunteer hours: one function, with the rate an installation may set."""

from __future__ import annotations

import pytest

from wijkimpact.domain.volunteers import RATE_VARIABLE, VOLUNTEER_HOUR_RATE, volunteer_value


@pytest.mark.parametrize(
    ("setting", "rate"),
    [
        (None, VOLUNTEER_HOUR_RATE),
        ("16,20", 16.20),
        ("€ 16.20", 16.20),
        ("zestien", VOLUNTEER_HOUR_RATE),  # not a number: the default counts
        ("0", VOLUNTEER_HOUR_RATE),
    ],
)
def test_value_is_hours_times_the_rate(monkeypatch, setting, rate):
    if setting is None:
        monkeypatch.delenv(RATE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(RATE_VARIABLE, setting)
    value, used = volunteer_value(250)
    assert used == pytest.approx(rate)
    assert value == pytest.approx(250 * rate)
