"""Static chart images for the report (matplotlib, no browser): DataFrame in, PNG bytes out."""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

from wijkimpact.charts.figures import CATEGORY_COLOURS, EARNED
from wijkimpact.formatting import euro, percent

INK = "#2b2b2b"
MUTED = "#6b6b6b"
GRID = "#e3e3e3"
DPI = 200
STYLE = {
    "font.family": "DejaVu Sans",  # bundled with matplotlib; the PDF embeds the same font
    "font.size": 8.5,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.major.size": 0,
    "ytick.major.size": 0,
    "text.color": INK,
    "legend.frameon": False,
    "text.parse_math": False,  # a theme like 'Kosten $5 en $8' is text, not TeX
}


def _euro_axis(value: float, _pos: int) -> str:
    return euro(value)


def _png(fig: Figure) -> bytes:
    """PNG without an alpha channel (a soft mask greys the white background in some viewers):
    drawn once by Agg and encoded once (the PDF compresses the pixels again on its own)."""
    fig.set_dpi(DPI)
    fig.set_facecolor("white")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    buffer = io.BytesIO()
    pixels.convert("RGB").save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _bold_year(ax, year: int) -> None:
    for label in ax.get_xticklabels():
        if label.get_text() == str(year):
            label.set_fontweight("bold")
            label.set_color(INK)


def income_by_source(income: pd.DataFrame, year: int, size=(7.2, 3.0)) -> bytes:
    """Stacked bars of income per source over the years; earned green, granted orange."""
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
        # earned sources at the bottom of each bar, granted ones on top
        ranked = income.assign(granted=income["income_type"] == "gesubsidieerd")
        table = ranked.pivot_table(
            index="year", columns=["granted", "sort_order", "categorie", "income_type"],
            values="bedrag", aggfunc="sum", fill_value=0,
        ).sort_index(axis=1)
        years = [str(y) for y in table.index]
        bottom = pd.Series(0.0, index=table.index)
        counters = {"verdiend": 0, "gesubsidieerd": 0}
        for column in table.columns:
            *_, label, kind = column
            values = table[column]
            if not values.any():
                continue
            palette = CATEGORY_COLOURS[kind]
            colour = palette[counters[kind] % len(palette)]
            counters[kind] += 1
            ax.bar(years, values, bottom=bottom, label=label, color=colour, width=0.62)
            bottom += values
        top = bottom.max() if len(bottom) else 0
        for x, total in zip(years, bottom, strict=True):
            weight = "bold" if x == str(year) else "normal"
            ax.text(x, total + top * 0.015, euro(total), ha="center", va="bottom",
                    fontsize=7, color=INK, fontweight=weight)
        ax.set_ylim(0, top * 1.12 if top else 1)
        ax.yaxis.set_major_formatter(FuncFormatter(_euro_axis))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        _bold_year(ax, year)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, reverse=True)
        return _png(fig)


def earning_power(trend: pd.DataFrame, year: int, size=(3.5, 2.5)) -> bytes:
    """Verdienvermogen per year as a line with each value written at its point."""
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
        shown = trend.dropna(subset=["verdienvermogen"])
        years = [str(y) for y in shown["year"]]
        ax.plot(years, shown["verdienvermogen"], color=EARNED, marker="o", markersize=4,
                linewidth=1.8)
        for x, value in zip(years, shown["verdienvermogen"], strict=True):
            this = x == str(year)
            ax.annotate(percent(value, 0), (x, value), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=7.5 if this else 6.8,
                        fontweight="bold" if this else "normal", color=INK if this else MUTED)
            if this:
                ax.plot([x], [value], marker="o", markersize=7, color=EARNED)
        ax.set_ylim(0, 1.08)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: percent(v, 0)))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(axis="x", labelsize=7)
        _bold_year(ax, year)
        return _png(fig)


def reinvested_by_theme(themes: pd.DataFrame, size=(3.5, 2.5)) -> bytes | None:
    """Horizontal bars of the year's reinvestments per theme, largest on top; None when empty."""
    if themes.empty:
        return None
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
        ordered = themes.sort_values("amount")
        ax.barh(ordered["thema"], ordered["amount"], color=EARNED, height=0.6)
        most = ordered["amount"].max()
        for y, value in zip(ordered["thema"], ordered["amount"], strict=True):
            ax.text(value + most * 0.02, y, euro(value), va="center", fontsize=7.5, color=INK)
        ax.set_xlim(0, most * 1.45)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="y", labelsize=8, labelcolor=INK)
        # the same bar thickness for one theme or six, starting at the top
        slots = max(len(ordered), 5)
        ax.set_ylim(len(ordered) - slots - 0.5, len(ordered) - 0.5)
        return _png(fig)

