"""An independent checker for the subset of Mermaid ``xychart-beta`` the digest emits.

Written from https://mermaid.js.org/syntax/xyChart.html, not from the emitter, so a change to the
emitter that leaves the subset fails here::

    chart     := [directive NL] "xychart-beta" NL title NL x-axis NL y-axis (NL bar)+
    directive := "%%{init: " JSON-object "}%%"
    title     := INDENT "title " STRING
    x-axis    := INDENT "x-axis [" STRING ("," SP STRING)* "]"
    y-axis    := INDENT "y-axis " STRING SP NUMBER " --> " NUMBER
    bar       := INDENT "bar [" NUMBER ("," SP NUMBER)* "]"
    STRING    := '"' (any character but '"' and newline)* '"'

plus what makes the chart right: one value per category in every series, values within the
y-axis range, and, since the bars are drawn over each other, a stack that never grows upwards.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_STRING = r'"[^"\n]*"'
_NUMBER = r"\d+"
_DIRECTIVE = re.compile(r"^%%\{init: (?P<json>\{.*\})\}%%$")
_TITLE = re.compile(rf"^ +title (?P<title>{_STRING})$")
_X_AXIS = re.compile(rf"^ +x-axis \[(?P<cats>{_STRING}(?:, {_STRING})*)\]$")
_Y_AXIS = re.compile(rf"^ +y-axis {_STRING} (?P<low>{_NUMBER}) --> (?P<high>{_NUMBER})$")
_BAR = re.compile(rf"^ +bar \[(?P<values>{_NUMBER}(?:, {_NUMBER})*)\]$")
_COLOR = re.compile(r"^#[0-9a-f]{6}$")


class InvalidChart(ValueError):
    pass


@dataclass(frozen=True)
class Chart:
    title: str
    categories: tuple[str, ...]
    low: int
    high: int
    bars: tuple[tuple[float, ...], ...]  # lines may have decimals
    palette: tuple[str, ...]


def _match(pattern: re.Pattern[str], line: str, what: str) -> re.Match[str]:
    found = pattern.match(line)
    if found is None:
        raise InvalidChart(f"expected {what}, got {line!r}")
    return found


def parse_chart(source: str) -> Chart:
    lines = source.split("\n")
    palette: tuple[str, ...] = ()
    if lines and lines[0].startswith("%%"):
        directive = json.loads(_match(_DIRECTIVE, lines.pop(0), "an init directive")["json"])
        colors = directive["themeVariables"]["xyChart"]["plotColorPalette"]
        palette = tuple(c.strip() for c in colors.split(","))
        if not all(_COLOR.match(c) for c in palette):
            raise InvalidChart(f"bad palette {colors!r}")
    if len(lines) < 5 or lines[0] != "xychart-beta":
        raise InvalidChart("a chart starts with xychart-beta and has a title, axes and bars")
    title = _match(_TITLE, lines[1], "a title")["title"].strip('"')
    categories = tuple(
        c.strip('"') for c in re.findall(_STRING, _match(_X_AXIS, lines[2], "x-axis")["cats"])
    )
    y_axis = _match(_Y_AXIS, lines[3], "y-axis")
    bars = tuple(
        tuple(int(v) for v in _match(_BAR, line, "a bar series")["values"].split(", "))
        for line in lines[4:]
    )
    chart = Chart(title, categories, int(y_axis["low"]), int(y_axis["high"]), bars, palette)
    _check_meaning(chart)
    return chart


def _check_meaning(chart: Chart) -> None:
    if any(len(series) != len(chart.categories) for series in chart.bars):
        raise InvalidChart("every bar series needs one value per category")
    if any(not chart.low <= v <= chart.high for series in chart.bars for v in series):
        raise InvalidChart("a value falls outside the y-axis range")
    for lower, upper in zip(chart.bars[1:], chart.bars, strict=False):
        if any(a > b for a, b in zip(lower, upper, strict=True)):
            raise InvalidChart("a later (front) bar is taller than the one behind it")
    if chart.palette and len(chart.palette) != len(chart.bars):
        raise InvalidChart("one colour per series")


def mermaid_blocks(markdown: str) -> list[str]:
    """The sources of the ```mermaid fences in a body."""
    return re.findall(r"^```mermaid\n(.*?)\n```$", markdown, flags=re.MULTILINE | re.DOTALL)


# Line values may have decimals (a business metric: 12.5); Mermaid's xychart reads
# ``NUMBER_WITH_DECIMAL`` in data arrays (https://mermaid.js.org/syntax/xyChart.html).
_DECIMAL = r"\d+(?:\.\d+)?"
_LINE = re.compile(rf"^ +line \[(?P<values>{_DECIMAL}(?:, {_DECIMAL})*)\]$")


def check_lines(source: str) -> Chart:
    """A line chart (the OKR tracker's): the same header, then ``line [...]`` series, each with
    one value per category within the y-axis, and one colour per line. Lines may cross."""
    lines = source.strip("\n").split("\n")
    header = [line for line in lines if not _LINE.match(line)]
    series = [line for line in lines if _LINE.match(line)]
    if not series:
        raise InvalidChart("a line chart has at least one line")
    palette: tuple[str, ...] = ()
    if header[0].startswith("%%"):
        directive = json.loads(_match(_DIRECTIVE, header.pop(0), "an init directive")["json"])
        colors = directive["themeVariables"]["xyChart"]["plotColorPalette"]
        palette = tuple(c.strip() for c in colors.split(","))
        if not all(_COLOR.match(c) for c in palette):
            raise InvalidChart(f"bad palette {colors!r}")
    # The header checks reuse the bar chart's parser on a chart with one dummy bar.
    width = len(_match(_LINE, series[0], "a line")["values"].split(", "))
    parsed = parse_chart("\n".join([*header, "    bar [" + ", ".join(["0"] * width) + "]"]))
    values = tuple(
        tuple(float(v) for v in _match(_LINE, line, "a line")["values"].split(", "))
        for line in series
    )
    chart = Chart(parsed.title, parsed.categories, parsed.low, parsed.high, values, palette)
    if any(len(v) != len(chart.categories) for v in values):
        raise InvalidChart("every line needs one value per category")
    if any(not chart.low <= v <= chart.high for line in values for v in line):
        raise InvalidChart("a value falls outside the y-axis range")
    if chart.palette and len(chart.palette) != len(values):
        raise InvalidChart("one colour per line")
    return chart
