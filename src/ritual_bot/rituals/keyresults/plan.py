"""A quarter's OKR plan read from Markdown, and written back canonically (SPEC §8, Planning).

The owner writes at most 3 objectives with 2 to 5 key results each, as people do: headings, bold
lines or bullets for objectives; bullets, numbering or a table for key results; text around.
A key result is numeric (``baseline → target``, ``->``, ``=>``, "from X to Y", "de X à Y",
``≥ T (from B)``; lower is better when the target is below the baseline) or, with no such
numbers, a milestone (0 or 1). French ``O1`` / ``RC1.1`` works too.

Reading never raises: what could not be read comes back as per-line ``Problem``s
("KR1.2: no target after →"), next to everything that could. Lines inside code, quotes and HTML
comments never count (``markdown.classify_lines``), like commands elsewhere.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ritual_bot.markdown import LineKind, classify_lines
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
    "MAX_KEY_RESULTS",
    "MAX_OBJECTIVES",
    "MIN_KEY_RESULTS",
    "KeyResult",
    "Kind",
    "Objective",
    "Plan",
    "PlanReading",
    "parse_plan",
    "read_key_result",
    "render_plan",
]

MAX_OBJECTIVES = 3
MIN_KEY_RESULTS = 2
MAX_KEY_RESULTS = 5

# "O1", "Objective 1", French "Objectif 1", then an optional separator and the title.
_OBJECTIVE = re.compile(
    r"^(?:O|Objective|Objectif)\s?(?P<num>\d{1,2})(?![\d.])\s*[:.)\-\u2013—]?\s*(?P<title>.*)$",
    re.I,
)
_ARROW = re.compile(r"\s*(?:→|->|=>|⇒|⟶)\s*")
_SEPARATORS = " \t:\u2013\u2014-|"
# "from 32% to 45%", "de 32 % à 45 %": the numbers are read by parse_quantity.
_FROM_TO = re.compile(r"(?:^|\s)(?:from|de|d')\s*(?=[$€£+\-\u2212]?\d)", re.I)
_TO = re.compile(r"^\s*(?:to|à|a|up to|down to|jusqu'à)\s+", re.I)
# "≥ 45% (from 32%)", ">= 45% baseline 32%", "≤ 200ms (today 350ms)".
_COMPARATOR = re.compile(r"(?:^|\s)(?P<cmp>≥|>=|≤|<=|=<)\s*(?=[$€£+\-\u2212]?\d)")
_BASELINE_WORD = re.compile(
    r"^[\s(,;]*(?:from|baseline|today|currently|now|base|depuis|référence|reference|"
    r"aujourd'hui|actuellement|actuel)\s*:?\s*",
    re.I,
)
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}")
_BASELINE_HEADERS = ("baseline", "from", "start", "current", "départ", "référence", "reference")
_TARGET_HEADERS = ("target", "goal", "to", "cible")


class Kind(enum.Enum):
    """A numeric KR moves a number; a milestone is done (1) or not (0)."""

    NUMERIC = "numeric"
    MILESTONE = "milestone"


@dataclass(frozen=True)
class KeyResult:
    """One key result: canonical id ("KR1.1"), its words, and for a numeric one its numbers."""

    id: str
    text: str
    baseline: Quantity | None = None
    target: Quantity | None = None
    line: int = field(default=0, compare=False)

    @property
    def kind(self) -> Kind:
        return Kind.MILESTONE if self.target is None else Kind.NUMERIC

    @property
    def lower_is_better(self) -> bool:
        """SPEC §8: lower is better when the target is below the baseline."""
        return (
            self.baseline is not None
            and self.target is not None
            and self.target.value < self.baseline.value
        )

    @property
    def unit(self) -> str:
        return self.target.unit if self.target is not None else ""


@dataclass(frozen=True)
class Objective:
    """One objective: its number (1 for "O1"), title and key results in written order."""

    number: int
    title: str
    key_results: tuple[KeyResult, ...]
    line: int = field(default=0, compare=False)

    @property
    def id(self) -> str:
        return f"O{self.number}"


@dataclass(frozen=True)
class Plan:
    """What was understood; ``french`` when written with ``RC`` ids (rendered back so)."""

    objectives: tuple[Objective, ...]
    french: bool = False

    def key_results(self) -> tuple[KeyResult, ...]:
        return tuple(kr for objective in self.objectives for kr in objective.key_results)

    def find(self, kr: str) -> KeyResult | None:
        return next((k for k in self.key_results() if k.id == kr), None)


@dataclass(frozen=True)
class PlanReading:
    """A plan and what could not be read in it; the plan is usable only when ``ok``."""

    plan: Plan
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading one key result ------------------------------------------------------------------


@dataclass(frozen=True)
class _Numbers:
    """What the words of a KR say about its numbers: both, none (a milestone), or an error."""

    text: str
    baseline: Quantity | None = None
    target: Quantity | None = None
    error: str = ""


def _quantity_before(text: str) -> tuple[str, Quantity] | None:
    """The quantity ending ``text`` ("Activation rate: 32%") and the words before it."""
    for match in re.finditer(r"[+\-\u2212]?[$€£]?\d", text):
        start = match.start()
        if start and text[start - 1].isalnum():
            continue  # "p95", "v2": part of a word
        read = parse_quantity(text[start:])
        if read is not None and not read[1].strip():
            return text[:start], read[0]
    return None


def _target(rest: str) -> Quantity | None:
    """The quantity after an arrow or "to" (a comparator before it says nothing more)."""
    rest = re.sub(r"^\s*(?:≥|>=|≤|<=|=<)\s*", "", rest)
    read = parse_quantity(rest)
    return None if read is None else read[0]


def _arrow_numbers(words: str, arrow: re.Match[str]) -> _Numbers:
    symbol = arrow.group().strip()
    before = _quantity_before(words[: arrow.start()].rstrip())
    if before is None:
        return _Numbers(words, error=f"no baseline before {symbol}")
    target = _target(words[arrow.end() :])
    if target is None:
        return _Numbers(words, error=f"no target after {symbol}")
    return _Numbers(before[0], before[1], target)


def _from_to_numbers(words: str, start: re.Match[str]) -> _Numbers | None:
    read = parse_quantity(words[start.end() :])
    if read is None:
        return None
    baseline, rest = read
    to = _TO.match(rest)
    if to is None:
        return None  # "from 3 teams" is words, not a baseline
    target = _target(rest[to.end() :])
    if target is None:
        return _Numbers(words, error=f"no target after {to.group().strip()!r}")
    return _Numbers(words[: start.start()], baseline, target)


def _comparator_numbers(words: str, found: re.Match[str]) -> _Numbers:
    symbol = found["cmp"]
    read = parse_quantity(words[found.end() :])
    if read is None:  # pragma: no cover - the lookahead saw a digit
        return _Numbers(words, error=f"no target after {symbol}")
    target, rest = read
    baseline_word = _BASELINE_WORD.match(rest)
    baseline = parse_quantity(rest[baseline_word.end() :]) if baseline_word else None
    if baseline is None:
        return _Numbers(
            words, error=f"{symbol} {format_quantity(target)} needs a baseline: write B → T"
        )
    higher = symbol in ("≥", ">=")
    if (target.value > baseline[0].value) != higher:
        wrong = (
            f"{symbol} {format_quantity(target)} but the baseline is {format_quantity(baseline[0])}"
        )
        return _Numbers(words, error=wrong)
    return _Numbers(words[: found.start()], baseline[0], target)


def _numbers(words: str) -> _Numbers:
    """Read the numbers of a KR's words; no recognised form means a milestone."""
    arrow = _ARROW.search(words)
    if arrow is not None:
        return _arrow_numbers(words, arrow)
    for start in _FROM_TO.finditer(words):
        found = _from_to_numbers(words, start)
        if found is not None:
            return found
    comparator = _COMPARATOR.search(words)
    if comparator is not None:
        return _comparator_numbers(words, comparator)
    return _Numbers(words)


def _units_problem(kr: str, numbers: _Numbers) -> str:
    baseline, target = numbers.baseline, numbers.target
    if baseline is None or target is None:
        return ""
    if baseline.unit and target.unit and baseline.unit != target.unit:
        return f"{kr}: baseline in {baseline.unit} but target in {target.unit}"
    if baseline.value == target.value:
        return f"{kr}: target {format_quantity(target)} is the baseline: nothing to move"
    return ""


def _key_result(kr: str, words: str, line: int) -> tuple[KeyResult | None, str]:
    numbers = _numbers(words)
    if numbers.error:
        return None, f"{kr}: {numbers.error}"
    problem = _units_problem(kr, numbers)
    if problem:
        return None, problem
    text = numbers.text.strip(_SEPARATORS).strip()
    if not text:
        return None, f"{kr}: no words to say what it measures"
    baseline, target = numbers.baseline, numbers.target
    if baseline is not None and target is not None:
        unit = target.unit or baseline.unit  # "32 → 45%": both in %
        baseline, target = Quantity(baseline.value, unit), Quantity(target.value, unit)
    return KeyResult(kr, text, baseline, target, line), ""


def read_key_result(kr: str, words: str) -> tuple[KeyResult | None, str]:
    """One key result from its words ("Activation: 32% → 45%", or a milestone's words), or the
    problem with them: how a plan's KR line is read, for text that amends a plan (SPEC §8)."""
    return _key_result(kr, words, 0)


# --- reading lines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """A prose line, what it is, and what it holds."""

    number: int  # 1-based
    kind: str  # "objective", "kr", "item", "row", "header", "other"
    text: str = ""  # the words after the id
    ident: str = ""  # "KR1.1" or "O1"
    indent: int = 0
    french: bool = False
    cells: tuple[str, ...] = ()


def _cells(text: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in text.strip().strip("|").split("|"))


def _table_line(number: int, text: str) -> _Line:
    if _TABLE_SEPARATOR.match(text):
        return _Line(number, "other")
    cells = _cells(text)
    found = next(
        (KR_ID.match(strip_markup(c)) for c in cells if KR_ID.match(strip_markup(c))), None
    )
    if found is not None:
        french = found["tag"].upper() == "RC"
        return _Line(number, "kr", "", kr_id(found), french=french, cells=cells)
    lowered = [c.lower() for c in cells]
    if any(h in c for c in lowered for h in _BASELINE_HEADERS + _TARGET_HEADERS):
        return _Line(number, "header", cells=cells)
    return _Line(number, "row", cells=cells)


def _classify(number: int, raw: str) -> _Line:
    if raw.lstrip().startswith("|"):
        return _table_line(number, raw)
    text = strip_markup(raw)
    objective = _OBJECTIVE.match(text)
    if objective is not None:
        return _Line(number, "objective", objective["title"], f"O{int(objective['num'])}")
    found = KR_ID.match(text)
    if found is not None:
        french = found["tag"].upper() == "RC"
        return _Line(number, "kr", text[found.end() :], kr_id(found), french=french)
    marker = re.match(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+", raw)
    if marker is not None and text:
        return _Line(number, "item", text, indent=len(marker.group(1).expandtabs(4)))
    return _Line(number, "other")


def _prose(text: str) -> Iterator[_Line]:
    for line in classify_lines(text):
        if line.kind is LineKind.TEXT:
            yield _classify(line.number + 1, line.text)


# --- assembling the plan ---------------------------------------------------------------------


@dataclass
class _Draft:
    """An objective being read: its key results and whether any was written with an id."""

    number: int
    title: str
    line: int
    key_results: list[KeyResult] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)


def _cell(cells: tuple[str, ...], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _row_words(header: tuple[str, ...], cells: tuple[str, ...]) -> tuple[str, str, str]:
    """A table row's words, baseline cell and target cell, by the header's column names."""

    def column(names: Sequence[str]) -> int | None:
        return next(
            (i for i, h in enumerate(header) if any(h.lower().startswith(n) for n in names)), None
        )

    baseline, target = column(_BASELINE_HEADERS), column(_TARGET_HEADERS)
    words = [
        KR_ID.sub("", strip_markup(c), count=1).strip()
        for i, c in enumerate(cells)
        if i not in (baseline, target)
    ]
    return " ".join(w for w in words if w), _cell(cells, baseline), _cell(cells, target)


def _row_as_words(header: tuple[str, ...], cells: tuple[str, ...]) -> tuple[str, str]:
    """A table row written as a KR line's words, or the problem with it."""
    words, baseline, target = _row_words(header, cells)
    if not baseline and not target:
        return words, ""
    if not baseline:
        return "", "no baseline in its row"
    if not target:
        return "", "no target in its row"
    return f"{words}: {baseline} → {target}", ""


class _Reader:
    """Walks the prose lines once, keeping the objective being read and the problems."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.problems: list[Problem] = []
        self.seen: dict[str, int] = {}
        self.header: tuple[str, ...] = ()
        self.french = False

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def read(self, line: _Line) -> None:
        if line.kind == "header":
            self.header = line.cells
        elif line.kind == "objective":
            self.objective(line)
        elif line.kind in ("kr", "item", "row") and self.drafts:
            self.drafts[-1].lines.append(line)
        elif line.kind == "kr":
            self.problem(line.number, f"{line.ident}: no objective above it (write O1 … first)")

    def objective(self, line: _Line) -> None:
        if line.ident in self.seen:
            self.problem(line.number, f"{line.ident}: already on line {self.seen[line.ident]}")
            return
        self.seen[line.ident] = line.number
        title = line.text.strip(_SEPARATORS).strip()
        if not title:
            self.problem(line.number, f"{line.ident}: no title")
        self.drafts.append(_Draft(int(line.ident[1:]), title, line.number))

    def words(self, line: _Line) -> str:
        if not line.cells:
            return line.text
        words, problem = _row_as_words(self.header, line.cells)
        if problem:
            self.problem(line.number, f"{line.ident}: {problem}" if line.ident else problem)
        return words

    def key_results(self, draft: _Draft) -> None:
        explicit = any(line.kind == "kr" for line in draft.lines)
        items = [line for line in draft.lines if line.kind in ("item", "row")]
        top = min((line.indent for line in items), default=0)
        for line in draft.lines:
            if explicit and line.kind != "kr":
                continue  # ids given: unnumbered bullets and rows are notes
            if line.kind == "item" and line.indent > top:
                continue  # a detail under a key result
            ident = line.ident or f"KR{draft.number}.{len(draft.key_results) + 1}"
            self.key_result(draft, line, ident)

    def key_result(self, draft: _Draft, line: _Line, ident: str) -> None:
        if not ident.startswith(f"KR{draft.number}."):
            self.problem(
                line.number, f"{ident}: under O{draft.number}, number it KR{draft.number}.n"
            )
            return
        if ident in self.seen:
            self.problem(line.number, f"{ident}: already on line {self.seen[ident]}")
            return
        self.seen[ident] = line.number
        self.french = self.french or line.french
        words = self.words(line)
        if not words:
            return
        kr, problem = _key_result(ident, words, line.number)
        if kr is None:
            self.problem(line.number, problem)
        else:
            draft.key_results.append(kr)

    def finish(self) -> PlanReading:
        objectives = []
        for index, draft in enumerate(self.drafts):
            if index >= MAX_OBJECTIVES:
                self.problem(draft.line, f"O{draft.number}: at most {MAX_OBJECTIVES} objectives")
                continue
            self.key_results(draft)
            count = len(draft.key_results)
            if not MIN_KEY_RESULTS <= count <= MAX_KEY_RESULTS:
                noun = "key result" if count == 1 else "key results"
                self.problem(
                    draft.line,
                    f"O{draft.number} has {count} {noun}: {MIN_KEY_RESULTS} to {MAX_KEY_RESULTS}",
                )
            objectives.append(
                Objective(draft.number, draft.title, tuple(draft.key_results), draft.line)
            )
        if not self.drafts:
            self.problem(1, "no objective found: write a line starting with O1 and its title")
        problems = sorted(self.problems, key=lambda p: p.line)
        return PlanReading(Plan(tuple(objectives), self.french), tuple(problems))


def parse_plan(text: str) -> PlanReading:
    """Read an OKR plan from Markdown (SPEC §8): what was understood and what was not."""
    reader = _Reader()
    for line in _prose(text):
        reader.read(line)
    return reader.finish()


# --- writing ---------------------------------------------------------------------------------


def _render_kr(kr: KeyResult, french: bool) -> str:
    ident = kr.id.replace("KR", "RC", 1) if french else kr.id
    if kr.baseline is None or kr.target is None:
        return f"- {ident} {kr.text}"
    numbers = f"{format_quantity(kr.baseline)} → {format_quantity(kr.target)}"
    return f"- {ident} {kr.text}: {numbers}"


def render_plan(plan: Plan) -> str:
    """The canonical Markdown of a plan; ``parse_plan`` reads it back as the same plan."""
    chunks = []
    for objective in plan.objectives:
        lines = [f"## {objective.id} {objective.title}"]
        lines += [_render_kr(kr, plan.french) for kr in objective.key_results]
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"
