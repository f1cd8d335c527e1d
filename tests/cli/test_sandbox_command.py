"""`ritual-bot sandbox` as a person starts it: the real port, and a clear word when it is taken."""

from __future__ import annotations

import re
import socket

import pytest
from click.testing import CliRunner

from ritual_bot.cli import main
from ritual_bot.sandbox import http


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
