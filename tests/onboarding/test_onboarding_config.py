"""A newcomer's member entry (SPEC §9): `joined` and `buddy` checked by `validate`, errors
positioned like every config problem, a stale date a warning only, and the moments in
`ritual-bot schedule`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from ritual_bot.cli import main
from ritual_bot.config import parse_config
from ritual_bot.errors import ConfigError
from ritual_bot.schedule import due_moments
from tests.support import make_config

SOURCE = ".github/rituals.yml"


def problems(members: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(f"version: 1\nmembers:\n{members}", SOURCE)
    return [str(problem) for problem in caught.value.problems]


def test_the_spec_example_loads() -> None:
    config = make_config(
        "version: 1\nmembers:\n  - alice\n  - login: dan\n    joined: 2026-12-07\n"
        "    buddy: alice                 # writes the goals with them and reads the retro\n"
    )
    dan = config.member("dan")
    assert dan is not None and (dan.joined, dan.buddy) == (date(2026, 12, 7), "alice")
    assert config.onboarding.enabled


def test_a_buddy_must_be_another_member_and_joined_a_real_date() -> None:
    assert problems(
        "  - alice\n"
        "  - {login: dan, joined: 2026-02-30, buddy: zoe}\n"
        "  - {login: erin, joined: 2026/12/07, buddy: Erin}\n"
    ) == [
        f"{SOURCE}:4:26: '2026-02-30' is not a real date",
        f"{SOURCE}:4:45: buddy 'zoe' is not a member: add them to members or name a member",
        f"{SOURCE}:5:27: '2026/12/07' is not a date: use YYYY-MM-DD",
        f"{SOURCE}:5:46: 'erin' cannot be their own buddy: name another member",
    ]


def test_a_joined_date_long_past_is_a_warning_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "rituals.yml"
    path.write_text("version: 1\nmembers:\n  - alice\n  - {login: dan, joined: 2020-01-06}\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "warning: members[dan].joined: 2020-01-06 is more than 100 days ago, so onboarding has "
        "nothing left to do for dan"
    ) in result.output


def test_each_step_is_a_moment_of_the_schedule() -> None:
    config = make_config(
        "version: 1\ntimezone: Europe/Paris\nmembers:\n  - alice\n"
        "  - {login: erin, timezone: America/Los_Angeles, joined: 2026-12-09, buddy: alice}\n"
    )
    found = {
        (d.what, d.at.astimezone(ZoneInfo(d.zone)).replace(tzinfo=None))
        for d in due_moments(config, date(2026, 12, 1), days=120)
        if d.what.startswith("onboarding")
    }
    assert found == {
        ("onboarding opens for @erin", datetime(2026, 12, 9, 9, 0)),
        ("onboarding goals reminder for @erin", datetime(2026, 12, 14, 9, 0)),
        ("onboarding one-month check for @erin", datetime(2027, 1, 8, 9, 0)),
        ("onboarding three-month check for @erin", datetime(2027, 3, 9, 9, 0)),
        ("onboarding closes for @erin", datetime(2027, 3, 16, 9, 0)),
    }
