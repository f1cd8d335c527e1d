"""The ``decisions:`` section of the config (SPEC §2, §4): its values, the checks the schema
cannot say (stakeholders that name nobody, a label whose status labels GitHub would refuse, a
record folder outside the repository), and its builder.

Defaults live in the shipped schema (``config_loader.defaults``); this module imports only the
shared loader, so ``ritual_bot.config`` can compose it without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from ritual_bot.config_loader import (
    LABEL_LIMIT,
    Document,
    Finding,
    Section,
    folder_problems,
    label_problems,
    roster_problems,
    section,
    section_settings,
)

NAME: Final = "decisions"
# The longest suffix of the status labels derived from the decision label (decisions.status_label).
LONGEST_STATUS_SUFFIX: Final = ": withdrawn"


@dataclass(frozen=True)
class DecisionsConfig:
    enabled: bool
    label: str
    stakeholders: tuple[str, ...]
    feedback_days: int
    allow_maintainers: bool
    log: str | None


def _problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    yield from roster_problems(data, doc, (NAME, "stakeholders"), "stakeholder")
    label = section(data, NAME).get("label")
    if isinstance(label, str):
        yield from label_problems([((NAME, "label"), label)], doc)
    yield from _decision_label_problems(data, doc)
    yield from folder_problems(data, doc, (NAME, "log"), "docs/decisions/")


def _decision_label_problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    """The decision label's status labels (``decision: withdrawn``) must fit GitHub's 50 too."""
    label = section(data, NAME).get("label")
    if not isinstance(label, str) or not label or len(label) > LABEL_LIMIT:
        return  # absent, or already reported by the schema
    longest = f"{label}{LONGEST_STATUS_SUFFIX}"
    if len(longest) > LABEL_LIMIT:
        yield (
            doc.value((NAME, "label")),
            f"label {label!r} makes the status label {longest!r} {len(longest)} characters long: "
            f"GitHub allows at most {LABEL_LIMIT}, so keep this label to "
            f"{LABEL_LIMIT - len(LONGEST_STATUS_SUFFIX)}",
        )


SECTION: Final = Section(NAME, _problems)


def build(data: dict[str, Any]) -> DecisionsConfig:
    """The section of validated ``data``, defaults filled in."""
    decisions = section_settings(data, NAME)
    return DecisionsConfig(
        enabled=bool(decisions["enabled"]),
        label=str(decisions["label"]),
        stakeholders=tuple(decisions["stakeholders"]),
        feedback_days=int(decisions["feedback_days"]),
        allow_maintainers=bool(decisions["allow_maintainers"]),
        log=decisions["log"],
    )
