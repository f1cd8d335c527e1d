"""Metrics CSV files as people export them, read into weekly series (SPEC §10, issue 16).

Pure: text (or bytes) in, values and problems out. The shape: a first column ``week`` holding an
ISO week (``2026-W48``) or a date (``2026-11-23``, read as the ISO week it falls in), then one
column per metric key. Files come from Google Sheets, Excel (in French: ``;`` separators,
decimal commas, often saved in Windows-1252), scripts and other workflows, so:

- the dialect is found by ``csv.Sniffer``, checked against the header (whose first cell must be
  ``week``), and otherwise taken from the character that follows ``week`` in it; the ``csv``
  module does all the splitting (quoted fields, CRLF, line breaks inside quotes);
- numbers keep their spelling's meaning: ``12,5``, ``1,200``, ``1 200``, ``1.200,5``, ``45%``.
  One decimal mark holds for the whole file: the one its unambiguous numbers show (``12,5`` or
  ``1.200,5`` show a comma, ``12.5`` or ``1,200.5`` a point), else a comma when fields are split
  by ``;`` and a point otherwise. ``1,200`` alone is twelve hundred in a point file;
- an empty cell (or ``n/a``, ``-``) is a missing value, never zero;
- a bad cell fails only that cell, a bad week or a row with more cells than the header fails
  that row's values (each problem names the metrics it touches, with its line), and the rest of
  the file is read. Only a file without its ``week`` column, or without a requested key in its
  header, cannot be read at all (``MetricsCsvError``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

WEEK_COLUMN = "week"
DELIMITERS = ",;\t"
# Cells that say "no value" on purpose: missing, not a problem.
_NO_VALUE = frozenset({"", "-", "\u2013", "\u2014", "n/a", "na", "n.a.", "none", "null"})
# Spreadsheet error values: a formula broke, which its owner should hear about.
_SHEET_ERROR = re.compile(r"^#(N/A|DIV/0!|REF!|VALUE!|NAME\?|NUM!|NULL!|ERROR!?)$", re.IGNORECASE)
_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$")
# Spaces that group thousands: plain, no-break (Excel FR) and narrow no-break (fr typography).
_SPACES = re.compile(r"[ \u00a0\u202f]")
_MINUS = "-\u2212"  # hyphen-minus and the minus sign
_EXPONENT = re.compile(r"^\d+(?:\.\d+)?[eE][+-]?\d+$")


class MetricsCsvError(ValueError):
    """The file cannot be read at all: no ``week`` column, or a requested key not in its header."""


@dataclass(frozen=True)
class Reading:
    """One metric's value for one week: ``unit`` is ``%`` when written with a percent sign
    (``45%`` is 45 with unit %), else empty; ``line`` is where it was read (1-based)."""

    value: float
    unit: str = ""
    line: int = 0


@dataclass(frozen=True)
class Problem:
    """Something in the file that cost values: where, what, and which metrics lost a value."""

    line: int
    message: str
    keys: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class MetricsTable:
    """A file's metrics: per key (as its header spells it), ISO week -> reading."""

    columns: tuple[str, ...]
    series: Mapping[str, Mapping[str, Reading]]
    problems: tuple[Problem, ...] = ()
    delimiter: str = ","
    decimal_mark: str = "."
    _by_folded: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def column(self, key: str) -> str | None:
        """The header's spelling of ``key`` (matched without case or surrounding spaces)."""
        return self._by_folded.get(_fold(key))

    def metric(self, key: str) -> Mapping[str, Reading]:
        """The weekly readings of ``key``: ISO week (``2026-W48``) -> reading."""
        found = self.column(key)
        if found is None:
            raise MetricsCsvError(_missing_message([key], self.columns))
        return self.series[found]

    def problems_for(self, key: str) -> tuple[Problem, ...]:
        found = self.column(key)
        return tuple(p for p in self.problems if found is not None and found in p.keys)


def read_metrics(source: str | bytes, *, keys: Iterable[str] = ()) -> MetricsTable:
    """Read a metrics CSV; ``keys`` must all be columns of its header (``MetricsCsvError``)."""
    text = _decode(source)
    dialect, skipped = _dialect(text)
    rows = _rows(text, dialect, skipped)
    if not rows:
        raise MetricsCsvError(f"the file is empty: its first line must be `{WEEK_COLUMN},<key>…`")
    header_line, header = rows[0]
    names = [cell.strip() for cell in header]
    if not names or _fold(names[0]) != WEEK_COLUMN:
        first = names[0] if names else ""
        raise MetricsCsvError(
            f"line {header_line}: the first column must be `{WEEK_COLUMN}` "
            f"(an ISO week like 2026-W48 or a date like 2026-11-23), not `{first}`"
        )
    columns, problems, by_folded = _columns(header_line, names[1:])
    for problem in problems:  # a requested column named twice cannot be read either
        if any(_fold(k) == _fold(problem.keys[0]) for k in keys):
            raise MetricsCsvError(f"line {header_line}: {problem.message}")
    missing = [k for k in keys if _fold(k) not in by_folded]
    if missing:
        raise MetricsCsvError(_missing_message(missing, tuple(c for c in columns if c)))
    delimiter = str(dialect.delimiter)
    cells = [cell for _, row in rows[1:] for cell in row[1:]]
    mark = _decimal_mark(cells, delimiter)
    series = _Series({name: {} for name in columns if name})
    for line, row in rows[1:]:
        problems.extend(_read_row(line, row, columns, mark, series))
    return MetricsTable(
        columns=tuple(name for name in columns if name),
        series=MappingProxyType({k: MappingProxyType(v) for k, v in series.by_key.items()}),
        problems=tuple(problems),
        delimiter=delimiter,
        decimal_mark=mark,
        _by_folded=MappingProxyType(by_folded),
    )


# -- decoding and splitting ----------------------------------------------------------------------


def _decode(source: str | bytes) -> str:
    """UTF-8 (with or without a BOM); else Windows-1252, which Excel uses for "CSV" on Windows."""
    if isinstance(source, bytes):
        try:
            return source.decode("utf-8-sig")
        except UnicodeDecodeError:
            return source.decode("cp1252", errors="replace")
    return source.removeprefix("\ufeff")


def _dialect(text: str) -> tuple[type[csv.Dialect] | csv.Dialect, int]:
    """The dialect, and how many lines come before the header.

    Excel's ``sep=;`` first line names the delimiter (and is not the header). Otherwise
    ``csv.Sniffer``'s guess, when the header it splits starts with ``week`` and has more than
    one cell; else the delimiter written right after ``week`` in the header; else a comma.
    """
    hint = re.match(r"sep=([,;\t|])[ \t]*\r?\n", text, re.IGNORECASE)
    if hint:
        return _with_delimiter(hint.group(1)), 1
    sample = text[:8192]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        sniffed = None
    if sniffed is not None:
        header = next(csv.reader(io.StringIO(sample, newline=""), sniffed), [])
        if len(header) > 1 and _fold(header[0]) == WEEK_COLUMN:
            return sniffed, 0
    found = re.match(r'\s*"?week"?\s*([,;\t])', sample, re.IGNORECASE)
    return _with_delimiter(found.group(1) if found else ","), 0


def _with_delimiter(char: str) -> type[csv.Dialect]:
    class Chosen(csv.excel):
        delimiter = char

    return Chosen


def _rows(
    text: str, dialect: type[csv.Dialect] | csv.Dialect, skipped: int
) -> list[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on (a quoted cell may span lines)."""
    body = text.split("\n", skipped)[-1] if skipped else text
    reader = csv.reader(io.StringIO(body, newline=""), dialect)
    out: list[tuple[int, list[str]]] = []
    last = skipped
    try:
        for row in reader:
            start, last = last + 1, skipped + reader.line_num
            if any(cell.strip() for cell in row):
                out.append((start, row))
    except csv.Error:
        pass  # an unterminated quote at the end: the rows before it stand
    return out


def _columns(line: int, names: list[str]) -> tuple[list[str], list[Problem], dict[str, str]]:
    """Metric columns by position ("" for one not read: unnamed, or named twice)."""
    folded = [_fold(name) for name in names]
    twice = {f for f in folded if f and folded.count(f) > 1}
    problems = [
        Problem(line, f"column `{name}` appears more than once: none of them is read", (name,))
        for name in (names[folded.index(f)] for f in dict.fromkeys(folded) if f in twice)
    ]
    columns = [name if f and f not in twice else "" for name, f in zip(names, folded, strict=True)]
    return columns, problems, {_fold(name): name for name in columns if name}


def _missing_message(missing: list[str], columns: tuple[str, ...]) -> str:
    listed = ", ".join(f"`{k}`" for k in missing)
    header = ", ".join(f"`{c}`" for c in columns) or "none"
    return f"no column {listed} in the header (its metric columns: {header})"


def _fold(name: str) -> str:
    return name.strip().casefold()


# -- weeks ---------------------------------------------------------------------------------------


def parse_week(text: str) -> str:
    """``2026-W48`` (or ``2026w48``), or a date, as its ISO week ``YYYY-Www``; ValueError if
    neither (or no such week/day: 2026 has 53 ISO weeks, 2025 only 52)."""
    raw = text.strip()
    week = _ISO_WEEK.match(raw)
    if week:
        year, number = int(week.group(1)), int(week.group(2))
        date.fromisocalendar(year, number, 1)  # raises for a week the year does not have
        return f"{year:04d}-W{number:02d}"
    day = _DATE.match(raw)
    if day:
        iso = date(int(day.group(1)), int(day.group(2)), int(day.group(3))).isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    raise ValueError(raw)


# -- numbers -------------------------------------------------------------------------------------


def _unsigned(cell: str) -> tuple[float, str, str]:
    """A cell as (sign, the number without its sign and percent sign, unit)."""
    text, unit = cell.strip(), ""
    if text.endswith("%"):
        text, unit = text[:-1].rstrip(), "%"
    sign = -1.0 if text[:1] in _MINUS else 1.0
    return sign, text[1:] if text[:1] in "+" + _MINUS else text, unit


def _evidence(cell: str) -> str | None:
    """The decimal mark a number's spelling proves, if it proves one."""
    text = _SPACES.sub("", _unsigned(cell)[1])
    if not re.fullmatch(r"[\d.,]+", text):
        return None
    commas, points = text.count(","), text.count(".")
    if commas and points:
        return "," if text.rfind(",") > text.rfind(".") else "."
    if commas + points == 0:
        return None
    mark = "," if commas else "."
    whole, _, after = text.partition(mark)
    if commas + points > 1:  # the mark repeats: it groups thousands, the other one is decimal
        return "." if mark == "," else ","
    # One mark before exactly three digits, after 1-3 digits not starting with 0, may be
    # either (1,200 / 1.200); anything else can only be decimal (12,5 / 0,250 / 1234,567).
    if len(after) == 3 and re.fullmatch(r"[1-9]\d{0,2}", whole):
        return None
    return mark


def _decimal_mark(cells: Iterable[str], delimiter: str) -> str:
    votes = {",": 0, ".": 0}
    for cell in cells:
        mark = _evidence(cell)
        if mark is not None:
            votes[mark] += 1
    default = "," if delimiter == ";" else "."
    if votes[","] == votes["."]:
        return default
    return "," if votes[","] > votes["."] else "."


def parse_number(cell: str, decimal_mark: str = ".") -> tuple[float, str]:
    """A number as people write it, with ``decimal_mark`` (``,`` or ``.``) as the file's:
    thousands grouped by the other mark, spaces or ``'``, always by three digits; a sign; a
    trailing ``%`` (the unit). ValueError when it is not a number under that mark."""
    sign, text, unit = _unsigned(cell)
    if decimal_mark == "." and _EXPONENT.fullmatch(text):
        return sign * float(text), unit
    group = re.escape("." if decimal_mark == "," else ",") + " \u00a0\u202f'\u2019"
    found = re.fullmatch(
        rf"(?P<whole>\d{{1,3}}(?P<sep>[{group}])\d{{3}}(?:(?P=sep)\d{{3}})*|\d*)"
        rf"(?:{re.escape(decimal_mark)}(?P<fraction>\d+))?",
        text,
    )
    if found is None or not (found["whole"] or found["fraction"]):
        raise ValueError(cell)
    whole = re.sub(r"\D", "", found["whole"]) or "0"
    return sign * float(f"{whole}.{found['fraction'] or 0}"), unit


# -- rows ----------------------------------------------------------------------------------------


@dataclass
class _Series:
    """Readings gathered row by row. A week given two different values for one metric keeps
    neither (which one is right cannot be told); the same value twice is fine."""

    by_key: dict[str, dict[str, Reading]]
    conflicts: set[tuple[str, str]] = field(default_factory=set)

    def add(self, name: str, week: str, reading: Reading) -> Problem | None:
        if (name, week) in self.conflicts:
            return None
        earlier = self.by_key[name].get(week)
        if earlier is None:
            self.by_key[name][week] = reading
            return None
        if (earlier.value, earlier.unit) == (reading.value, reading.unit):
            return None
        self.conflicts.add((name, week))
        del self.by_key[name][week]
        return Problem(
            reading.line,
            f"{name}: {week} has two different values (lines {earlier.line} and "
            f"{reading.line}): neither is read",
            (name,),
        )


def _read_row(
    line: int, row: list[str], columns: list[str], mark: str, series: _Series
) -> list[Problem]:
    cells = [
        (name, row[i + 1].strip() if i + 1 < len(row) else "") for i, name in enumerate(columns)
    ]
    cells = [(name, cell) for name, cell in cells if name and cell.casefold() not in _NO_VALUE]
    touched = tuple(name for name, _ in cells)
    if any(cell.strip() for cell in row[len(columns) + 1 :]):
        message = (
            f"{len(row)} cells for {len(columns) + 1} columns, so no value of this row can be "
            'placed: quote numbers written with a comma ("1,200") or remove the extra cells'
        )
        return [Problem(line, message, touched)]
    try:
        week = parse_week(row[0])
    except ValueError:
        message = (
            f"`{row[0].strip()}` is not a week: write an ISO week like 2026-W48 or a date like "
            "2026-11-23"
        )
        return [Problem(line, message, touched)]
    problems = [_read_cell(line, week, name, cell, mark, series) for name, cell in cells]
    return [p for p in problems if p is not None]


def _read_cell(
    line: int, week: str, name: str, cell: str, mark: str, series: _Series
) -> Problem | None:
    if _SHEET_ERROR.match(cell):
        return Problem(line, f"{name}: the spreadsheet shows `{cell}` (a formula error)", (name,))
    try:
        value, unit = parse_number(cell, mark)
    except ValueError:
        point = "a comma" if mark == "," else "a point"
        message = f"{name}: `{cell}` is not a number (this file's decimal mark is {point})"
        return Problem(line, message, (name,))
    return series.add(name, week, Reading(value, unit, line))
