"""A stacked bar chart in Mermaid's ``xychart-beta`` syntax, which GitHub renders in issues.

GitHub renders ```` ```mermaid ```` blocks (https://docs.github.com/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams).
``xychart-beta`` (https://mermaid.js.org/syntax/xyChart.html) draws every ``bar`` series at the
same x position, later series over earlier ones, and has no stacking option: drawing the running
totals from the largest down gives a stacked chart. It has no legend either, so the palette is set
with an ``%%{init}%%`` directive and the caller prints the legend in Markdown.

Only the small grammar subset below is emitted; tests check the text against it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

_UNSAFE = re.compile(r'["\\\[\]\n\r`%{}]')


@dataclass(frozen=True)
class Series:
    """One layer of the stack, bottom first: its name, colour and a value per category."""

    name: str
    color: str  # "#rrggbb"
    values: tuple[float, ...]  # whole numbers for bars; lines may have decimals


def _quoted(text: str) -> str:
    # Mermaid strings end at the next double quote and have no escapes: drop what could break out.
    return '"' + _UNSAFE.sub("", text).strip() + '"'


def stacked_bars(
    title: str, categories: Sequence[str], layers: Sequence[Series], y_title: str
) -> str:
    """The chart source, without the fence. ``layers`` go bottom to top."""
    if not categories or not layers:
        raise ValueError("a chart needs at least one category and one series")
    if any(len(layer.values) != len(categories) for layer in layers):
        raise ValueError("every series needs one value per category")
    if any(value < 0 for layer in layers for value in layer.values):
        raise ValueError("stacked values must be counts (>= 0)")
    totals = [_running_totals(layers, count) for count in range(len(layers), 0, -1)]
    palette = ", ".join(layer.color for layer in reversed(layers))
    init = {"themeVariables": {"xyChart": {"plotColorPalette": palette}}}
    top = max(max(totals[0]), 1)
    lines = [
        f"%%{{init: {json.dumps(init)}}}%%",
        "xychart-beta",
        f"    title {_quoted(title)}",
        f"    x-axis [{', '.join(_quoted(c) for c in categories)}]",
        f"    y-axis {_quoted(y_title)} 0 --> {top}",
        *(f"    bar [{', '.join(_number(v) for v in series)}]" for series in totals),
    ]
    return "\n".join(lines)


def _number(value: float) -> str:
    """A data value as Mermaid reads it: a whole number plainly, else at most 4 decimals."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _running_totals(layers: Sequence[Series], count: int) -> list[float]:
    """Per category, the sum of the ``count`` bottom layers."""
    return [sum(layer.values[i] for layer in layers[:count]) for i in range(len(layers[0].values))]


def lines(
    title: str, categories: Sequence[str], layers: Sequence[Series], y_title: str, top: int = 100
) -> str:
    """A line chart (one ``line`` per series, in order), without the fence; values 0 to ``top``.

    Like the bars, it has no legend: the palette is set in the same order as the lines, and the
    caller writes the legend (and the same numbers as a table) in Markdown.
    """
    if not categories or not layers:
        raise ValueError("a chart needs at least one category and one series")
    if any(len(layer.values) != len(categories) for layer in layers):
        raise ValueError("every series needs one value per category")
    palette = ", ".join(layer.color for layer in layers)
    init = {"themeVariables": {"xyChart": {"plotColorPalette": palette}}}
    return "\n".join(
        [
            f"%%{{init: {json.dumps(init)}}}%%",
            "xychart-beta",
            f"    title {_quoted(title)}",
            f"    x-axis [{', '.join(_quoted(c) for c in categories)}]",
            f"    y-axis {_quoted(y_title)} 0 --> {top}",
            *(f"    line [{', '.join(_number(v) for v in layer.values)}]" for layer in layers),
        ]
    )
