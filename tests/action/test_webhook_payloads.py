"""Every real ``issues`` and ``issue_comment`` example payload through ``ritual-bot run``.

The payloads are the unmodified ``@octokit/webhooks-examples`` files in tests/data/webhooks. Each
one is run twice against the sandbox: once where the repository does not have the payload's issue
(a delivery for an issue since deleted or transferred), and once where it does, as the payload
describes it. Either way the run must exit 0, handled or cleanly ignored, and write nothing:
none of these issues carries the decision label and no comment holds a command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ritual_bot.cli import main
from tests.support import REPO, World

WEBHOOKS = Path(__file__).resolve().parents[1] / "data" / "webhooks"
PAYLOADS = sorted(WEBHOOKS.glob("*.json"))
CONFIG = "version: 1\ntimezone: UTC\nmembers: [Codertocat]\n"


def _payload(path: Path) -> dict[str, Any]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(payload, dict)
    return payload


def _run(world: World, tmp_path: Path, path: Path) -> Result:
    config = tmp_path / "rituals.yml"
    config.write_text(CONFIG)
    env: dict[str, str | None] = {
        "GITHUB_TOKEN": world.bot_token,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": world.url,
        "GITHUB_EVENT_NAME": path.name.split(".")[0],
        "GITHUB_EVENT_PATH": str(path),
        # When the suite itself runs in Actions, keep the runner's files out of it.
        "GITHUB_ACTIONS": None,
        "GITHUB_OUTPUT": None,
        "GITHUB_STEP_SUMMARY": None,
    }
    return CliRunner().invoke(main, ["run", "--config", str(config)], env=env)


def _seed_the_payload_issue(world: World, payload: dict[str, Any]) -> None:
    issue = payload["issue"]
    author = issue["user"]["login"]
    world.add_members([author])
    labels = [label["name"] for label in issue.get("labels") or []]
    for _ in range(issue["number"]):  # numbers are given in order: create up to the payload's
        world.sandbox.create_issue(
            REPO, title=issue["title"], body=issue["body"], user=author, labels=labels
        )


def test_the_examples_hold_no_decision_label_and_no_command() -> None:
    """What makes "writes nothing" the right expectation below."""
    for path in PAYLOADS:
        payload = _payload(path)
        labels = {label["name"] for label in payload["issue"].get("labels") or []}
        assert "decision" not in labels, path.name
        body = (payload.get("comment") or {}).get("body") or ""
        assert not any(line.lstrip().startswith("/") for line in body.splitlines()), path.name


@pytest.mark.parametrize("path", PAYLOADS, ids=[p.name for p in PAYLOADS])
def test_each_example_exits_0_when_the_issue_is_not_in_the_repository(
    world: World, tmp_path: Path, path: Path
) -> None:
    result = _run(world, tmp_path, path)

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"event: {path.name.split('.')[0]} ")
    assert world.writes() == []


@pytest.mark.parametrize("path", PAYLOADS, ids=[p.name for p in PAYLOADS])
def test_each_example_exits_0_when_the_issue_is_in_the_repository(
    world: World, tmp_path: Path, path: Path
) -> None:
    _seed_the_payload_issue(world, _payload(path))
    seeded = len(world.sandbox.requests)

    result = _run(world, tmp_path, path)

    assert result.exit_code == 0, result.output
    assert world.writes() == []
    if "pull_request" in _payload(path)["issue"]:
        assert "nothing to do: the event is about a pull request" in result.output
        assert len(world.sandbox.requests) == seeded  # ignored before any request
