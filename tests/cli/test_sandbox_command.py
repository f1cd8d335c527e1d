"""`ritual-bot sandbox` as a person starts it: the real port, and a clear word when it is taken."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ritual_bot.cli import main
from ritual_bot.sandbox import bot, http
from ritual_bot.sandbox.bot import ActionBot, open_playground
from ritual_bot.sandbox.playground import Playground


def test_a_port_in_use_is_a_usage_error_not_a_traceback() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["sandbox", "--no-seed", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot serve on 127.0.0.1:{port}" in result.output
    assert "--port 0" in result.output
    assert "Traceback" not in result.output
    assert "GitHub sandbox on" not in result.output  # nothing announced before it failed


def test_port_0_announces_the_port_actually_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http.SandboxServer, "serve_forever", lambda self, *a, **k: None)
    result = CliRunner().invoke(main, ["sandbox", "--no-seed", "--port", "0"])
    assert result.exit_code == 0, result.output
    match = re.search(r"GitHub sandbox on http://127\.0\.0\.1:(\d+)/", result.output)
    assert match is not None and int(match.group(1)) > 0


def test_no_help_text_points_to_a_spec_the_repository_does_not_ship() -> None:
    runner = CliRunner()
    commands = [[], ["run"], ["validate"], ["init"], ["schedule"], ["sandbox"], ["demo"]]
    commands += [["summarize"], ["decision", "open"]]
    for args in commands:
        shown = runner.invoke(main, [*args, "--help"]).output
        assert "SPEC" not in shown, args


def _captured(monkeypatch: pytest.MonkeyPatch) -> list[Playground]:
    """Serve nothing, and keep the playground the command built."""
    monkeypatch.setattr(http.SandboxServer, "serve_forever", lambda self, *a, **k: None)
    built: list[Playground] = []

    def keep(*args: Any, **kwargs: Any) -> Playground:
        built.append(open_playground(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(bot, "open_playground", keep)
    return built


def test_the_playground_runs_the_repositorys_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    built = _captured(monkeypatch)
    config = tmp_path / ".github" / "rituals.yml"
    config.parent.mkdir()
    config.write_text("version: 1\ntimezone: Asia/Tokyo\nmembers: [alice, erin]\n")
    monkeypatch.chdir(tmp_path)  # the current repository's config is the default
    result = CliRunner().invoke(main, ["sandbox", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert re.search(r"playground: http://127\.0\.0\.1:\d+/acme/team/issues", result.output)
    [playground] = built
    assert "erin" in playground.people() and playground.people()[-1] == "outsider"
    assert isinstance(playground.bot, ActionBot)
    assert playground.bot.config.timezone == "Asia/Tokyo"


def test_a_bad_config_is_said_before_anything_is_served(tmp_path: Path) -> None:
    config = tmp_path / "rituals.yml"
    config.write_text("version: 1\nmembers: [alice]\nhpfo: {day: someday}\n")
    result = CliRunner().invoke(main, ["sandbox", "--port", "0", "--config", str(config)])
    assert result.exit_code == 2
    assert "someday" in result.output and "GitHub sandbox on" not in result.output
