"""The action as the runner runs it, for the decision ritual: a person labels an issue
`decision`, then the DRI comments `/decide`. Each event's payload is built the way GitHub builds
it, from the sandbox's own REST representation of the issue, comment and sender.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.action.harness import ActionRun, Runner, job_runner
from tests.support import REPO, World

CONFIG = """\
version: 1
timezone: UTC
members: [alice, bob, carol]
hpfo: {enabled: false}
decisions:
  label: decision
  stakeholders: [bob, carol]
"""
PYTHON = {"python": {"python-path": sys.executable}}


@pytest.fixture
def runner(world: World, tmp_path: Path) -> Runner:
    return job_runner(world, tmp_path, CONFIG, ("alice", "bob", "carol"))


def _payload(world: World, action: str, number: int, sender: str, **extra: Any) -> dict[str, Any]:
    return {
        "action": action,
        "issue": world.api(sender, "GET", f"/repos/{REPO}/issues/{number}"),
        "repository": world.api(sender, "GET", f"/repos/{REPO}"),
        "sender": world.api(sender, "GET", f"/users/{sender}"),
        **extra,
    }


def _labelled_decision(world: World) -> tuple[int, dict[str, Any]]:
    """alice opens an issue, then labels it `decision`: the `issues.labeled` delivery."""
    issue = world.api(
        "alice",
        "POST",
        f"/repos/{REPO}/issues",
        {"title": "Decision: move the API to Postgres", "body": "We outgrew SQLite."},
    )
    number = int(issue["number"])
    labels = world.api(
        "alice", "POST", f"/repos/{REPO}/issues/{number}/labels", {"labels": ["decision"]}
    )
    label = next(item for item in labels if item["name"] == "decision")
    return number, _payload(world, "labeled", number, "alice", label=label)


def _labels(world: World, number: int) -> set[str]:
    issue = world.api("alice", "GET", f"/repos/{REPO}/issues/{number}")
    return {label["name"] for label in issue["labels"]}


def _by_the_bot(world: World) -> list[Any]:
    return [r for r in world.sandbox.requests if r.actor == "github-actions[bot]"]


def _run(runner: Runner, event: str, payload: dict[str, Any]) -> ActionRun:
    run = runner.run(event, payload, uses_outputs=PYTHON)
    assert run.ok, run.explain()
    return run


def test_a_labelled_decision_is_started_in_the_issue(world: World, runner: Runner) -> None:
    number, payload = _labelled_decision(world)

    run = _run(runner, "issues", payload)

    assert "decision: open" in _labels(world, number)
    body = world.api("alice", "GET", f"/repos/{REPO}/issues/{number}")["body"]
    assert body.startswith("We outgrew SQLite.")  # the author's text is left as written
    assert "@bob" in body and "@carol" in body  # one checklist line per stakeholder
    assert number in json.loads(run.outputs["commented"])  # the start comment notifies them
    assert json.loads(run.outputs["opened"]) == json.loads(run.outputs["closed"]) == []
    assert f"/{REPO}/issues/{number}" in run.summary
    assert int(run.outputs["requests"]) == len(_by_the_bot(world))


def test_a_decide_comment_from_the_dri_records_and_closes(world: World, runner: Runner) -> None:
    number, labelled = _labelled_decision(world)
    _run(runner, "issues", labelled)
    world.api("bob", "POST", f"/repos/{REPO}/issues/{number}/comments", {"body": "/approve"})
    comment = world.api(
        "alice",
        "POST",
        f"/repos/{REPO}/issues/{number}/comments",
        {"body": "/decide Postgres 16 on the managed service.\nbob approved; carol was silent."},
    )
    payload = _payload(world, "created", number, "alice", comment=comment)

    run = _run(runner, "issue_comment", payload)

    issue = world.api("alice", "GET", f"/repos/{REPO}/issues/{number}")
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"
    assert "decision: decided" in _labels(world, number)
    assert "decision: open" not in _labels(world, number)
    assert json.loads(run.outputs["closed"]) == [number]
    assert json.loads(run.outputs["commented"]) == [number]  # the decision summary
    comments = world.api("alice", "GET", f"/repos/{REPO}/issues/{number}/comments")
    assert "Postgres 16 on the managed service" in comments[-1]["body"]
    assert f"/{REPO}/issues/{number}" in run.summary
