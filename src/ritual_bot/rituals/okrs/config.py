"""The ``okrs:`` section of the config (SPEC §8): its values, the checks the schema cannot say
(owners and approvers that name nobody, a label whose status labels GitHub would refuse, a record
folder outside the repository), and its builder.

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

NAME: Final = "okrs"
MONTHS: Final = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# The longest suffix of the status labels derived from the OKR label (``okr: committed``).
LONGEST_STATUS_SUFFIX: Final = ": committed"


@dataclass(frozen=True)
class OkrsConfig:
    enabled: bool
    quarter_start: int  # the month that starts Q1, 1 = January
    owners: tuple[str, ...]  # logins and group names, as written
    approvers: tuple[str, ...]
    planning_days: int
    label: str
    record: str | None
    focus_threshold: float  # 0.0 to 1.0

    @property
    def active(self) -> bool:
        """Whether the ritual has anything to do: on, with at least one owner."""
        return self.enabled and bool(self.owners)


def _problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    yield from roster_problems(data, doc, (NAME, "owners"), "owner")
    yield from roster_problems(data, doc, (NAME, "approvers"), "approver")
    okrs = section(data, NAME)
    label = okrs.get("label")
    if isinstance(label, str):
        yield from label_problems([((NAME, "label"), label)], doc)
        if label and len(label) <= LABEL_LIMIT < len(label + LONGEST_STATUS_SUFFIX):
            yield (
                doc.value((NAME, "label")),
                f"label {label!r} makes the status label {label + LONGEST_STATUS_SUFFIX!r} "
                f"{len(label + LONGEST_STATUS_SUFFIX)} characters long: GitHub allows at most "
                f"{LABEL_LIMIT}, so keep this label to {LABEL_LIMIT - len(LONGEST_STATUS_SUFFIX)}",
            )
    yield from folder_problems(data, doc, (NAME, "record"), "docs/okrs/")
    yield from _signoff_problems(data, doc)


def _signoff_problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    """A plan's sign-off is a decision (SPEC §8): the decision ritual must run for it."""
    okrs, decisions = section(data, NAME), section(data, "decisions")
    if (
        okrs.get("enabled", True) is not False
        and okrs.get("owners")
        and (decisions.get("enabled") is False)
    ):
        yield (
            doc.value(("decisions", "enabled")),
            "OKR plans are signed off as decisions: keep decisions enabled while okrs has "
            "owners (or set okrs.enabled: false)",
        )


SECTION: Final = Section(NAME, _problems)


def build(data: dict[str, Any]) -> OkrsConfig:
    """The section of validated ``data``, defaults filled in."""
    okrs = section_settings(data, NAME)
    return OkrsConfig(
        enabled=bool(okrs["enabled"]),
        quarter_start=MONTHS.index(str(okrs["quarter_start"])) + 1,
        owners=tuple(okrs["owners"]),
        approvers=tuple(okrs["approvers"]),
        planning_days=int(okrs["planning_days"]),
        label=str(okrs["label"]),
        record=okrs["record"],
        focus_threshold=int(str(okrs["focus_threshold"]).removesuffix("%")) / 100,
    )
