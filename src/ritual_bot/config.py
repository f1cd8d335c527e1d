"""Load and validate ``.github/rituals.yml`` (spec §2): the one ``Config`` a run sees.

Validation is all-or-nothing: every problem is collected, each with the 1-based line and column of
the offending YAML node, and raised together as one :class:`ConfigError`, so a bad config is never
half-applied. The shipped JSON Schema (``ritual_bot/schema``) does the structural checks; the
generic loader (``config_loader``) adds what a schema cannot say about the team (real timezones,
dates, group references, duplicates, cycles), and each ritual's section module
(``rituals/<name>/config.py``) what it cannot say about that section.

This module composes them: the team-level keys, then one section per ritual, in ``SECTIONS``'
order (the registry's). It is the one place outside the registry that names a ritual's config,
because ``Config`` holds each section as a typed attribute (``config.hpfo.day``). The section
modules import only the loader, and the rituals import this module: no cycle.

The schema file stays whole rather than composed from per-ritual parts: editors and
``docs/config_reference.py`` read it as it is, and the parts share definitions (``label``,
``day``, ``time``) whose order in the file a composition would have to reproduce;
``tests/config/test_schema.py`` checks that its sections are the registered ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from ritual_bot.config_loader import (
    DAYS,
    LOGIN_RE,
    MAX_CONFIG_BYTES,
    DateRange,
    Member,
    Section,
    build_member,
    default_config_path,
    defaults,
    login_message,
    login_problem,
    parse_duration,
    plain_or_quoted,
    read_data,
    read_file,
    timezone_problem,
)
from ritual_bot.rituals.decisions import config as decisions_config
from ritual_bot.rituals.decisions.config import DecisionsConfig
from ritual_bot.rituals.hpfo import config as hpfo_config
from ritual_bot.rituals.hpfo.config import DigestConfig, HpfoConfig
from ritual_bot.rituals.okrs import config as okrs_config
from ritual_bot.rituals.okrs.config import OkrsConfig
from ritual_bot.rituals.onboarding import config as onboarding_config
from ritual_bot.rituals.onboarding.config import OnboardingConfig
from ritual_bot.rituals.review import config as review_config
from ritual_bot.rituals.review.config import ReviewConfig

__all__ = [
    "DAYS",
    "LOGIN_RE",
    "MAX_CONFIG_BYTES",
    "SECTIONS",
    "Config",
    "DateRange",
    "DecisionsConfig",
    "DigestConfig",
    "HpfoConfig",
    "Member",
    "OkrsConfig",
    "OnboardingConfig",
    "ReviewConfig",
    "default_config_path",
    "load_config",
    "login_problem",
    "parse_config",
    "parse_duration",
    "starter_config",
    "timezone_problem",
    "timezone_warnings",
]

# Each ritual's config section, in the file's (and the schema's) order: the order their problems
# are found in and the order a misplaced key's home is looked up in. The registry
# (``rituals/registry.py``) lists the same rituals in the order their plans are made.
SECTIONS: Final[tuple[Section, ...]] = (
    hpfo_config.SECTION,
    decisions_config.SECTION,
    okrs_config.SECTION,
    onboarding_config.SECTION,
    review_config.SECTION,
)


# --------------------------------------------------------------------------------------------------
# The configuration as the rest of the bot sees it


@dataclass(frozen=True)
class Config:
    version: int
    timezone: str
    language: str
    members: tuple[Member, ...]
    # A read-only view; left out of the hash because mapping proxies are not hashable.
    groups: Mapping[str, tuple[str, ...]] = field(hash=False)
    hpfo: HpfoConfig
    decisions: DecisionsConfig
    okrs: OkrsConfig
    onboarding: OnboardingConfig
    review: ReviewConfig

    def member(self, login: str) -> Member | None:
        """The member with this login (case-insensitive, like GitHub; a leading @ is ignored)."""
        return self._members_by_key.get(login.removeprefix("@").casefold())

    @cached_property
    def _members_by_key(self) -> Mapping[str, Member]:
        # Asked once per member and check-in in a plan: a scan each time made plans quadratic
        # in the team's size (issue 11). The first of two equal logins wins, as the scan did.
        found: dict[str, Member] = {}
        for member in self.members:
            found.setdefault(member.login.casefold(), member)
        return found

    @cached_property
    def newcomers(self) -> tuple[Member, ...]:
        """Members with a ``joined`` date while onboarding is on (SPEC §9). Two rituals ask on
        every run (onboarding follows them, HPFO carries their goals): one pass a run."""
        if not self.onboarding.enabled:
            return ()
        return tuple(m for m in self.members if m.joined is not None)

    def is_group(self, name: str) -> bool:
        return self._group_key(name) is not None

    def expand(self, names: Iterable[str]) -> tuple[str, ...]:
        """Logins named directly or through (nested) groups, de-duplicated, first mention first.

        Known members come back spelled as in ``members``; other logins as given.
        """
        result: dict[str, str] = {}
        for name in names:
            for login in self._expand_one(name, frozenset()):
                result.setdefault(login.casefold(), login)
        return tuple(result.values())

    def _group_key(self, name: str) -> str | None:
        wanted = name.casefold()
        return next((g for g in self.groups if g.casefold() == wanted), None)

    def _expand_one(self, name: str, visiting: frozenset[str]) -> Iterator[str]:
        name = name.removeprefix("@")
        group = self._group_key(name)
        if group is None:
            member = self.member(name)
            yield member.login if member else name
        elif group not in visiting:  # validation forbids cycles; this guards hand-built configs
            for entry in self.groups[group]:
                yield from self._expand_one(entry, visiting | {group})


def load_config(path: Path) -> Config:
    """Read and validate a config file; raises ConfigError listing every problem."""
    return parse_config(read_file(path), str(path))


def parse_config(text: str, source: str) -> Config:
    """Validate config text; ``source`` is the path shown in messages."""
    return _build(read_data(text, source, SECTIONS))


def _build(data: dict[str, Any]) -> Config:
    settings = {**defaults(), **data}
    timezone = str(settings["timezone"])
    return Config(
        version=int(settings["version"]),
        timezone=timezone,
        language=str(settings["language"]),
        members=tuple(build_member(entry, timezone) for entry in settings["members"]),
        groups=MappingProxyType({k: tuple(v) for k, v in settings["groups"].items()}),
        hpfo=hpfo_config.build(data),
        decisions=decisions_config.build(data),
        okrs=okrs_config.build(data),
        onboarding=onboarding_config.build(data),
        review=review_config.build(data),
    )


# --------------------------------------------------------------------------------------------------
# The starter written by `ritual-bot init`

_STARTER_HEAD: Final = """\
# ritual-bot configuration. Keys not given to `ritual-bot init` show their default; delete what
# you do not change.
# The JSON Schema ships in the ritual-bot package (ritual_bot/schema/rituals.schema.json).
version: 1
timezone: {timezone}# team default, an IANA name such as Europe/Paris
language: {language}                   # en | fr: what the bot writes (answers are read in both)
members:                       # GitHub logins of the people doing HPFO check-ins
"""
_STARTER_TAIL: Final = """\
  # - login: bob               # a member can also have their own timezone and away dates
  #   timezone: America/New_York
  #   away: ["2026-12-21..2027-01-03", "2027-02-14"]
  # - login: dan               # a newcomer: an onboarding issue opens on their first day
  #   joined: "2027-01-04"
  #   buddy: alice             # another member, who writes the goals with them
groups: {}                     # e.g. eng: [alice, bob]; groups may include other groups
hpfo:
  enabled: true
  day: monday                  # check-ins open at day + time in each member's own timezone
  time: "09:00"
  remind_after: 1d             # one reminder if no update by then (units w, d, h, m: 36h, 1d12h)
  labels: [hpfo]
  title: "HPFO {period} · @{login}"
  digest: {day: tuesday, time: "10:00"}   # team digest issue; false to disable
decisions:
  enabled: true
  label: decision              # labelling an issue with it starts the decision ritual
  stakeholders: []             # default stakeholders: logins and/or group names
  feedback_days: 5             # days for feedback, counted from the start (1 to 90)
  allow_maintainers: true      # repo maintainers/admins may act for the DRI
  log: null                    # e.g. docs/decisions/ to write one record per decision
okrs:
  enabled: true
  quarter_start: january       # month that starts Q1 (fiscal years)
  owners: []                   # logins (personal OKRs) and/or groups (one team set); none: off
  approvers: []                # stakeholders of every plan: logins and/or group names
  planning_days: 14            # planning opens this long before the quarter (1 to 60)
  label: okr
  record: null                 # e.g. docs/okrs/ to write one file per quarter
  focus_threshold: 50%         # share of weekly objectives that should name a key result
onboarding:
  enabled: true                # onboarding goals for members with a joined date
review:
  enabled: true
  day: monday                  # the weekly business review opens at day + time (team timezone)
  time: "14:00"
  areas: []                    # none: off. Each has a title, an owner and any of these three:
  # - title: Product analytics
  #   owner: alice
  #   shipped: {labels: [feature]}          # PRs merged and issues completed with these labels
  #   metrics:                              # a column of a CSV on the default branch, or /metric
  #     - {key: signups, file: metrics/product.csv, target: 500, better: higher, alert: 20%}
  #   experiments: {label: experiment}      # issues from the experiment issue form
"""


def starter_config(members: Sequence[str], timezone: str = "UTC", language: str = "en") -> str:
    """A commented starter config listing ``members``; it validates as written."""
    if not members:
        raise ValueError("a starter config needs at least one member login")
    for login in members:
        if not LOGIN_RE.fullmatch(login):
            raise ValueError(login_message(login))
    problem = timezone_problem(timezone)
    if problem:
        raise ValueError(problem)
    if language not in ("en", "fr"):
        raise ValueError(f"{language!r} is not a language ritual-bot writes (en, fr)")
    # An IANA name is a plain YAML scalar (letters, digits, `/`, `_`, `-`, `+`): no quoting.
    head = _STARTER_HEAD.format(timezone=f"{timezone} ".ljust(21), language=language)
    entries = "".join(f"  - {plain_or_quoted(login)}\n" for login in members)
    return head + entries + _STARTER_TAIL


LEGACY_ZONES = {
    "CET": "Europe/Paris", "MET": "Europe/Paris", "EET": "Europe/Athens", "WET": "Europe/Lisbon",
    "EST": "America/New_York", "MST": "America/Denver", "HST": "Pacific/Honolulu",
    "EST5EDT": "America/New_York", "CST6CDT": "America/Chicago", "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles",
}  # fmt: skip


def timezone_warnings(config: Config) -> list[str]:
    """Legacy names (``CET``, ``US/Eastern``) are valid but follow rules people rarely mean
    (``EST`` has no daylight saving): a warning with the IANA city name, never an error."""
    found = [("timezone", config.timezone)]
    found += [
        (f"members[{m.login}].timezone", m.timezone)
        for m in config.members
        if m.timezone != config.timezone  # their own, not the team's they inherit
    ]
    warnings = []
    for where, zone in dict.fromkeys(found):
        legacy = zone in LEGACY_ZONES or ("/" in zone and zone.split("/")[0] in _BACKWARD_AREAS)
        if legacy:
            city = LEGACY_ZONES.get(zone, "the city it stands for, e.g. America/New_York")
            warnings.append(f"{where}: {zone!r} is a legacy zone name; use {city}")
    return warnings


_BACKWARD_AREAS = frozenset({"US", "Canada", "Mexico", "Brazil", "Chile"})
