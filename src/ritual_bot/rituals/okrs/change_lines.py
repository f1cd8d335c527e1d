"""Change lines of a `/decide` that amends a committed quarter (SPEC §8, issue 14 point 6).

A committed plan is frozen except through a decision whose rationale says, one line each::

    target KR1.1 50%            cible RC1.1 50 %
    baseline KR1.1 30%          référence RC1.1 30 %
    drop KR1.3                  retirer RC1.3
    add O1 KR1.4 words: B → T   ajouter O1 RC1.4 mots (a milestone without numbers)
    rename O1 new title         renommer O1 nouveau titre

Other lines are the decision's prose and are ignored; a line starting with one of these words
that cannot be applied is one precise problem. The plan's rules still hold afterwards (2 to 5 key
results per objective), and a change with any problem is not applied at all: nothing half-applied.
Numbers and KR words are read by ``keyresults.plan`` exactly as in a plan.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from ritual_bot.markdown import LineKind, classify_lines
from ritual_bot.rituals.keyresults.plan import (
    MAX_KEY_RESULTS,
    MIN_KEY_RESULTS,
    KeyResult,
    Objective,
    Plan,
    read_key_result,
)
from ritual_bot.rituals.keyresults.text import (
    KR_ID,
    Problem,
    Quantity,
    format_quantity,
    kr_id,
    parse_quantity,
    strip_markup,
)

__all__ = ["ChangeLine", "apply_changes", "change_lines", "names_a_change"]

_VERBS = {
    "target": "target",
    "cible": "target",
    "baseline": "baseline",
    "référence": "baseline",
    "reference": "baseline",
    "drop": "drop",
    "retirer": "drop",
    "supprimer": "drop",
    "add": "add",
    "ajouter": "add",
    "rename": "rename",
    "renommer": "rename",
}
_LINE = re.compile(rf"^(?P<verb>{'|'.join(_VERBS)})\b\s*(?P<rest>.*)$", re.I)
_KR = re.compile(rf"^\s*(?:{KR_ID.pattern})\s*[:\-\u2013—]?\s*", re.I)
_OBJECTIVE = re.compile(r"^\s*O(?P<num>\d{1,2})(?![\d.])\s*[:\-\u2013—]?\s*", re.I)


@dataclass(frozen=True)
class ChangeLine:
    """One change line as written (for the quarter's history), its verb and 1-based line."""

    line: int
    verb: str  # "target", "baseline", "drop", "add", "rename"
    rest: str
    text: str


def change_lines(text: str) -> tuple[ChangeLine, ...]:
    """The change lines of a decision's text; prose, code and quotes are not changes."""
    found = []
    for line in classify_lines(text):
        if line.kind is not LineKind.TEXT:
            continue
        written = strip_markup(line.text)
        match = _LINE.match(written)
        if match is not None:
            verb = _VERBS[match["verb"].lower()]
            found.append(ChangeLine(line.number + 1, verb, match["rest"].strip(), written))
    return tuple(found)


def names_a_change(text: str) -> bool:
    """Whether one line is written as a change (a verb, then the id it changes: ``drop KR1.3``,
    ``add O1 …``), not prose that happens to start with one (``Drop the wizard``): how a
    ``/decide`` line's own words are told apart from the decision's title."""
    match = _LINE.match(strip_markup(text).strip())
    if match is None:
        return False
    return bool(_KR.match(match["rest"]) or _OBJECTIVE.match(match["rest"]))


class _Error(Exception):
    """One change line that cannot be applied; its message is the problem."""


def _replace_kr(plan: Plan, ident: str, change: Callable[[KeyResult], KeyResult | None]) -> Plan:
    if plan.find(ident) is None:
        raise _Error(f"{ident} is not in the committed plan")
    objectives = []
    for objective in plan.objectives:
        krs = [change(kr) if kr.id == ident else kr for kr in objective.key_results]
        kept = tuple(kr for kr in krs if kr is not None)
        objectives.append(dataclasses.replace(objective, key_results=kept))
    return dataclasses.replace(plan, objectives=tuple(objectives))


def _kr_and_rest(rest: str) -> tuple[str, str]:
    match = _KR.match(rest)
    if match is None:
        raise _Error("no key result id (KR1.1) after the word")
    return kr_id(match), rest[match.end() :].strip()


def _quantity(kr: KeyResult, rest: str, what: str) -> Quantity:
    if kr.target is None or kr.baseline is None:
        raise _Error(f"{kr.id} is a milestone: it has no {what} (drop it and add a numeric one)")
    read = parse_quantity(rest)
    if read is None or read[1].strip():
        raise _Error(f"{kr.id}: no {what} after {kr.id} (write a number like 50%)")
    quantity = read[0]
    if quantity.unit and quantity.unit != kr.unit:
        raise _Error(f"{kr.id} is in {kr.unit or 'plain numbers'}, not {quantity.unit}")
    return Quantity(quantity.value, kr.unit)


def _set_number(plan: Plan, line: ChangeLine) -> Plan:
    ident, rest = _kr_and_rest(line.rest)
    kr = plan.find(ident)
    if kr is None:
        raise _Error(f"{ident} is not in the committed plan")
    quantity = _quantity(kr, rest, line.verb)
    if line.verb == "target":
        changed = dataclasses.replace(kr, target=quantity)
    else:
        changed = dataclasses.replace(kr, baseline=quantity)
    if changed.target == changed.baseline:
        shown = format_quantity(quantity)
        raise _Error(f"{ident}: target {shown} would be the baseline: nothing to move")
    return _replace_kr(plan, ident, lambda _: changed)


def _drop(plan: Plan, line: ChangeLine) -> Plan:
    ident, rest = _kr_and_rest(line.rest)
    if rest:
        raise _Error(f"{ident}: nothing may follow drop {ident}")
    return _replace_kr(plan, ident, lambda _: None)


def _objective(plan: Plan, rest: str) -> tuple[Objective, str]:
    match = _OBJECTIVE.match(rest)
    if match is None:
        raise _Error("no objective id (O1) after the word")
    number = int(match["num"])
    objective = next((o for o in plan.objectives if o.number == number), None)
    if objective is None:
        raise _Error(f"O{number} is not in the committed plan")
    return objective, rest[match.end() :].strip()


def _with_objective(plan: Plan, changed: Objective) -> Plan:
    objectives = tuple(changed if o.number == changed.number else o for o in plan.objectives)
    return dataclasses.replace(plan, objectives=objectives)


def _add(plan: Plan, line: ChangeLine) -> Plan:
    objective, rest = _objective(plan, line.rest)
    taken = [int(kr.id.split(".")[1]) for kr in objective.key_results]
    ident = f"KR{objective.number}.{max(taken, default=0) + 1}"
    if _KR.match(rest):
        ident, rest = _kr_and_rest(rest)
        if not ident.startswith(f"KR{objective.number}."):
            raise _Error(f"{ident}: under O{objective.number}, number it KR{objective.number}.n")
        if any(kr.id == ident for kr in plan.key_results()):
            raise _Error(f"{ident} is already in the plan: pick the next number")
    kr, problem = read_key_result(ident, rest)
    if kr is None:
        raise _Error(problem)
    added = (*objective.key_results, dataclasses.replace(kr, line=0))
    return _with_objective(plan, dataclasses.replace(objective, key_results=added))


def _rename(plan: Plan, line: ChangeLine) -> Plan:
    objective, title = _objective(plan, line.rest)
    if not title:
        raise _Error(f"O{objective.number}: no new title after rename O{objective.number}")
    return _with_objective(plan, dataclasses.replace(objective, title=title))


_APPLY: dict[str, Callable[[Plan, ChangeLine], Plan]] = {
    "target": _set_number,
    "baseline": _set_number,
    "drop": _drop,
    "add": _add,
    "rename": _rename,
}


def _rule_problems(plan: Plan) -> list[str]:
    problems = []
    for objective in plan.objectives:
        count = len(objective.key_results)
        if not MIN_KEY_RESULTS <= count <= MAX_KEY_RESULTS:
            problems.append(
                f"O{objective.number} would have {count} key results: "
                f"{MIN_KEY_RESULTS} to {MAX_KEY_RESULTS}"
            )
    return problems


def apply_changes(plan: Plan, text: str) -> tuple[Plan, tuple[Problem, ...]]:
    """The plan amended by the change lines of ``text``, or the plan unchanged and every problem.

    Lines apply in written order (``add`` then ``target`` of the added KR works). With no change
    line at all that is a problem too: a decision meant to amend the quarter said nothing to apply.
    """
    lines = change_lines(text)
    if not lines:
        return plan, (Problem(1, "no change line (target, baseline, drop, add, rename)"),)
    problems = []
    amended = plan
    for line in lines:
        try:
            amended = _APPLY[line.verb](amended, line)
        except _Error as error:
            problems.append(Problem(line.line, str(error)))
    if not problems:
        problems = [Problem(lines[-1].line, message) for message in _rule_problems(amended)]
    if problems:
        return plan, tuple(problems)
    return amended, ()
