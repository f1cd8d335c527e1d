"""Reading the fields of the decision issue form from an issue body.

GitHub renders an issue form as one ``### <label>`` heading per field followed by the answer, and
``_No response_`` for an empty optional field
(https://docs.github.com/communities/using-templates-to-encourage-useful-issues-and-pull-requests/syntax-for-issue-forms).
Labels are matched case-insensitively, so a hand-written issue with the same headings works too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ritual_bot.markdown import BlockKind, one_line, top_level_blocks
from ritual_bot.rituals.signoff.commands import LOGIN, NAME, parse_day

NO_RESPONSE = "_No response_"
_LABELS = {
    "dri": "dri",
    "stakeholders": "stakeholders",
    "feedback deadline": "deadline",
    "deadline": "deadline",
}
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class FormFields:
    dri: str | None = None
    stakeholders: tuple[str, ...] = ()
    deadline: date | None = None


def form_answers(body: str) -> dict[str, str]:
    """The answer under each known field heading (first occurrence wins), as one line."""
    answers: dict[str, str] = {}
    current: str | None = None
    parts: list[str] = []
    for block in top_level_blocks(body):
        if block.kind is BlockKind.HEADING:
            if current is not None:
                answers.setdefault(current, one_line(" ".join(parts)))
            key = one_line(block.inline).strip(" :*").casefold()
            current, parts = _LABELS.get(key), []
        elif current is not None and block.kind in (BlockKind.PARAGRAPH, BlockKind.LIST):
            parts.append(block.source)
    if current is not None:
        answers.setdefault(current, one_line(" ".join(parts)))
    return {k: v for k, v in answers.items() if v and v != NO_RESPONSE}


def read_form(body: str) -> FormFields:
    answers = form_answers(body)
    return FormFields(
        dri=_first_login(answers.get("dri", "")),
        stakeholders=_names(answers.get("stakeholders", "")),
        deadline=parse_day(answers.get("deadline", "").split(" ")[0]),
    )


def _first_login(text: str) -> str | None:
    """The first @mention, else the first word that is a login ("Alice (@alice)" → alice)."""
    words = [word.strip("()<>[]") for word in _SEPARATORS.split(text)]
    for word in sorted(words, key=lambda w: not w.startswith("@")):  # stable: order kept
        match = LOGIN.match(word)
        if match:
            return match.group(1)
    return None


def _names(text: str) -> tuple[str, ...]:
    found = (NAME.match(word.strip("()<>[]")) for word in _SEPARATORS.split(text))
    return tuple(dict.fromkeys(m.group(1) for m in found if m))
