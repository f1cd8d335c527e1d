"""Which issue is a newcomer's onboarding issue (SPEC §7, §9): the identity the bot gave it.

The bot opens ``Onboarding · @dan`` with the marker ``onboarding member=dan joined=2026-12-07``
and the label ``ritual:onboarding``. A person can edit that body or paste the marker elsewhere,
so the marker counts only in an issue the bot opened, and only in its body as the bot first wrote
it (``Snapshot.original_body``): a marker pasted into another issue is nobody's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from ritual_bot.markers import Marker, find_markers
from ritual_bot.model import Issue, Snapshot
from ritual_bot.rituals.base import IssueQuery
from ritual_bot.rituals.newcomers.timeline import Step, Timeline

LABEL: Final = "ritual:onboarding"
ISSUE: Final = "onboarding"  # identity marker: member=… joined=…
# Onboarding issues are listed back to this age: one opens on day 0 and closes on day 97.
LISTED_DAYS: Final = timedelta(days=Step.CLOSE.value + 7)


def marker_of(timeline: Timeline) -> Marker:
    return Marker.of(ISSUE, member=timeline.login, joined=timeline.joined.isoformat())


def listing(now: datetime) -> IssueQuery:
    """The one listing of onboarding issues: the same query from every ritual that reads them,
    so a run where two of them do lists once (the runner drops equal queries)."""
    return IssueQuery(LABEL, state="all", created_after=now - LISTED_DAYS)


def is_onboarding_issue(snapshot: Snapshot, issue: Issue) -> bool:
    return snapshot.is_bot_author(issue.author) and issue.has_label(LABEL)


def onboarding_issue(snapshot: Snapshot, timeline: Timeline) -> Issue | None:
    """The newcomer's issue: the bot opened it with their marker (in the body as first written,
    so a marker a person pastes into another issue is nobody's, SPEC §7)."""
    marker = marker_of(timeline)
    for issue in snapshot.issues:
        original = snapshot.original_body(issue)
        if is_onboarding_issue(snapshot, issue) and marker in find_markers(original):
            return issue
    return None


def onboarding_issues(snapshot: Snapshot, timelines: Sequence[Timeline]) -> dict[str, Issue]:
    """Each newcomer's issue found in the snapshot, by login (casefolded)."""
    found = {}
    for timeline in timelines:
        issue = onboarding_issue(snapshot, timeline)
        if issue is not None:
            found[timeline.login.casefold()] = issue
    return found
