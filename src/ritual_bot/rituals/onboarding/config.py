"""The onboarding ritual's config (SPEC §9): the ``onboarding:`` section (on or off), and the checks
of what a newcomer's member entry says (``joined``, ``buddy``) that the schema cannot.

- A ``joined`` that is not a real date, a ``buddy`` who is not a member, or a newcomer who is
  their own buddy is an error (positioned, like every config problem).
- A ``joined`` so long ago that the ritual has nothing left to do (its issue closes on day 97) is
  a warning, not an error: the config is right, it is only stale (``joined_warnings``).

Defaults live in the shipped schema (``config_loader.defaults``); this module imports only the
shared loader, so ``ritual_bot.config`` can compose it without a cycle.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from ritual_bot.config_loader import (
    Document,
    Finding,
    Member,
    Section,
    member_entries,
    member_logins,
    parse_date,
    section_settings,
)

NAME: Final = "onboarding"
# Past this many days after ``joined`` the ritual has nothing left to do for a newcomer (the
# issue closes on day 97): ``validate`` warns that the date is stale.
STALE_AFTER_DAYS: Final = 100
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # the schema's pattern; else reported


@dataclass(frozen=True)
class OnboardingConfig:
    enabled: bool


def _problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    logins = {login.casefold() for _, login in member_logins(data)}
    for index, entry in member_entries(data):
        joined, buddy, login = entry.get("joined"), entry.get("buddy"), entry.get("login")
        if isinstance(joined, str) and _DATE.fullmatch(joined):
            try:
                parse_date(joined)
            except ValueError as error:  # the pattern passed: "2026-02-30"
                yield doc.value(("members", index, "joined")), str(error)
        if not isinstance(buddy, str):
            continue  # absent, or the schema reported it
        where = doc.value(("members", index, "buddy"))
        if isinstance(login, str) and buddy.casefold() == login.casefold():
            yield where, f"{login!r} cannot be their own buddy: name another member"
        elif buddy.casefold() not in logins:
            yield where, f"buddy {buddy!r} is not a member: add them to members or name a member"


SECTION: Final = Section(NAME, _problems)


def build(data: dict[str, Any]) -> OnboardingConfig:
    """The section of validated ``data``, defaults filled in."""
    return OnboardingConfig(enabled=bool(section_settings(data, NAME)["enabled"]))


def joined_warnings(members: Iterable[Member], today: dt.date) -> list[str]:
    """Newcomers whose ``joined`` is so far back that onboarding has nothing left to do."""
    return [
        f"members[{m.login}].joined: {m.joined.isoformat()} is more than {STALE_AFTER_DAYS} days "
        f"ago, so onboarding has nothing left to do for {m.login} (its issue closes on day 97): "
        "remove joined and buddy, or correct the date"
        for m in members
        if m.joined is not None and (today - m.joined).days > STALE_AFTER_DAYS
    ]
