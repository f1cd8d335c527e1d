"""Fixtures for the config tests: parse inline YAML and look at the problems it yields."""

from __future__ import annotations

from collections.abc import Callable
from textwrap import dedent

import pytest

from ritual_bot.config import Config, parse_config
from ritual_bot.errors import ConfigError

SOURCE = ".github/rituals.yml"

# SPEC.md §2, verbatim: the documented example must keep loading.
SPEC_EXAMPLE = """\
version: 1
timezone: Europe/Paris                 # team default (IANA name)
language: en                           # en | fr: templates and the words the parser accepts
members:
  - alice
  - login: bob
    timezone: America/New_York
    away: ["2026-12-21..2027-01-03"]   # no check-in opened while away
groups:
  eng: [alice, bob, carol]
  leads: [alice]
hpfo:
  day: monday                          # opens at day+time in each member's own timezone
  time: "09:00"
  remind_after: 1d                     # one reminder mention if no update by then
  labels: [hpfo]
  digest: {day: tuesday, time: "10:00"}   # team digest issue; false to disable
decisions:
  label: decision                      # labelling an issue with it starts the decision ritual
  stakeholders: [eng]                  # default stakeholders: logins and/or group names
  feedback_days: 5                     # feedback deadline, counted from the start
  allow_maintainers: true              # repo maintainers/admins may act for the DRI
"""

Parse = Callable[[str], Config]
Problems = Callable[[str], list[str]]


@pytest.fixture
def parse() -> Parse:
    """Parse dedented YAML as if it were .github/rituals.yml."""

    def run(text: str) -> Config:
        return parse_config(dedent(text), SOURCE)

    return run


@pytest.fixture
def problems() -> Problems:
    """The `path:line:col: message` lines a config yields; fails the test if it is valid."""

    def run(text: str) -> list[str]:
        with pytest.raises(ConfigError) as caught:
            parse_config(dedent(text), SOURCE)
        assert caught.value.exit_code == 2
        return [str(problem) for problem in caught.value.problems]

    return run


@pytest.fixture
def spec_example() -> str:
    return SPEC_EXAMPLE
