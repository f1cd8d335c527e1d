"""The schedule computed from the config (issue 11): every due moment covered, cheaply."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ritual_bot.cli import main
from ritual_bot.schedule import (
    HOURLY,
    Cron,
    CronError,
    Entry,
    due_moments,
    missed,
    schedule_entries,
)
from tests.support import World, make_config

# Four timezones with awkward offsets: +14, -3:30 with DST, +5:30 without, +1 with DST.
WORLD_TEAM = """\
version: 1
timezone: Europe/Paris
members:
  - {login: kiri, timezone: Pacific/Kiritimati}
  - {login: newfie, timezone: America/St_Johns}
  - {login: priya, timezone: Asia/Kolkata}
  - {login: alice, timezone: Europe/Paris}
"""
START = date(2026, 11, 26)


def _jobs_per_week(entries: list[Entry], monday: date) -> int:
    crons = [Cron.parse(e.cron, e.timezone) for e in entries]
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    minutes = (start + timedelta(minutes=n) for n in range(7 * 24 * 60))
    return sum(1 for m in minutes if any(c.fires_at(m) for c in crons))


@pytest.mark.parametrize("utc", [False, True], ids=["timezone", "utc"])
def test_the_computed_schedule_covers_every_moment_of_a_year_of_dst_changes(utc: bool) -> None:
    config = make_config(WORLD_TEAM)
    entries = schedule_entries(config, START, utc=utc)
    moments = due_moments(config, START)
    # A year holds each member's 53 openings and reminders, 53 digests, 371 midnights.
    assert len(moments) == 4 * 2 * 53 + 53 + 371
    assert missed(entries, config, START) == []
    # ... and each member's first Monday after both DST changes, checked by hand:
    paris_summer = datetime(2027, 4, 5, 7, 7, tzinfo=UTC)  # 09:07 CEST
    paris_winter = datetime(2027, 11, 1, 8, 7, tzinfo=UTC)  # 09:07 CET
    crons = [Cron.parse(e.cron, e.timezone) for e in entries]
    assert any(c.fires_at(paris_summer) for c in crons)
    assert any(c.fires_at(paris_winter) for c in crons)


def test_a_team_in_three_timezones_costs_under_thirty_jobs_a_week() -> None:
    config = make_config(
        WORLD_TEAM.replace("  - {login: kiri, timezone: Pacific/Kiritimati}\n", "")
    )
    entries = schedule_entries(config, START)
    jobs = _jobs_per_week(entries, date(2026, 11, 30))
    assert jobs <= 30, jobs
    assert _jobs_per_week([Entry(HOURLY)], date(2026, 11, 30)) == 168


def test_hourly_covers_everything_and_a_missing_timezone_is_found() -> None:
    config = make_config(WORLD_TEAM)
    assert missed([Entry(HOURLY)], config, START) == []
    without_kiri = [
        e for e in schedule_entries(config, START) if e.timezone != "Pacific/Kiritimati"
    ]
    gaps = missed(without_kiri, config, START)
    assert gaps and all("kiri" in gap.what for gap in gaps)


def test_cron_reads_githubs_syntax_and_refuses_the_rest() -> None:
    cron = Cron.parse("7 9-11/2 * JAN,dec MON-FRI", "Asia/Kolkata")
    assert cron.fires_at(datetime(2026, 12, 7, 3, 37, tzinfo=UTC))  # Mon 09:07 IST
    assert not cron.fires_at(datetime(2026, 12, 7, 4, 37, tzinfo=UTC))  # 10:07: not in 9-11/2
    assert Cron.parse("0 0 * * 7").fires_at(datetime(2026, 11, 29, 0, 0, tzinfo=UTC))  # Sunday
    for bad in ("* * * *", "61 * * * *", "*/0 * * * *", "@hourly"):
        with pytest.raises(CronError):
            Cron.parse(bad)
    with pytest.raises(CronError):
        Cron.parse("0 0 * * *", "Mars/Olympus")


def _write_repo(tmp_path: Path, schedule: str) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "rituals.yml").write_text(WORLD_TEAM)
    workflow = f"name: rituals\non:\n  schedule:\n{schedule}\njobs: {{}}\n"
    (tmp_path / ".github" / "workflows" / "rituals.yml").write_text(workflow)


def test_schedule_check_prints_the_lines_to_paste_and_passes_once_pasted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write_repo(tmp_path, '    - cron: "7 9 * * 1"\n      timezone: "Europe/Paris"')
    runner = CliRunner()
    now = "--now=2026-11-26T00:00:00Z"
    printed = runner.invoke(main, ["schedule", now])
    assert printed.exit_code == 0
    assert '- cron: "7 9,10 * * 1"\n  timezone: "Asia/Kolkata"' in printed.output
    assert '- cron: "22 9,10 * * 2"\n  timezone: "Asia/Kolkata"' in printed.output  # reminders

    checked = runner.invoke(main, ["schedule", "--check", now])
    assert checked.exit_code == 1
    assert "misses" in checked.output and "Paste these lines" in checked.output

    pasted = "\n".join("    " + line for line in printed.output.strip().split("\n"))
    (tmp_path / ".github" / "workflows" / "rituals.yml").unlink()
    (tmp_path / ".github" / "workflows").rmdir()
    (tmp_path / ".github" / "rituals.yml").unlink()
    _write_repo(tmp_path, pasted)
    assert runner.invoke(main, ["schedule", "--check", now]).exit_code == 0


def test_an_unreadable_cron_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write_repo(tmp_path, '    - cron: "every monday"')
    result = CliRunner().invoke(main, ["schedule", "--check"])
    assert result.exit_code == 2
    assert "cannot read" in result.output or "5 fields" in result.output


def test_a_dropped_scheduled_run_is_caught_up_by_the_next_with_nothing_lost(world: World) -> None:
    """GitHub may drop a scheduled run under load: the catch-up run an hour later opens the
    check-ins the dropped one would have, and the week ends as if nothing had been dropped."""
    config = make_config("version: 1\ntimezone: Europe/Paris\nmembers: [alice, bob]\n")
    world.add_members(["alice", "bob"])
    crons = [Cron.parse(e.cron, e.timezone) for e in schedule_entries(config, date(2026, 11, 23))]
    start = datetime(2026, 11, 23, tzinfo=UTC)
    firings = [
        m
        for m in (start + timedelta(minutes=n) for n in range(3 * 24 * 60))
        if any(c.fires_at(m) for c in crons)
    ]
    opening = next(f for f in firings if f.weekday() == 0 and f.hour >= 8)  # 09:07 Paris
    for firing in firings:
        if firing == opening:
            continue  # dropped by GitHub
        world.clock.set(firing)
        world.run(config)
        if firing == opening + timedelta(hours=1):
            assert world.checkin("alice", "2026-W48") is not None
            assert world.checkin("bob", "2026-W48") is not None
    numbers = [int((world.checkin(who, "2026-W48") or {})["number"]) for who in ("alice", "bob")]
    reminders = [
        c
        for number in numbers
        for c in world.sandbox.comments("acme/team", number)
        if "hpfo-reminder" in c["body"]
    ]
    assert len(reminders) == 2  # each silent member reminded once, on Tuesday
