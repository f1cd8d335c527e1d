"""The OKR labels (SPEC §8): the base label on every OKR issue and the status labels derived
from it (``okr: planning``, ``okr: committed``, ``okr: tracker``)."""

from __future__ import annotations

import enum
from typing import Final

from ritual_bot.ops import EnsureLabel

DEFAULT_LABEL: Final = "okr"
BASE_COLOR: Final = "5319e7"


class Status(enum.Enum):
    PLANNING = "planning"
    COMMITTED = "committed"
    TRACKER = "tracker"


_COLORS: Final = {Status.PLANNING: "fbca04", Status.COMMITTED: "0e8a16", Status.TRACKER: "1d76db"}
_DESCRIPTIONS: Final = {
    Status.PLANNING: "An OKR plan being written and signed off (ritual-bot)",
    Status.COMMITTED: "An OKR plan committed for the quarter (ritual-bot)",
    Status.TRACKER: "The quarter's OKR tracker, rendered by ritual-bot",
}


def status_label(label: str, status: Status) -> str:
    """``okr: committed`` for the label ``okr``; ``okrs.label`` keeps it within GitHub's 50."""
    return f"{label}: {status.value}"


def label_ops(label: str, *only: Status) -> list[EnsureLabel]:
    """The base label and the status labels (``only`` these, when given): an op ensures only
    the labels it applies, since one not seen on a listed issue is ensured again."""
    base = EnsureLabel(label, BASE_COLOR, "Objectives and key results (ritual-bot)")
    return [base] + [
        EnsureLabel(status_label(label, s), _COLORS[s], _DESCRIPTIONS[s])
        for s in Status
        if not only or s in only
    ]
