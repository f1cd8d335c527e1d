"""Issue 10: one bad value never stops the rest (SPEC §7, fault isolation).

Dates the code cannot add days to (9999-12-31) or absurdly far away are refused where they come
in, with a reply saying what is accepted; nothing else stops.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ritual_bot.cli import main
from ritual_bot.rituals.base import Event
from ritual_bot.rituals.decisions.ritual import deadline_at
from tests.decisions.helpers import CONFIG, DRI, FORM, Team
from tests.support import REPO


def _schedule(team: Team, iso: str) -> list[str]:
    team.world.at(iso)
    report = team.run_twice(Event("schedule"))
    return [a.op.describe() for a in report.applied]


def test_a_deadline_the_calendar_cannot_reach_is_refused_and_runs_go_on(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, DRI, "/deadline 9999-12-31")
    team.run_twice(event)
    (reply,) = team.bot_comments(number, "decision-reply")
    assert "`/deadline`: that date is too far away" in reply["body"]
    assert "by 2029-11-23" in reply["body"]  # three years from the day it was written
    assert "**Feedback by:** 2026-11-28" in team.block(number)  # unchanged
    _, event = team.comment(number, DRI, "/deadline 2029-11-23")  # the last day accepted
    team.run_twice(event)
    assert "**Feedback by:** 2029-11-23" in team.block(number)
    assert _schedule(team, "2026-11-30T10:17") == []  # scheduled runs still work


def test_the_forms_far_deadline_falls_back_to_the_default_with_a_note(team: Team) -> None:
    body = FORM.replace(
        "### Feedback deadline\n\n_No response_", "### Feedback deadline\n\n9999-12-31"
    )
    number = team.open_issue(body, author="ivan")
    team.run_twice(team.label(number, who="ivan"))
    (start,) = team.bot_comments(number, "decision-start")
    assert "9999-12-31" in start["body"] and "2026-11-28" in start["body"]
    assert "at most 3 years ahead" in start["body"]
    assert "**Feedback by:** 2026-11-28" in team.block(number)
    _schedule(team, "2026-11-27T23:17")  # the reminder the day before still comes
    assert len(team.bot_comments(number, "decision-remind")) == 1


def test_a_proposal_with_a_far_deadline_is_refused_alone(team: Team) -> None:
    far = "---\ntitle: Far\ndri: alice\ndue: 9999-12-31\n---\nbody"
    near = "---\ntitle: Near\ndri: alice\n---\nbody"
    team.world.sandbox.put_file(REPO, ".github/decisions/a-far.md", far, user=DRI)
    team.world.sandbox.put_file(REPO, ".github/decisions/b-near.md", near, user=DRI)
    report = team.run_twice(Event("schedule"))
    assert [i["title"] for i in team.world.sandbox.issues(REPO)] == ["Near"]
    assert any("a-far.md" in n and "9999-12-31" in n for n in report.notices), report.notices


def test_the_deadline_is_the_end_of_the_day_even_at_the_end_of_the_calendar() -> None:
    assert deadline_at(date.max, "Europe/Paris").date() == date.max
    assert deadline_at(date(2026, 11, 28), "UTC").isoformat() == "2026-11-29T00:00:00+00:00"


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("9999-12-31", "is too far away: give a date at most 3 years ahead"),
        ("2026-02-30", "not a real date"),
    ],
)
def test_decision_open_refuses_a_deadline_it_cannot_use_with_exit_2(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deadline: str, message: str
) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "rituals.yml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    for name, value in (
        ("TOKEN", team.world.bot_token),
        ("REPOSITORY", REPO),
        ("API_URL", team.world.url),
    ):
        monkeypatch.setenv(f"GITHUB_{name}", value)
    team.world.sandbox.clear_requests()
    args = ["decision", "open", "--title", "T", "--dri", "alice", "--deadline", deadline]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert f"error: --deadline {deadline}" in result.output and message in result.output
    assert team.world.sandbox.requests == []


@pytest.mark.parametrize(
    ("dri", "message"),
    [("bad_login", "the DRI 'bad_login' is not a GitHub login"), ("", "no DRI was given")],
)
def test_decision_open_refuses_a_dri_that_is_not_a_login_with_exit_2(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dri: str, message: str
) -> None:
    """Issue 12: it used to plan nothing and exit 0."""
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "rituals.yml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", team.world.bot_token)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_API_URL", team.world.url)
    team.world.sandbox.clear_requests()
    result = CliRunner().invoke(main, ["decision", "open", "--title", "T", "--dri", dri])
    assert result.exit_code == 2, result.output
    assert f"error: decision open: {message}" in result.output
    assert team.world.sandbox.requests == []


# --- Body size: GitHub refuses a body over 65,536 characters with a 422 -----------------------


def test_a_body_near_the_limit_gets_a_compact_block_and_the_authors_text_stays(
    team: Team,
) -> None:
    text = "Context.\n\n" + "word " * 12_958  # 64,800 characters: no room for the full block
    number = team.open_issue(text)
    other = team.open_issue()
    team.run_twice(team.label(number))
    team.run_twice(team.label(other))
    body = team.issue(number)["body"]
    assert len(body) <= 65_536 and body.startswith(text)
    (start,) = team.bot_comments(number, "decision-start")
    block = team.block(number)
    assert "**Feedback by:** 2026-11-28" in block and start["html_url"] in block
    assert "@bob" not in block  # the checklist is what did not fit
    _, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)
    assert "**Feedback:** 1/3" in team.block(number)
    _schedule(team, "2026-11-27T23:17")  # reminders go out on both decisions
    assert len(team.bot_comments(number, "decision-remind")) == 1
    assert len(team.bot_comments(other, "decision-remind")) == 1


def test_a_proposal_over_the_limit_is_refused_alone(team: Team) -> None:
    huge = "---\ntitle: Huge\ndri: alice\n---\n" + "word " * 14_000
    near = "---\ntitle: Near\ndri: alice\n---\nbody"
    team.world.sandbox.put_file(REPO, ".github/decisions/a-huge.md", huge, user=DRI)
    team.world.sandbox.put_file(REPO, ".github/decisions/b-near.md", near, user=DRI)
    report = team.run_twice(Event("schedule"))
    assert [i["title"] for i in team.world.sandbox.issues(REPO)] == ["Near"]
    assert any("a-huge.md" in n and "65,536" in n for n in report.notices), report.notices
