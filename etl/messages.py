"""The ETL's messages: Dutch texts that are also the message ids of the app's catalogue, and the
numbers in them. The command line prints them in Dutch; the app shows them in the user's
language (wijkimpact.i18n.problem_message), so the ETL translates nothing itself."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal

DUTCH = "nl_NL"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a Dutch text for the app's catalogue (scripts/i18n_catalog.py); it stays Dutch."""
    return message


@dataclass(frozen=True)
class Number:
    """A number in a message: written the Dutch way here (100.000, 120,0), the user's way by
    the app."""

    value: float
    decimals: int = 0

    def __str__(self) -> str:
        pattern = "#,##0" + ("." + "0" * self.decimals if self.decimals else "")
        return format_decimal(self.value, format=pattern, locale=DUTCH)


class Message(str):
    """A note or message for the user: the Dutch text (what the command line prints, and what
    str operations see), with its Dutch template (the app's message id) and values, so the app
    can show it in the user's language (wijkimpact.i18n.message_text)."""

    template: str
    params: dict

    def __new__(cls, template: str, **params: object) -> Message:
        text = template.format(**params) if params else template
        message = super().__new__(cls, text)
        message.template, message.params = template, params
        return message

    def __reduce__(self):  # pickled (a cached result) as what it is, not as a plain str
        return (_message, (self.template, self.params))


def _message(template: str, params: dict) -> Message:
    return Message(template, **params)
