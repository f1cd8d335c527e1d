"""The action as the runner runs it: the composite steps of action.yml against the sandbox.

These tests reuse the package installed in the test environment (``RITUAL_BOT_VENV``, which the
install step honours) so they stay fast; ``test_the_install_step_really_installs_the_package``
does the real install into a private virtualenv under ``RUNNER_TEMP``.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from ritual_bot.clock import SystemClock
from ritual_bot.markers import first_marker
from tests.action.harness import ActionRun, Runner, job_runner
from tests.support import REPO, World

TEAM = ("alice", "bob")
# Check-ins open on Monday 00:00 in UTC, so whatever the real date, the current ISO week's are
# due: the scheduled run below opens exactly one per member without faking the program's clock.
CONFIG = """\
version: 1
timezone: UTC
members: [alice, bob]
hpfo:
  day: monday
  time: "00:00"
  digest: false
"""
PYTHON = {"python": {"python-path": sys.executable}}


@pytest.fixture
def runner(world: World, tmp_path: Path) -> Runner:
    return job_runner(world, tmp_path, CONFIG, TEAM)


def iso_week(when: datetime) -> str:
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}"


def checkins(world: World) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for issue in world.sandbox.issues(REPO):
        marker = first_marker(issue["body"], "hpfo-checkin")
        if marker:
            login = marker.get("member") or ""
            assert login not in found, f"two check-ins for {login}"
            found[login] = issue
    return found


def assert_token_only_masked(run: ActionRun, token: str) -> None:
    lines = [line for line in run.stdout.splitlines() if token in line]
    assert lines == [f"::add-mask::{token}"], "the token is registered as a mask, never printed"
    assert token not in run.summary
    assert all(token not in step.stderr for step in run.steps)


def test_a_scheduled_run_opens_the_check_ins_and_reports_outputs_and_summary(
    world: World, runner: Runner
) -> None:
    before = SystemClock().now()
    run = runner.run("schedule", {"schedule": "17 * * * *"}, uses_outputs=PYTHON)
    after = SystemClock().now()

    assert run.ok, run.explain()
    opened = checkins(world)
    assert sorted(opened) == list(TEAM)
    for issue in opened.values():
        marker = first_marker(str(issue["body"]), "hpfo-checkin")
        assert marker is not None
        assert marker.get("period") in {iso_week(before), iso_week(after)}
    numbers = sorted(int(str(issue["number"])) for issue in opened.values())
    assert json.loads(run.outputs["opened"]) == numbers
    assert json.loads(run.outputs["closed"]) == []
    assert json.loads(run.outputs["commented"]) == []
    assert int(run.outputs["requests"]) == len(world.sandbox.requests)
    for issue in opened.values():
        assert str(issue["html_url"]) in run.summary
        assert issue["assignees"][0]["login"] in TEAM  # type: ignore[index]
    assert "API requests" in run.summary
    assert_token_only_masked(run, world.bot_token)


def test_the_same_scheduled_run_again_writes_nothing(world: World, runner: Runner) -> None:
    first = runner.run("schedule", {"schedule": "17 * * * *"}, uses_outputs=PYTHON)
    assert first.ok, first.explain()
    writes = len(world.writes())

    again = runner.run("schedule", {"schedule": "17 * * * *"}, uses_outputs=PYTHON)

    assert again.ok, again.explain()
    assert len(world.writes()) == writes
    assert json.loads(again.outputs["opened"]) == []


def test_dry_run_input_plans_without_writing(world: World, runner: Runner) -> None:
    run = runner.run(
        "workflow_dispatch", {"inputs": {}}, with_={"dry-run": "true"}, uses_outputs=PYTHON
    )

    assert run.ok, run.explain()
    assert world.writes() == []
    assert "dry run" in run.stdout
    assert "HPFO" in run.stdout  # the planned check-ins are printed
    assert json.loads(run.outputs["opened"]) == []


def test_a_bad_dry_run_value_fails_with_an_annotation(world: World, runner: Runner) -> None:
    run = runner.run("schedule", {}, with_={"dry-run": "maybe"}, uses_outputs=PYTHON)

    assert not run.ok
    assert run.steps[-1].returncode == 2
    assert "::error title=ritual-bot::the dry-run input must be true or false" in run.stdout
    assert world.sandbox.requests == []


def test_a_bad_config_annotates_the_file_and_writes_nothing(world: World, runner: Runner) -> None:
    (runner.workspace / ".github" / "rituals.yml").write_text(
        "version: 1\nmembers: [alice]\nx: 1\n"
    )

    run = runner.run("schedule", {}, uses_outputs=PYTHON)

    assert run.steps[-1].returncode == 2
    assert "::error file=.github/rituals.yml,line=3,col=1::" in run.stdout
    assert "invalid config, nothing written" in run.summary
    assert world.sandbox.requests == []
    # Each problem once in the log: as its annotation, not again as a plain line (issue 12).
    assert ".github/rituals.yml:3:1:" not in run.stdout + "".join(s.stderr for s in run.steps)


def test_the_config_input_is_a_path_in_the_workspace(world: World, runner: Runner) -> None:
    moved = runner.workspace / "ops" / "team rituals.yml"  # a space: quoting is tested too
    moved.parent.mkdir()
    (runner.workspace / ".github" / "rituals.yml").rename(moved)

    run = runner.run("schedule", {}, with_={"config": "ops/team rituals.yml"}, uses_outputs=PYTHON)

    assert run.ok, run.explain()
    assert sorted(checkins(world)) == list(TEAM)


def test_a_comment_on_a_pull_request_is_ignored_with_exit_0(world: World, runner: Runner) -> None:
    payload = json.loads(
        (Path(__file__).parents[1] / "data" / "webhooks" / "issue_comment.created.json").read_text()
    )
    payload["issue"]["pull_request"] = {"url": "https://api.github.com/repos/acme/team/pulls/1"}

    run = runner.run("issue_comment", payload, uses_outputs=PYTHON)

    assert run.ok, run.explain()
    assert "the event is about a pull request" in run.stdout
    assert world.writes() == []


def test_an_event_no_ritual_handles_is_a_no_op_with_exit_0(world: World, runner: Runner) -> None:
    run = runner.run("push", {"ref": "refs/heads/main"}, uses_outputs=PYTHON)

    assert run.ok, run.explain()
    assert "nothing to do" in run.stdout
    assert world.sandbox.requests == []
    assert run.outputs["requests"] == "0"


def test_the_install_step_really_installs_the_package(world: World, runner: Runner) -> None:
    """No shortcut: uv from PyPI, the package from the action's folder, in RUNNER_TEMP."""
    runner.base_env = {}

    run = runner.run("workflow_dispatch", {}, with_={"dry-run": "true"}, uses_outputs=PYTHON)

    assert run.ok, run.explain()
    venv = runner.temp / "ritual-bot" / "venv"
    assert run.steps[0].outputs["bin"] == str(venv / "bin")
    assert (venv / "bin" / "ritual-bot").exists()
    assert "::group::Install ritual-bot" in run.steps[0].stdout
    assert world.writes() == []
    assert "dry run" in run.stdout
