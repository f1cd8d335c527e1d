"""Reading the fields of the decision issue form from an issue body (``rituals.forms`` reads
the headings GitHub renders a form's answers under)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ritual_bot.rituals.forms import form_answers
from ritual_bot.rituals.signoff.commands import LOGIN, NAME, parse_day

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


def read_form(body: str) -> FormFields:
    answers = form_answers(body, _LABELS)
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
