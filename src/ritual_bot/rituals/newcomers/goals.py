"""The goals of an onboarding issue, read from its body as its writers saved it (SPEC §4, §7, §9).

**Goals.** The task-list items (``- [ ] …``, ``- [x] …``) under each checklist's heading. A
heading is found by the date it names (``By 2027-01-06 (1 month)``, ``D'ici le 2027-01-06``), so
it reads the same in both languages and whatever a writer does to its wording; a checklist runs
to the next heading. Items in code, quotes or HTML comments are not goals.

**Whose text.** Only the newcomer and the buddy may write or tick goals, but anyone with write
access can edit an issue body (ticking a box is an edit of the body, by whoever clicks it). The
body counted is the newest revision in the body's edit history
(https://docs.github.com/graphql/reference/interfaces#comment, ``userContentEdits``) saved by the
newcomer, the buddy or the bot (whose only edits put their text back), else the text the bot
opened it with. A revision saved by anyone else counts for nothing, and while the issue is open
the body is put back to the counted text (``Onboarding.restore``): a box ticked by someone else
is unticked. A writer who saves on top of someone else's edit makes that text theirs, as saving
it means they read it. A revision whose text a person deleted from the history is skipped (the one
before it counts). Without the history of an edited body the counted text is unknown and the
issue waits for a run that can read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ritual_bot.markdown import LineKind, classify_lines, task_items
from ritual_bot.model import Issue, Snapshot
from ritual_bot.rituals.newcomers.timeline import Checklist, Timeline

_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")


@dataclass(frozen=True)
class Goal:
    text: str
    met: bool


@dataclass(frozen=True)
class Goals:
    """The goals of each checklist, in the order written."""

    month1: tuple[Goal, ...]
    month3: tuple[Goal, ...]

    def of(self, checklist: Checklist) -> tuple[Goal, ...]:
        return self.month1 if checklist is Checklist.MONTH1 else self.month3

    @property
    def empty(self) -> bool:
        return not self.month1 and not self.month3


def read_goals(text: str, timeline: Timeline) -> Goals:
    """The goals under each checklist's heading (see the module docstring)."""
    wanted = {timeline.target(c).isoformat(): c for c in Checklist}
    lines: dict[Checklist, list[str]] = {c: [] for c in Checklist}
    current: Checklist | None = None
    for line in classify_lines(text):
        if line.kind is LineKind.TEXT and _HEADING.match(line.text):
            current = next((c for date, c in wanted.items() if date in line.text), None)
        elif current is not None:
            lines[current].append(line.text)
    found = {
        c: tuple(Goal(t, met) for t, met in task_items("\n".join(lines[c])) if t.strip())
        for c in Checklist
    }
    return Goals(found[Checklist.MONTH1], found[Checklist.MONTH3])


def writers_text(snapshot: Snapshot, issue: Issue, timeline: Timeline) -> str | None:
    """The body as the newcomer, the buddy or the bot last saved it; None when unknown."""
    # The bot's own saves only put the writers' text back: they count as theirs.
    return snapshot.body_saved_by(issue, [*timeline.people, snapshot.bot_login])
