"""One translation mechanism: gettext catalogues (.po, compiled in memory by Babel), Dutch first.

Message ids are the Dutch texts; `_("Omzet")` gives "Turnover" when English is chosen. Number
formats follow the language through wijkimpact.formatting.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from etl.api import Message, Number, Problem
from wijkimpact import formatting

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "wijkimpact"
LANGUAGES = {"nl": "Nederlands", "en": "English"}
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
DEFAULT = "nl"

_language: ContextVar[str] = ContextVar("language", default=DEFAULT)


@cache
def _translations(language: str) -> NullTranslations:
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT or not po.exists():
        return NullTranslations()
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def use_language(language: str | None) -> str:
    """Make ``language`` current for this script run (texts and number formats)."""
    chosen = language if language in LANGUAGES else DEFAULT
    _language.set(chosen)
    formatting.use_locale(LOCALES[chosen])
    return chosen


def current_language() -> str:
    """The language of this script run: 'nl' or 'en'."""
    return _language.get()


def _(message: str, **values: object) -> str:
    """The message in the current language, with {placeholders} filled in."""
    text = _translations(_language.get()).gettext(message)
    return text.format(**values) if values else text


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a text for translation without translating it yet (column names, labels)."""
    return message


def _shown(value: object) -> object:
    """A value in an ETL message: a number the language's way, a message in the language."""
    if isinstance(value, Number):
        return formatting.number(value.value, value.decimals)
    if isinstance(value, Message):
        return message_text(value)
    return value


def problem_message(problem: Problem | Message) -> str:
    """An ETL problem's message (or a note, etl.api.Message) in the current language: its
    Dutch template (the message id) translated, the numbers among its values written the
    language's way."""
    if not isinstance(problem, Problem):
        return message_text(problem)
    return _(problem.template, **{key: _shown(v) for key, v in problem.params.items()})


def message_text(message: object) -> str:
    """An ETL note or message (etl.api.Message) in the current language; any other text as it
    is (the ETL writes Dutch)."""
    if not isinstance(message, Message):
        return str(message)
    return _(message.template, **{key: _shown(v) for key, v in message.params.items()})


def indicator_label(row: object) -> str:
    """An indicator's label in the current language: label_en (when loaded) in English."""
    get = row.get if hasattr(row, "get") else lambda key, default=None: default
    dutch = get("label_nl") or get("indicator") or ""
    english = get("label_en")
    if _language.get() == "en" and isinstance(english, str) and english.strip():
        return english
    return str(dutch)


def indicator_labels(catalogue: object) -> dict[str, str]:
    """indicator -> label in the current language, from a frame with indicator, label_nl and
    (optionally) label_en."""
    return {row["indicator"]: indicator_label(row) for row in catalogue.to_dict("records")}


def localized_text(path: Path) -> str:
    """A content file in the current language: NAME.en.md beside NAME.md when there is one."""
    language = _language.get()
    if language != DEFAULT:
        translated = path.with_name(f"{path.stem}.{language}{path.suffix}")
        if translated.exists():
            return translated.read_text(encoding="utf-8")
    return path.read_text(encoding="utf-8")


def catalog_messages(language: str) -> dict[str, str]:
    """msgid -> translation of a language's catalogue (for tests and translators)."""
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=language)
    return {m.id: m.string for m in catalog if m.id}
