"""Everything a page run shows, for the access tests: every text, every number (metric values,
dataframe cells, plotly specs with their base64 arrays, download files), and a search for
figures that must not be there."""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
from google.protobuf.descriptor import FieldDescriptor
from streamlit.runtime.media_file_manager import MediaFileManager

from wijkimpact.formatting import euro, number
from wijkimpact.ui.kaart import map_chart


@dataclass
class Shown:
    """What a page showed: texts (also every cell as text) and numbers."""

    texts: list[str] = field(default_factory=list)
    numbers: list[float] = field(default_factory=list)
    files: int = 0

    def text(self, value: str) -> None:
        self.texts.append(value)
        stripped = value.strip()
        if stripped[:1] in "{[" and len(stripped) > 1:
            with contextlib.suppress(ValueError):
                self.json(json.loads(stripped))

    def number(self, value: object) -> None:
        try:
            value = float(value)
        except (TypeError, ValueError):
            return
        if math.isfinite(value):
            self.numbers.append(value)

    def json(self, data: object) -> None:
        if isinstance(data, dict):
            if "bdata" in data and "dtype" in data:  # plotly's base64 numeric arrays
                raw = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
                for value in raw.ravel().tolist():
                    self.number(value)
                return
            for key, value in data.items():
                self.text(str(key))
                self.json(value)
        elif isinstance(data, list | tuple):
            for value in data:
                self.json(value)
        elif isinstance(data, str):
            self.text(data)
        elif isinstance(data, bool) or data is None:
            return
        elif isinstance(data, int | float):
            self.number(data)

    def value(self, data: object) -> None:
        """A dataframe cell, a list in a cell, or anything else."""
        if isinstance(data, np.ndarray | list | tuple):
            for item in data:
                self.value(item)
        elif isinstance(data, dict):
            self.json(data)
        elif isinstance(data, str):
            self.text(data)
        elif isinstance(data, bytes):
            self.blob(data)
        elif isinstance(data, bool | np.bool_) or data is None:
            return
        elif isinstance(data, int | float | np.integer | np.floating):
            self.number(data)
        else:
            self.text(str(data))

    def frame(self, frame: pd.DataFrame) -> None:
        for column in frame.columns:
            self.text(str(column))
            for value in frame[column].tolist():
                self.value(value)

    def blob(self, data: bytes) -> None:
        """Arrow tables (dataframes), xlsx, PDF or CSV bytes."""
        if data[:4] == b"PK\x03\x04" or data[:5] == b"%PDF-":
            read = _document(data)
            self.files += 1
            self.texts += read.texts
            self.numbers += read.numbers
            return
        try:
            table = pa.ipc.open_stream(pa.BufferReader(data)).read_all()
        except (pa.ArrowInvalid, OSError):
            table = None
        if table is not None:
            self.frame(table.to_pandas())
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return
        if text[:1] == "{":  # JSON: the data of /kaart's map (ui.kaart.map_chart)
            self.text(text)
            return
        self.files += 1
        self.text(text)
        for cell in re.split(r"[;\n]", text):  # CSV with decimal commas: '203937,99'
            self.number(cell.strip().replace(",", ".")) if cell.strip() else None

    def proto(self, message) -> None:
        for descriptor, value in message.ListFields():
            is_map = (
                descriptor.type == FieldDescriptor.TYPE_MESSAGE
                and descriptor.message_type.GetOptions().map_entry
            )
            if is_map:
                for key, item in value.items():
                    self.text(str(key))
                    self._scalar_or_message(descriptor.message_type.fields_by_name["value"], item)
                continue
            items = value if descriptor.is_repeated else [value]
            for item in items:
                self._scalar_or_message(descriptor, item)

    def _scalar_or_message(self, descriptor, item) -> None:
        if descriptor.type == FieldDescriptor.TYPE_MESSAGE:
            self.proto(item)
        elif descriptor.type == FieldDescriptor.TYPE_STRING:
            self.text(item)
        elif descriptor.type == FieldDescriptor.TYPE_BYTES:
            self.blob(item)
        elif descriptor.type not in (FieldDescriptor.TYPE_BOOL, FieldDescriptor.TYPE_ENUM):
            self.number(item)


@functools.lru_cache(maxsize=64)
def _document(data: bytes) -> Shown:
    """What an xlsx or PDF file holds, read once per content: the same download (a report, an
    Excel table) comes back on every run of a page and costs the most to read."""
    shown = Shown()
    if data[:5] == b"%PDF-":
        from pypdf import PdfReader

        for page in PdfReader(io.BytesIO(data)).pages:
            shown.text(page.extract_text())
        return shown
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                shown.value(value)
    return shown


def _nodes(node) -> Iterator:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def element_ids(at) -> list[str]:
    """The ids of every element of the last run (they end in the element's key)."""
    ids = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        identifier = getattr(proto, "id", None)
        if isinstance(identifier, str) and identifier:
            ids.append(identifier)
    return ids


def charts(at) -> list[dict]:
    """The plotly figures of the last run, in the page's order: those of st.plotly_chart and
    the SVG map of /kaart, which the app draws in a component of its own (ui.kaart.map_chart)."""
    figures = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if getattr(node, "type", None) == "plotly_chart":
            figures.append(json.loads(proto.spec))
        elif getattr(proto, "component_name", None) == map_chart.NAME:
            figures.append(json.loads(proto.bytes)["figure"])
    return figures


def collect(at, downloads: Iterable[bytes] = (), into: Shown | None = None) -> Shown:
    """Everything the last run of ``at`` showed, plus the bytes of its downloads."""
    shown = into or Shown()
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            shown.proto(proto)
    for data in downloads:
        shown.blob(data)
    return shown


def markdown_text(body: str) -> str:
    """What a reader sees of Markdown text escaped for display (wijkimpact.escaping): the
    backslash before ASCII punctuation gone (CommonMark), and the invisible word joiners."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", body).replace("\u2060", "")


def _needle(text: str) -> re.Pattern:
    # not part of a longer number: '€ 8.274' must not match '€ 18.274' or '€ 8.274.000'
    return re.compile(r"(?<![\d.,])" + re.escape(text) + r"(?![\d]|[.,]\d)")


@functools.lru_cache(maxsize=65_536)
def _needles(value: float, style: str) -> tuple[str, ...]:
    """A figure as the app writes it in the number style ``style`` (how euro() writes a sample
    amount in this run's locale: the cache key): its euro() text, and its number() text for
    large ones. Once per figure and style: each viewer's figures are searched on every page."""
    del style
    return (euro(value), number(value)) if abs(value) >= 10_000 else (euro(value),)


def leaks(figures: Iterable[tuple[str, float]], shown: Shown) -> list[str]:
    """The figures (label, value) that the page showed: as euro() text, as number() text for
    large ones, or as a raw number (in dataframes, charts and downloads) for those of at
    least 1.000."""
    found = []
    text = "\n".join(dict.fromkeys(shown.texts))  # each text once: a figure is in one of them
    rounded = {round(n, 2) for n in shown.numbers}
    style = euro(-1234567.5, decimals=2)  # the run's locale, as formatting writes amounts
    for label, value in figures:
        if value is None or not math.isfinite(value) or abs(value) < 1:
            continue
        needles = _needles(value, style)
        # the plain search first: the pattern only where the text holds the figure at all
        hit = next((n for n in needles if n in text and _needle(n).search(text)), None)
        if hit is None and abs(value) >= 1000 and round(value, 2) in rounded:
            hit = f"{value!r} (als getal)"
        if hit is not None:
            found.append(f"{label} = {hit}")
    return found


class Downloads(MediaFileManager):
    """AppTest's media file manager, kept so that a test can click a download button: patch
    ``streamlit.testing.v1.app_test.MediaFileManager`` with it before the page runs."""

    made: list[Downloads] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        Downloads.made.append(self)

    @classmethod
    def click(cls, at, key: str) -> bytes:
        """The file the download button ``key`` (made when clicked) hands the browser."""
        [button] = [b for b in at.get("download_button") if b.proto.id.endswith(key)]
        for manager in reversed(cls.made):
            entry = manager._deferred_callables.get(button.proto.deferred_file_id)
            if entry is not None:
                data = entry["callable"]()
                return data.encode() if isinstance(data, str) else bytes(data)
        raise AssertionError(f"download {key!r} has no file")
