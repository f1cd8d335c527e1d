"""``ritual-bot run`` and ``validate`` as a user meets them: exit codes, messages, no token."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ritual_bot.cli import main
from ritual_bot.sandbox.faults import FaultKind, Faults
from tests.support import REPO, World

# Under GitHub Actions these point at the CI job's own files: a test must not write into them.
RUNNER_FILES_UNSET: dict[str, str | None] = {"GITHUB_OUTPUT": None, "GITHUB_STEP_SUMMARY": None}
CONFIG = "version: 1\ntimezone: Europe/Paris\nmembers:\n  - alice\n  - bob\n"


@pytest.fixture
def repo_dir(tmp_path: Path) -> Path:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "rituals.yml").write_text(CONFIG)
    return tmp_path


def invoke(
    world: World,
    repo_dir: Path,
    *args: str,
    token: str | None = None,
    extra_env: dict[str, str | None] | None = None,
) -> Result:
    env: dict[str, str | None] = {
        **RUNNER_FILES_UNSET,
        "GITHUB_TOKEN": token if token is not None else world.bot_token,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": world.url,
        "GITHUB_EVENT_NAME": "schedule",
        "GITHUB_EVENT_PATH": "",
        **(extra_env or {}),
    }
    return CliRunner().invoke(
        main, ["run", "--config", str(repo_dir / ".github" / "rituals.yml"), *args], env=env
    )


def test_a_scheduled_run_opens_the_check_ins_and_reports_links(
    world: World, repo_dir: Path
) -> None:
    world.add_members(["alice", "bob"])
    result = invoke(world, repo_dir, "--now", "2026-11-23T08:30:00Z")
    assert result.exit_code == 0, result.output
    assert "open issue 'HPFO 2026-W48 · @alice'" in result.output
    assert f"{REPO}/issues/1" in result.output
    assert len(world.sandbox.issues(REPO)) == 2


def test_dry_run_prints_the_exact_bodies_and_writes_nothing(world: World, repo_dir: Path) -> None:
    world.add_members(["alice", "bob"])
    result = invoke(world, repo_dir, "--dry-run", "--now", "2026-11-23T08:30:00Z")
    assert result.exit_code == 0, result.output
    assert "dry run: 3 operation(s) planned" in result.output
    assert "| ## 🔥 Fires" in result.output
    assert world.sandbox.issues(REPO) == []
    assert [r for r in world.sandbox.requests if r.is_write] == []


def test_a_bad_token_is_a_clear_error_with_exit_1_and_never_shown(
    world: World, repo_dir: Path
) -> None:
    secret = "ghs_thisIsNotAValidToken1234567890"
    result = invoke(world, repo_dir, "--now", "2026-11-23T08:30:00Z", token=secret)
    assert result.exit_code == 1
    assert "401" in result.output and "GITHUB_TOKEN" in result.output
    assert secret not in result.output


def test_an_unknown_repository_is_a_clear_error_with_exit_1(world: World, repo_dir: Path) -> None:
    env = {**RUNNER_FILES_UNSET, "GITHUB_TOKEN": world.bot_token, "GITHUB_API_URL": world.url}
    result = CliRunner().invoke(
        main,
        ["run", "--config", str(repo_dir / ".github/rituals.yml"), "--repo", "acme/nope"],
        env=env,
    )
    assert result.exit_code == 1
    assert "404 for acme/nope" in result.output


def test_a_bad_config_exits_2_before_any_request(world: World, repo_dir: Path) -> None:
    (repo_dir / ".github" / "rituals.yml").write_text(
        "version: 1\nmembers: []\nhpfo: {day: funday}\n"
    )
    world.sandbox.clear_requests()
    result = invoke(world, repo_dir)
    assert result.exit_code == 2
    assert ".github/rituals.yml:" in result.output
    assert world.sandbox.requests == []


def test_missing_token_or_repository_is_a_usage_error(repo_dir: Path) -> None:
    config = str(repo_dir / ".github/rituals.yml")
    result = CliRunner().invoke(main, ["run", "--config", config], env={"GITHUB_TOKEN": ""})
    assert result.exit_code == 2 and "GITHUB_TOKEN is not set" in result.output
    result = CliRunner().invoke(
        main, ["run", "--config", config], env={"GITHUB_TOKEN": "x", "GITHUB_REPOSITORY": "nope"}
    )
    assert result.exit_code == 2 and "OWNER/NAME" in result.output


def test_an_unreadable_event_payload_is_a_usage_error(world: World, repo_dir: Path) -> None:
    payload = repo_dir / "event.json"
    payload.write_text("{not json")
    result = invoke(world, repo_dir, "--event-path", str(payload))
    assert result.exit_code == 2 and "cannot read the event payload" in result.output
    payload.write_text(json.dumps([1, 2]))
    result = invoke(world, repo_dir, "--event-path", str(payload))
    assert result.exit_code == 2 and "not a JSON object" in result.output


def test_validate_accepts_a_good_file_and_rejects_a_bad_one(repo_dir: Path) -> None:
    good = repo_dir / ".github" / "rituals.yml"
    result = CliRunner().invoke(main, ["validate", str(good)])
    assert result.exit_code == 0 and "ok (2 members)" in result.output
    bad = repo_dir / "bad.yml"
    bad.write_text("version: 1\nmembers:\n  - alice\ntimezone: Europe/Pari\n")
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:4:11:" in result.output


def test_the_step_summary_says_why_an_event_was_ignored(
    world: World, repo_dir: Path, tmp_path: Path
) -> None:
    payload = json.loads(
        (Path(__file__).parents[1] / "data/webhooks/issue_comment.created.json").read_text()
    )
    payload["issue"]["pull_request"] = {"url": "https://api.github.com/repos/o/r/pulls/1"}
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload))
    summary = tmp_path / "summary.md"
    env = {
        "GITHUB_TOKEN": world.bot_token,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": world.url,
        "GITHUB_OUTPUT": None,
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    config = str(repo_dir / ".github/rituals.yml")
    args = ["run", "--config", config, "--event-name", "issue_comment", "--event-path", str(event)]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert "issue\\_comment event: the event is about a pull request" in summary.read_text()


def _workflow(repo_dir: Path, schedule: str) -> None:
    (repo_dir / ".github" / "workflows").mkdir(exist_ok=True)
    text = f"name: rituals\non:\n  schedule:\n{schedule}\njobs: {{}}\n"
    (repo_dir / ".github" / "workflows" / "rituals.yml").write_text(text)


def test_validate_and_a_scheduled_run_warn_when_the_schedule_misses_a_moment(
    world: World, repo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.add_members(["alice", "bob"])
    monkeypatch.chdir(repo_dir)
    _workflow(repo_dir, '    - cron: "0 3 * * 3"')  # Wednesdays at 03:00 UTC only
    checked = CliRunner().invoke(main, ["validate"])
    assert checked.exit_code == 0, checked.output
    assert "ok (2 members)" in checked.output
    assert "warning: schedule:" in checked.output and "Paste these lines" in checked.output

    result = invoke(world, repo_dir, "--now", "2026-11-23T08:30:00Z")
    assert result.exit_code == 0, result.output  # a warning, never a failure
    assert "note: schedule:" in result.output and "moment(s) the config needs" in result.output


def test_no_warning_for_an_hourly_schedule(
    world: World, repo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo_dir)
    _workflow(repo_dir, '    - cron: "17 * * * *"')
    checked = CliRunner().invoke(main, ["validate"])
    assert checked.exit_code == 0 and "warning" not in checked.output


@pytest.mark.parametrize("url", ["api.example.com", "ftp://api.example.com", "https://"])
def test_an_api_url_without_a_scheme_or_host_is_one_line_and_exit_2(
    repo_dir: Path, url: str
) -> None:
    env = {**RUNNER_FILES_UNSET, "GITHUB_TOKEN": "x" * 20, "GITHUB_REPOSITORY": REPO}
    config = str(repo_dir / ".github/rituals.yml")
    result = CliRunner().invoke(
        main, ["run", "--config", config], env={**env, "GITHUB_API_URL": url}
    )
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"error: GITHUB_API_URL (or --api-url) {url!r} is not an http(s) URL: "
        "use e.g. https://api.github.com or https://HOST/api/v3 on GitHub Enterprise Server."
    ]


def test_a_failed_item_is_annotated_summarised_and_exits_1_after_the_others(
    world: World, repo_dir: Path, tmp_path: Path
) -> None:
    world.add_members(["alice", "bob"])
    faults = Faults(world.sandbox)
    faults.add(FaultKind.REJECT, method="POST", path=rf"^/repos/{REPO}/issues$", status=422)
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": None}
    result = invoke(world, repo_dir, "--now", "2026-11-23T08:30:00Z", extra_env=env)
    assert result.exit_code == 1, result.output
    assert "::error title=ritual-bot" in result.output and "@alice" in result.output
    assert "1 item(s) failed" in result.output
    assert len(world.sandbox.issues(REPO)) == 1  # bob's check-in opened all the same
    assert "Failed (the next run retries them)" in summary.read_text()


def test_validate_annotates_a_bad_config_in_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rituals.yml").write_text("version: 1\nmembers: [alice]\nx: 1\n")
    env = {"GITHUB_ACTIONS": "true", **RUNNER_FILES_UNSET}
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "rituals.yml")], env=env)
    assert result.exit_code == 2
    assert "::error file=" in result.output and "line=3,col=1::unknown key 'x'" in result.output
    assert result.output.count("unknown key 'x'") == 1  # once, as the annotation


def test_dry_run_shows_which_check_ins_open_now_and_when_the_others_do(
    world: World, repo_dir: Path
) -> None:
    """200 members opening at one instant: 150 in this run (GitHub's issue-creation limit), the
    other 50 at the schedule's next run, in config order, so each member can tell when."""
    logins = [f"m{i:03d}" for i in range(200)]
    members = "".join(f"  - {login}\n" for login in logins)
    (repo_dir / ".github" / "rituals.yml").write_text(
        f"version: 1\ntimezone: Europe/Paris\nmembers:\n{members}"
    )
    world.add_members(logins)
    result = invoke(world, repo_dir, "--dry-run", "--now", "2026-11-23T08:07:00Z")
    assert result.exit_code == 0, result.output
    plan = result.output[result.output.index("opening plan:") :].splitlines()
    assert plan[0].startswith("opening plan: 200 issue(s) to open, 150 in this run, 50 wait")
    assert plan[1] == "- this run (Mon 2026-11-23 08:07 UTC): 150"
    first = " ".join(plan[2 : plan.index("- the run at Mon 2026-11-23 09:22 UTC: 50")])
    later = " ".join(plan[plan.index("- the run at Mon 2026-11-23 09:22 UTC: 50") + 1 :])
    assert first.split(", ")[0].strip() == "@m000" and "@m149" in first and "@m150" not in first
    assert later.split(", ")[0].strip() == "@m150" and later.rstrip().endswith("@m199")
    assert world.sandbox.issues(REPO) == []


def test_validate_takes_the_config_as_every_command_does(tmp_path: Path) -> None:
    """`validate --config PATH` like `run`, `schedule` and `decision open` (issue 12); PATH too."""
    config = tmp_path / "rituals.yml"
    config.write_text("version: 1\nmembers: [alice]\n")
    for args in (["--config", str(config)], [str(config)]):
        result = CliRunner().invoke(main, ["validate", *args])
        assert result.exit_code == 0, result.output
        assert f"{config}: ok (1 member)" in result.output
    other = tmp_path / "other.yml"
    clash = CliRunner().invoke(main, ["validate", str(config), "--config", str(other)])
    assert clash.exit_code == 2 and "two config files given" in clash.output
