"""Decisions the bot opens: proposal files, workflow_dispatch inputs and `decision open`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ritual_bot.cli import main
from ritual_bot.markers import first_marker
from ritual_bot.rituals.base import Event
from tests.decisions.helpers import CONFIG, DATA, DRI, Team
from tests.support import REPO


def _decisions(team: Team) -> list[dict[str, object]]:
    return [i for i in team.world.sandbox.issues(REPO) if "decision" in str(i["labels"])]


def test_a_proposal_file_is_opened_once_by_the_next_scheduled_run(team: Team) -> None:
    content = (DATA / "proposal.md").read_text()
    team.world.sandbox.put_file(REPO, ".github/decisions/trunk.md", content, user=DRI)
    team.run_twice(Event("schedule"))
    (issue,) = team.world.sandbox.issues(REPO)
    assert issue["title"] == "Adopt trunk-based development"
    body = str(issue["body"])
    marker = first_marker(body, "decision-proposal")
    assert marker is not None and marker.get("sha")
    assert "Proposed in `.github/decisions/trunk.md`" in body
    assert "Long-lived branches make our releases late." in body
    assert "**Feedback by:** 2026-12-04" in body and "@erin: no feedback yet" in body
    assert [a["login"] for a in issue["assignees"]] == [DRI]
    assert team.labels(int(issue["number"])) == {"decision", "decision: open"}

    # Editing the merged file later does not open it again.
    team.world.sandbox.put_file(REPO, ".github/decisions/trunk.md", content + "\nMore.", user=DRI)
    team.run_twice(Event("schedule"))
    assert len(team.world.sandbox.issues(REPO)) == 1

    # The thread then works as for any decision; the start record is in the bot's own body.
    number = int(issue["number"])
    _, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)
    assert "- [x] @bob: approves" in team.block(number)
    assert team.bot_comments(number, "decision-start") == []


def test_a_proposal_without_a_dri_is_not_opened(team: Team) -> None:
    no_dri = "---\ntitle: X\n---\nbody"
    team.world.sandbox.put_file(REPO, ".github/decisions/x.md", no_dri, user=DRI)
    team.run_twice(Event("schedule"))
    assert team.world.sandbox.issues(REPO) == []


def test_workflow_dispatch_inputs_open_a_decision_once(team: Team) -> None:
    inputs = {
        "decision_title": "Move CI to GitHub Actions",
        "decision_dri": "@alice",
        "decision_stakeholders": "bob, carol",
        "decision_deadline": "2026-12-01",
    }
    event = Event("workflow_dispatch", {"inputs": inputs})
    team.run_twice(event)
    team.run_twice(event)
    (issue,) = team.world.sandbox.issues(REPO)
    assert "@bob: no feedback yet" in str(issue["body"]) and "@dave" not in str(issue["body"])


@pytest.fixture
def repo_dir(tmp_path: Path) -> Path:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "rituals.yml").write_text(CONFIG)
    return tmp_path


def test_the_cli_opens_a_decision_and_summarizes_an_issue(
    team: Team, repo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo_dir)
    monkeypatch.setenv("GITHUB_TOKEN", team.world.bot_token)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_API_URL", team.world.url)
    (repo_dir / "body.md").write_text("Our CI is slow.\n")
    args = ["decision", "open", "--title", "Faster CI", "--dri", "alice"]
    args += ["--stakeholders", "eng", "--body-file", "body.md"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0
    (issue,) = team.world.sandbox.issues(REPO)
    assert str(issue["body"]).find("Our CI is slow.") > 0

    number = int(issue["number"])
    team.comment(number, "bob", "/approve\nYes, @carol said the same. Is it cheap?")
    result = CliRunner().invoke(main, ["summarize", str(number)])
    assert result.exit_code == 0, result.output
    assert "| @\u200bbob | 1 | Yes, @\u200bcarol said the same." in result.output
    assert "Questions left unanswered" in result.output


def test_summarize_an_unknown_issue_is_a_usage_error(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", team.world.bot_token)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_API_URL", team.world.url)
    result = CliRunner().invoke(main, ["summarize", "999"])
    assert result.exit_code == 2 and "not found" in result.output
