"""Weekly KR values and KR references, read from comments (SPEC §8, check-in and focus check).

- ``KR1.1: 38% 🟢`` lines in an HPFO answer (``read_checkin``) and ``/kr KR1.1 38% at risk``
  commands on the tracker (``read_kr_commands``) record a value with an optional confidence.
- ``(KR1.1)``, ``[KR1.1]`` or ``#KR1.1`` in an HPFO objective names the KR it serves
  (``kr_references``).
- The latest value per KR wins (``latest``), given dated entries: pure, the caller dates them.

Only prose lines count (``markdown.classify_lines``): a value quoted, in code or in an HTML
comment is not recorded. Reading never raises; what cannot be read is a per-line ``Problem``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ritual_bot.markdown import LineKind, classify_lines
from ritual_bot.rituals.keyresults.plan import Plan
from ritual_bot.rituals.keyresults.text import (
    KR_ID,
    Problem,
    Quantity,
    format_quantity,
    kr_id,
    parse_quantity,
    strip_markup,
)

__all__ = [
    "Confidence",
    "Dated",
    "KrValue",
    "Score",
    "ScoreReading",
    "ValueReading",
    "check_values",
    "kr_references",
    "latest",
    "read_checkin",
    "read_kr_commands",
    "read_score_commands",
    "unknown_references",
]


class Confidence(enum.Enum):
    """The owner's confidence, shown as SPEC §8's emoji."""

    ON_TRACK = "🟢"
    AT_RISK = "🟡"
    OFF_TRACK = "🔴"


# Words for each confidence, English and French, longest first so "off track" beats "track".
_CONFIDENCE_WORDS = {
    "🟢": Confidence.ON_TRACK,
    "on track": Confidence.ON_TRACK,
    "en bonne voie": Confidence.ON_TRACK,
    "dans les temps": Confidence.ON_TRACK,
    "🟡": Confidence.AT_RISK,
    "at risk": Confidence.AT_RISK,
    "à risque": Confidence.AT_RISK,
    "en risque": Confidence.AT_RISK,
    "🔴": Confidence.OFF_TRACK,
    "off track": Confidence.OFF_TRACK,
    "en retard": Confidence.OFF_TRACK,
    "hors trajectoire": Confidence.OFF_TRACK,
}
_CONFIDENCE = re.compile(
    "|".join(re.escape(w) for w in sorted(_CONFIDENCE_WORDS, key=len, reverse=True)), re.I
)
# A milestone's value in words: done is 1, not done 0.
_DONE = re.compile(r"^(?:done|shipped|fait|livré|terminé|✅)(?![\w])", re.I)
_NOT_DONE = re.compile(r"^(?:not done|not yet|pas fait|pas encore|❌)(?![\w])", re.I)
# An inline code span (CommonMark: a backtick run closed by a run of the same length): a KR
# id written as code is quoted, not named.
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_KR_COMMAND = re.compile(r"^\s{0,3}/kr(?=\s|$)(?P<rest>.*)$", re.I)
_SCORE_COMMAND = re.compile(r"^\s{0,3}/score(?=\s|$)(?P<rest>.*)$", re.I)
_SCORE_VALUE = re.compile(r"^(?P<score>[01](?:[.,]\d+)?)(?![\d.,])(?P<why>.*)$")
_REFERENCE = re.compile(
    r"\((?P<a>(?:KR|RC)\s?\d{1,2}\.\d{1,2})\)|\[(?P<b>(?:KR|RC)\s?\d{1,2}\.\d{1,2})\]"
    r"|(?<![\w&])#(?P<c>(?:KR|RC)\d{1,2}\.\d{1,2})(?![\d.]\d)",
    re.I,
)


@dataclass(frozen=True)
class KrValue:
    """One recorded value: the KR ("KR1.1"), the quantity, the confidence if given."""

    kr: str
    value: Quantity
    confidence: Confidence | None
    line: int


@dataclass(frozen=True)
class ValueReading:
    values: tuple[KrValue, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Dated:
    """A value with when it was written (the comment's time; an edit's time when edited)."""

    at: datetime
    value: KrValue


def _amount(text: str) -> tuple[Quantity, str] | None:
    """The value at the start of ``text``: a quantity, or done / not done for a milestone."""
    text = text.lstrip()
    for pattern, number in ((_DONE, 1.0), (_NOT_DONE, 0.0)):
        found = pattern.match(text)
        if found is not None:
            return Quantity(number), text[found.end() :]
    return parse_quantity(text)


def _confidence(rest: str) -> Confidence | None:
    found = _CONFIDENCE.search(rest)
    return None if found is None else _CONFIDENCE_WORDS[found.group().lower()]


def _value(kr: str, words: str, line: int) -> tuple[KrValue | None, str]:
    amount = _amount(words)
    if amount is None:
        return None, f"{kr}: no value (write {kr}: 38% 🟢)"
    quantity, rest = amount
    return KrValue(kr, quantity, _confidence(rest), line), ""


def _prose(text: str) -> Iterable[tuple[int, str]]:
    return (
        (line.number + 1, line.text) for line in classify_lines(text) if line.kind is LineKind.TEXT
    )


def read_checkin(text: str) -> ValueReading:
    """``KR1.1: 38% 🟢`` lines (a bullet or bold is fine; ``RC1.1`` too) in an HPFO answer.

    Only lines that start with a KR id followed by ":" are check-in lines, so an objective
    that merely names a KR is not read as a value.
    """
    values, problems = [], []
    for number, raw in _prose(text):
        words = strip_markup(raw)
        found = KR_ID.match(words)
        if found is None or not words[found.end() :].lstrip().startswith(":"):
            continue
        value, problem = _value(kr_id(found), words[found.end() :].lstrip()[1:], number)
        if value is not None:
            values.append(value)
        else:
            problems.append(Problem(number, problem))
    return ValueReading(tuple(values), tuple(problems))


def read_kr_commands(text: str) -> ValueReading:
    """``/kr KR1.1 38% at risk`` lines, one value each (SPEC §8, on the tracker)."""
    values, problems = [], []
    for number, raw in _prose(text):
        command = _KR_COMMAND.match(raw)
        if command is None:
            continue
        rest = command["rest"].strip()
        found = KR_ID.match(rest)
        if found is None:
            problems.append(Problem(number, "/kr: which KR? write /kr KR1.1 38% on track"))
            continue
        words = rest[found.end() :].lstrip().removeprefix(":")
        value, problem = _value(kr_id(found), words, number)
        if value is not None:
            values.append(value)
        else:
            problems.append(Problem(number, problem))
    return ValueReading(tuple(values), tuple(problems))


@dataclass(frozen=True)
class Score:
    """``/score KR1.1 0.6 why``: the owner's own score for a KR at the quarter's end."""

    kr: str
    score: float  # 0.0 to 1.0, capped
    why: str
    line: int


@dataclass(frozen=True)
class ScoreReading:
    scores: tuple[Score, ...]
    problems: tuple[Problem, ...]


def read_score_commands(text: str) -> ScoreReading:
    """``/score KR1.1 0.6 why`` lines (SPEC §8, on the tracker), prose lines only like ``/kr``:
    a quoted or fenced ``/score`` is not one."""
    scores, problems = [], []
    for number, raw in _prose(text):
        command = _SCORE_COMMAND.match(raw)
        if command is None:
            continue
        rest = command["rest"].strip()
        found = KR_ID.match(rest)
        value = _SCORE_VALUE.match(rest[found.end() :].strip()) if found else None
        if found is None or value is None:
            problems.append(Problem(number, "/score: write /score KR1.1 0.6 and why"))
            continue
        score = min(1.0, float(value["score"].replace(",", ".")))
        scores.append(Score(kr_id(found), score, value["why"].strip(), number))
    return ScoreReading(tuple(scores), tuple(problems))


def kr_references(text: str) -> tuple[tuple[int, str], ...]:
    """The KRs an HPFO objective names: ``(KR1.1)``, ``[KR1.1]``, ``#KR1.1``; (line, id)."""
    found = []
    for number, raw in _prose(text):
        for match in _REFERENCE.finditer(_CODE_SPAN.sub("", raw)):
            written = match["a"] or match["b"] or match["c"]
            ident = KR_ID.match(written)
            if ident is not None:
                found.append((number, kr_id(ident)))
    return tuple(found)


def check_values(values: Sequence[KrValue], plan: Plan) -> tuple[Problem, ...]:
    """Values naming no KR of ``plan`` (listing the valid ids), or in another unit."""
    valid = ", ".join(kr.id for kr in plan.key_results())
    problems = []
    for value in values:
        kr = plan.find(value.kr)
        if kr is None:
            problems.append(Problem(value.line, f"{value.kr}: no such key result; yours: {valid}"))
        elif value.value.unit and kr.unit and value.value.unit != kr.unit:
            written = format_quantity(value.value)
            problems.append(Problem(value.line, f"{value.kr}: {written} but it is in {kr.unit}"))
    return tuple(problems)


def unknown_references(references: Sequence[tuple[int, str]], plan: Plan) -> tuple[Problem, ...]:
    """References to KRs that ``plan`` does not have (SPEC §8: one reply lists the valid ids)."""
    valid = ", ".join(kr.id for kr in plan.key_results())
    return tuple(
        Problem(line, f"{ident}: no such key result; yours: {valid}")
        for line, ident in references
        if plan.find(ident) is None
    )


def latest(entries: Iterable[Dated]) -> dict[str, Dated]:
    """The latest value per KR; on equal times the later entry (later line) wins."""
    found: dict[str, Dated] = {}
    for entry in entries:
        current = found.get(entry.value.kr)
        if current is None or entry.at >= current.at:
            found[entry.value.kr] = entry
    return found
