"""Charts as base64 PNG for a self-contained page, each with a text alternative.

matplotlib's object API (a Figure per chart, the Agg canvas, no pyplot) so
charts can be drawn in a server thread without touching global state. Every
chart comes with an `alt` sentence; the page also shows each chart's numbers
as a table, which is the full text alternative.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Colour-blind-safe (Okabe-Ito), in the order series appear.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


@dataclass(frozen=True)
class Chart:
    png_base64: str
    alt: str


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def stacked_bars(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], alt: str, width: float = 8.0
) -> Chart:
    """Stacked vertical bars, one stack per label (a day or a week), one colour per series."""
    figure = Figure(figsize=(width, 3.0))
    axes = figure.add_subplot()
    bottom = [0] * len(labels)
    positions = list(range(len(labels)))
    for i, (name, values) in enumerate(series):
        axes.bar(positions, values, bottom=bottom, label=name, color=PALETTE[i % len(PALETTE)], width=0.8)
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_title(title, fontsize=10, loc="left")
    step = max(1, len(labels) // 12)
    axes.set_xticks(positions[::step], [labels[i] for i in positions[::step]], fontsize=8, rotation=0)
    axes.tick_params(axis="y", labelsize=8)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if series:
        axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return Chart(_png(figure), alt)


def horizontal_bars(title: str, items: Sequence[tuple[str, int]], alt: str) -> Chart:
    """One bar per item, largest at the top."""
    figure = Figure(figsize=(8.0, max(1.6, 0.3 * len(items) + 0.8)))
    axes = figure.add_subplot()
    names = [name for name, _ in items][::-1]
    values = [value for _, value in items][::-1]
    axes.barh(range(len(items)), values, color=PALETTE[0])
    axes.set_yticks(range(len(items)), names, fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_title(title, fontsize=10, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    return Chart(_png(figure), alt)
