"""One clock for the sandbox and the bot under ``--now`` (issue 12, "The sandbox").

``ritual-bot run --now`` set the bot's clock only: the sandbox stamped check-ins with the machine's
time, and a ``--now`` without an offset was read as UTC, so a Paris wall time put the bot an hour
ahead and the reminder came an hour early. The sandbox now starts its own clock at ``--now``, and a
``--now`` must say its offset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ritual_bot import clock
from ritual_bot.cli import main
from ritual_bot.demo.team import REPO
from ritual_bot.sandbox import Sandbox

CONFIG = """\
version: 1
timezone: Europe/Paris
members: [alice]
hpfo:
  day: monday
  time: "09:00"
  remind_after: 1d
"""
MONDAY = "2026-11-23T08:17:00Z"  # 09:17 in Paris: alice's check-in opens


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Sandbox]:
    """``ritual-bot sandbox`` hands over the sandbox it would serve, instead of blocking."""
    boxes: list[Sandbox] = []

    def serve_forever(self: Sandbox, *args: Any, ready: Any = None, **kwargs: Any) -> None:
        boxes.append(self)
        ready("http://127.0.0.1:8000")

    monkeypatch.setattr(Sandbox, "serve_forever", serve_forever)
    return boxes


def _run(url: str, token: str, config: Path, now: str) -> Result:
    env = {
        "GITHUB_TOKEN": token,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": url,
        "GITHUB_EVENT_NAME": "schedule",
        "GITHUB_EVENT_PATH": "",
        "GITHUB_OUTPUT": None,
        "GITHUB_STEP_SUMMARY": None,
    }
    return CliRunner().invoke(main, ["run", "--config", str(config), "--now", now], env=env)


def test_the_sandbox_and_the_bot_share_one_clock_so_the_reminder_is_on_time(
    served: list[Sandbox], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "rituals.yml"
    config.write_text(CONFIG)
    seconds = [0.0]  # real time passing while the sandbox is up: the test moves it
    monkeypatch.setattr(clock, "_ticks", lambda: seconds[0])

    started = CliRunner().invoke(main, ["sandbox", "--now", MONDAY])
    assert started.exit_code == 0, started.output
    assert f"its clock started at {MONDAY}" in started.output
    (box,) = served
    token = box.actions_token(REPO)
    with box.serve() as url:
        assert _run(url, token, config, MONDAY).exit_code == 0
        (checkin,) = box.issues(REPO)
        assert checkin["created_at"] == MONDAY  # stamped on the sandbox's clock, at --now

        seconds[0] = 86_400 - 60  # a minute before a day has passed, on both clocks
        early = _run(url, token, config, "2026-11-24T08:16:00Z")
        assert early.exit_code == 0 and box.comments(REPO, checkin["number"]) == []
        seconds[0] = 86_400
        due = _run(url, token, config, "2026-11-24T08:17:00+00:00")
        assert due.exit_code == 0, due.output
        (reminder,) = box.comments(REPO, checkin["number"])
        assert reminder["created_at"] == "2026-11-24T08:17:00Z"


@pytest.mark.parametrize("command", [["sandbox", "--no-seed"], ["run", "--config"]])
def test_a_now_without_its_offset_is_refused_before_anything_happens(
    served: list[Sandbox], command: list[str], tmp_path: Path
) -> None:
    config = tmp_path / "rituals.yml"
    config.write_text(CONFIG)
    args = [*command, str(config)] if command[-1] == "--config" else command
    result = CliRunner().invoke(main, [*args, "--now", "2026-11-24T09:17"])
    assert result.exit_code == 2, result.output
    assert "--now '2026-11-24T09:17' has no UTC offset" in result.output
    assert "2026-11-23T08:30Z" in result.output and served == []
