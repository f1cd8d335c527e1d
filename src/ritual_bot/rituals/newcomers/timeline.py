"""When each step of a newcomer's onboarding falls due (SPEC §9): pure dates and instants.

Every step is at the HPFO time (``hpfo.time``) in the newcomer's own timezone, on a day counted
from ``joined``: the issue opens on day 0, the buddy is reminded on day 5 if no goal is written,
the one-month and three-month checks come on days 30 and 90 (the dates the checklists are due),
and the issue closes with its summary on day 97, a week after the last check, once the retro has
had time to come in.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ritual_bot.config import Config, Member
from ritual_bot.moments import Due, instant


class Step(enum.Enum):
    """A step of the ritual and the day it falls on, counted from ``joined``."""

    OPEN = 0
    REMIND = 5
    MONTH1 = 30
    MONTH3 = 90
    CLOSE = 97


# What ``ritual-bot schedule`` says each moment is for.
WHAT = {
    Step.OPEN: "onboarding opens",
    Step.REMIND: "onboarding goals reminder",
    Step.MONTH1: "onboarding one-month check",
    Step.MONTH3: "onboarding three-month check",
    Step.CLOSE: "onboarding closes",
}


class Checklist(enum.Enum):
    """The two checklists of the issue: their step, and the goals' horizon in months."""

    MONTH1 = Step.MONTH1
    MONTH3 = Step.MONTH3

    @property
    def months(self) -> int:
        return 1 if self is Checklist.MONTH1 else 3


@dataclass(frozen=True)
class Timeline:
    """One newcomer's onboarding: who, with whom, and when each step falls due."""

    login: str
    buddy: str | None
    joined: date
    zone: ZoneInfo
    at: time  # the HPFO time, in ``zone``

    @classmethod
    def of(cls, config: Config, member: Member) -> Timeline:
        assert member.joined is not None
        buddy = config.member(member.buddy) if member.buddy else None
        timeline = cls(
            member.login,
            buddy.login if buddy else member.buddy,
            member.joined,
            member.zone,
            config.hpfo.time,
        )
        timeline.due(Step.CLOSE)  # a date whose last step cannot be dated fails here, alone
        return timeline

    def day(self, step: Step) -> date:
        return self.joined + timedelta(days=step.value)

    def due(self, step: Step) -> datetime:
        """The instant ``step`` falls due (UTC)."""
        return instant(self.day(step), self.at, self.zone)

    def target(self, checklist: Checklist) -> date:
        """The date a checklist's goals are due by (day 30, day 90)."""
        return self.day(checklist.value)

    @property
    def people(self) -> tuple[str, ...]:
        """Who writes, ticks and answers: the newcomer and the buddy."""
        return (self.login, self.buddy) if self.buddy else (self.login,)

    def is_writer(self, login: str | None) -> bool:
        return login is not None and any(p.casefold() == login.casefold() for p in self.people)

    def moments(self, day: date) -> Iterator[Due]:
        for step in Step:
            if self.day(step) == day:
                yield Due(self.due(step), f"{WHAT[step]} for @{self.login}", self.zone.key)


def newcomers(config: Config) -> list[Member]:
    """Members with a ``joined`` date, when the ritual is on."""
    return list(config.newcomers)
