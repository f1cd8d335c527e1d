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

from yaml.nodes import Node

from ritual_bot.config_loader import (
    LABEL_LIMIT,
    Document,
    Finding,
    Section,
    did_you_mean,
    duplicate_message,
    groups_of,
    label_problems,
    member_logins,
    section,
    section_settings,
    strings,
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
    yield from _stakeholder_problems(data, doc)
    label = section(data, NAME).get("label")
    if isinstance(label, str):
        yield from label_problems([((NAME, "label"), label)], doc)
    yield from _decision_label_problems(data, doc)
    yield from _log_problems(data, doc)


def _stakeholder_problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    groups = groups_of(data)
    known = {login.casefold(): login for _, login in member_logins(data)}
    known |= {
        e.casefold(): e
        for entries in groups.values()
        for _, e in entries
        if e.casefold() not in known
    }
    names = {name.casefold() for name in groups}
    seen: dict[str, tuple[str, Node]] = {}
    for index, entry in strings(section(data, NAME).get("stakeholders")):
        node = doc.value((NAME, "stakeholders", index))
        if entry.casefold() not in names and entry.casefold() not in known:
            if not entry.startswith("@"):  # '@' is reported by the schema
                yield node, _unknown_stakeholder(entry, [*groups, *known.values()])
            continue
        first = seen.setdefault(entry.casefold(), (entry, node))
        if first[1] is not node:
            yield node, duplicate_message("stakeholder", entry, first)


def _unknown_stakeholder(entry: str, choices: list[str]) -> str:
    hint = did_you_mean(entry, choices)
    fix = hint or "; add them to members or to a group"
    return f"unknown stakeholder {entry!r}: not a member, a group or a login in a group{fix}"


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


def _log_problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    log = section(data, NAME).get("log")
    if not isinstance(log, str) or not log.endswith("/") or log.startswith(("/", "\\")):
        return  # absent, null, or already reported by the schema
    parts = log[:-1].split("/")
    if "\\" in log or any(part in ("", ".", "..") for part in parts):
        message = f"{log!r} must be a plain folder inside the repository, e.g. docs/decisions/"
        yield doc.value((NAME, "log")), message


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
