"""The runner emulation is itself tested: expressions, the outputs file, inputs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ritual_bot.actions_runtime import ActionsRuntime
from tests.action.harness import UnsupportedExpression, evaluate, parse_output_file

CONTEXTS = {
    "inputs": {"config": "a b.yml", "dry-run": "true"},
    "steps": {"install": {"outputs": {"bin": "/venv/bin"}}},
    "github": {"event": {"issue": {"number": 7, "locked": False}}},
}


def test_property_paths_are_replaced_and_missing_ones_are_empty() -> None:
    text = "${{ inputs.config }}|${{steps.install.outputs.bin}}|${{ inputs.nope }}"
    assert evaluate(text, CONTEXTS) == "a b.yml|/venv/bin|"


def test_numbers_and_booleans_read_as_the_runner_writes_them() -> None:
    assert evaluate("${{ github.event.issue.number }}", CONTEXTS) == "7"
    assert evaluate("${{ github.event.issue.locked }}", CONTEXTS) == "false"


@pytest.mark.parametrize(
    "expression",
    ["inputs.a || 'b'", "format('{0}', inputs.a)", "inputs['a']", "!inputs.a", "secrets.token"],
)
def test_any_other_expression_is_refused_rather_than_guessed(expression: str) -> None:
    with pytest.raises(UnsupportedExpression):
        evaluate(f"${{{{ {expression} }}}}", CONTEXTS)


def test_the_outputs_file_reads_back_what_the_runtime_writes(tmp_path: Path) -> None:
    path = tmp_path / "output"
    runtime = ActionsRuntime(io.StringIO(), in_actions=True, output_path=path)
    runtime.set_output("opened", "[1, 2]")
    runtime.set_output("multi", "line one\nname=value\nx<<EOF\n")
    with path.open("a") as handle:
        handle.write("bin=/venv/bin\n")  # the short form, as `echo "bin=…" >> $GITHUB_OUTPUT`

    outputs = parse_output_file(path.read_text())

    assert outputs == {
        "opened": "[1, 2]",
        "multi": "line one\nname=value\nx<<EOF\n",
        "bin": "/venv/bin",
    }


def test_an_unclosed_heredoc_is_an_error() -> None:
    with pytest.raises(ValueError, match="never closed"):
        parse_output_file("name<<END\nvalue\n")
