"""A review's metrics (SPEC §10): six weeks of each metric, from its CSV file and ``/metric``.

Pure. The review of week W reports the week that just ended (W-1), with the five weeks before it
for the trend. A value comes from, in order of precedence:

1. ``/metric KEY VALUE`` by the area owner in the review that reports that week, as they wrote
   it (SPEC §4: a comment someone else edited carries nothing), the latest line winning; for
   the weeks before, as the earlier reviews' bodies recorded them (the bot's own markers,
   ``rituals/reported_metrics.py``), so the history is derived and never re-read from people's
   comments;
2. the metric's column in its CSV file on the default branch (``metrics_csv``).

A file that cannot be read (not there, no ``week`` column, the key missing from its header) costs
its metrics their file values, each saying why; a bad row costs only the cells it touches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ritual_bot.markdown import LineKind, classify_lines
from ritual_bot.metrics_csv import (
    MetricsCsvError,
    MetricsTable,
    Reading,
    parse_number,
    read_metrics,
)
from ritual_bot.model import Comment
from ritual_bot.periods import Period
from ritual_bot.rituals.review.config import Amount, Area, Metric

WEEKS_SHOWN = 6
_COMMAND = re.compile(r"^/metric\b\s*(?P<rest>.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Value:
    value: float
    percent: bool = False
    url: str = ""  # where it was given (a /metric comment); "" for a file's
    source: str = "file"  # "file" or "/metric"

    def __str__(self) -> str:
        return format_number(self.value, self.percent)


def format_number(value: float, percent: bool = False) -> str:
    text = (
        f"{value:,.2f}".rstrip("0").rstrip(".")
        if not float(value).is_integer()
        else f"{int(value):,}"
    )
    return f"{text}%" if percent else text


# --- /metric --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """One ``/metric`` line: the key as written, the value, or what is wrong with it."""

    key: str
    value: Value | None
    problem: str = ""


def read_metric_lines(body: str) -> list[Given]:
    """Every ``/metric KEY VALUE`` prose line of a comment (quoted or fenced ones do not count)."""
    found = []
    for line in classify_lines(body):
        match = _COMMAND.match(line.text.strip()) if line.kind is LineKind.TEXT else None
        if match is None:
            continue
        words = match["rest"].split(maxsplit=1)
        if len(words) < 2:
            found.append(Given(words[0] if words else "", None, "write `/metric KEY VALUE`"))
            continue
        key, raw = words[0].strip("`"), words[1].strip()
        mark = "," if "," in raw and "." not in raw else "."
        try:
            number, unit = parse_number(raw, mark)
        except ValueError:
            found.append(Given(key, None, f"{raw!r} is not a number (e.g. 480, 12.5, 45%)"))
            continue
        found.append(Given(key, Value(number, unit == "%", source="/metric")))
    return found


# --- Six weeks of a metric ------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricView:
    area: Area
    metric: Metric
    weeks: tuple[str, ...]  # oldest first; the last is the week reported
    values: tuple[Value | None, ...]
    problems: tuple[str, ...] = ()

    @property
    def current(self) -> Value | None:
        return self.values[-1]

    @property
    def before(self) -> Value | None:
        return self.values[-2] if len(self.values) > 1 else None

    @property
    def change(self) -> float | None:
        if self.current is None or self.before is None:
            return None
        return self.current.value - self.before.value

    @property
    def relative_change(self) -> float | None:
        if self.change is None or self.before is None or self.before.value == 0:
            return None
        return self.change / abs(self.before.value)

    @property
    def gap(self) -> float | None:
        """How far from target, positive when short of it (whichever way is better)."""
        target = self.metric.target
        if target is None or self.current is None:
            return None
        short = target.value - self.current.value
        return short if self.metric.better == "higher" else -short

    def alert(self) -> str:
        """Why the owner is asked to explain, or "" (SPEC §10: the change exceeds ``alert``, or
        the value is off target)."""
        reasons = []
        limit: Amount | None = self.metric.alert
        if limit is not None and self.change is not None:
            moved = self.relative_change if limit.percent else self.change
            if moved is not None and abs(moved * (100 if limit.percent else 1)) > limit.value:
                reasons.append(f"it moved {self.change_text()} on the week (alert: {limit})")
        if self.gap is not None and self.gap > 0:
            reasons.append(f"it is off target ({self.current} vs {self.metric.target})")
        return "; ".join(reasons)

    def change_text(self) -> str:
        if self.change is None:
            return ""
        sign = "+" if self.change >= 0 else "-"
        percent = self.current.percent if self.current else False
        text = f"{sign}{format_number(abs(self.change), percent)}"
        if self.relative_change is not None and not percent:
            text += f" ({sign}{abs(self.relative_change) * 100:.0f}%)"
        return text


def shown_weeks(reported: Period) -> tuple[str, ...]:
    weeks = [reported]
    while len(weeks) < WEEKS_SHOWN:
        weeks.insert(0, weeks[0].previous())
    return tuple(str(w) for w in weeks)


def file_tables(
    files: Mapping[str, str | None], keys_by_file: Mapping[str, Sequence[str]]
) -> dict[str, MetricsTable | str]:
    """Each metrics file read (or why it cannot be): ``files`` maps a path to its content, None
    when it is not on the default branch."""
    found: dict[str, MetricsTable | str] = {}
    for path, keys in keys_by_file.items():
        content = files.get(path)
        if content is None:
            found[path] = f"`{path}` is not on the default branch"
            continue
        try:
            found[path] = read_metrics(content, keys=keys)
        except MetricsCsvError as error:
            found[path] = f"`{path}`: {error}"
    return found


def metric_view(
    area: Area,
    metric: Metric,
    weeks: Sequence[str],
    tables: Mapping[str, MetricsTable | str],
    given: Mapping[tuple[str, str], Value],
) -> MetricView:
    problems: list[str] = []
    readings: Mapping[str, Reading] = {}
    if metric.file:
        table = tables.get(metric.file)
        if isinstance(table, str):
            problems.append(table)
        elif table is not None:
            readings = table.metric(metric.key)
            problems += [f"`{metric.file}` {p}" for p in table.problems_for(metric.key)]
    values: list[Value | None] = []
    for week in weeks:
        mine = given.get((metric.key.casefold(), week))
        reading = readings.get(week)
        if mine is not None:
            values.append(mine)
        elif reading is not None:
            values.append(Value(reading.value, reading.unit == "%"))
        else:
            values.append(None)
    return MetricView(area, metric, tuple(weeks), tuple(values), tuple(problems))


def given_now(
    comments: Sequence[tuple[Comment, str | None, datetime]], owners: Mapping[str, str], week: str
) -> tuple[dict[tuple[str, str], Value], list[tuple[Comment, list[str]]]]:
    """``/metric`` lines in a review's comments: (comment, who wrote its text, when) in order.
    ``owners``: metric key casefolded → its area owner. Returns the values for ``week`` (latest
    wins) and, per comment, what was refused."""
    values: dict[tuple[str, str], Value] = {}
    refused: list[tuple[Comment, list[str]]] = []
    for comment, by, _ in comments:
        problems = []
        for given in read_metric_lines(comment.body):
            owner = owners.get(given.key.casefold())
            if given.problem:
                prefix = f"/metric {given.key}: " if given.key else ""
                problems.append(f"{prefix}{given.problem}")
            elif owner is None:
                known = ", ".join(sorted(owners)) or "none"
                problems.append(f"/metric {given.key}: no such metric (metrics: {known})")
            elif by is None or not comment.author.same(by):
                problems.append(
                    f"/metric {given.key}: this comment was last edited by "
                    f"{by or 'someone unknown'}, not its author"
                )
            elif not comment.author.same(owner):
                problems.append(f"/metric {given.key}: only the area owner, @{owner}, gives it")
            elif given.value is not None:
                values[(given.key.casefold(), week)] = Value(
                    given.value.value, given.value.percent, comment.html_url, "/metric"
                )
        if problems:
            refused.append((comment, problems))
    return values, refused
