"""Templates: repository overrides, the sandbox, and clear errors before any write."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ritual_bot.cli import main
from ritual_bot.errors import TemplateError
from ritual_bot.templates import OVERRIDE_DIR, Templates
from tests.support import REPO, World

CONFIG = "version: 1\ntimezone: Europe/Paris\nmembers: [alice]\n"


@pytest.fixture
def repo_dir(tmp_path: Path) -> Path:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "rituals.yml").write_text(CONFIG)
    (tmp_path / OVERRIDE_DIR / "en").mkdir(parents=True)
    return tmp_path


def override(repo_dir: Path, name: str, text: str, language: str = "en") -> Path:
    path = repo_dir / OVERRIDE_DIR / language / name
    path.write_text(text)
    return path


def run(world: World, repo_dir: Path, *extra: str, summary: Path | None = None) -> Result:
    env: dict[str, str | None] = {
        "GITHUB_TOKEN": world.bot_token,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": world.url,
        "GITHUB_EVENT_NAME": "schedule",
        "GITHUB_EVENT_PATH": "",
        "GITHUB_OUTPUT": None,
        "GITHUB_ACTIONS": "true" if summary else None,
        "GITHUB_STEP_SUMMARY": str(summary) if summary else None,
    }
    config = str(repo_dir / ".github" / "rituals.yml")
    args = ["run", "--config", config, "--now", "2026-11-23T08:30:00Z", *extra]
    return CliRunner().invoke(main, args, env=env)


def test_an_override_in_the_repository_replaces_the_default(world: World, repo_dir: Path) -> None:
    world.add_members(["alice"])
    override(repo_dir, "hpfo_checkin.md.j2", "Hello @{{ login }}, week {{ period }}.\n## Fires\n")
    result = run(world, repo_dir)
    assert result.exit_code == 0, result.output
    (issue,) = world.sandbox.issues(REPO)
    assert "Hello @alice, week 2026-W48." in issue["body"]


def test_a_broken_override_stops_the_run_with_its_line_before_any_request(
    world: World, repo_dir: Path, tmp_path: Path
) -> None:
    world.add_members(["alice"])
    override(repo_dir, "hpfo_checkin.md.j2", "line one\n{% if login %}\nno endif\n")
    summary = tmp_path / "summary.md"
    world.sandbox.clear_requests()
    result = run(world, repo_dir, summary=summary)
    assert result.exit_code == 2
    shown = ".github/rituals/templates/en/hpfo_checkin.md.j2"
    assert f"template {shown}:" in result.output
    assert "Fix or remove the override" in result.output
    assert f"::error file={shown}," in result.output
    assert "template error, nothing written" in summary.read_text()
    assert world.sandbox.requests == []


def test_an_override_with_an_unknown_name_is_refused(world: World, repo_dir: Path) -> None:
    override(repo_dir, "hpfo_chekin.md.j2", "typo in the name")
    result = run(world, repo_dir)
    assert result.exit_code == 2
    assert "no default template is called 'hpfo_chekin.md.j2'" in result.output


def test_an_override_using_an_unknown_variable_fails_before_any_write(
    world: World, repo_dir: Path
) -> None:
    world.add_members(["alice"])
    override(repo_dir, "hpfo_checkin.md.j2", "{{ no_such_thing }}")
    result = run(world, repo_dir)
    assert result.exit_code == 2
    assert (
        "uses `no_such_thing`, which ritual-bot does not give hpfo_checkin.md.j2" in result.output
    )
    assert "it gives: " in result.output and "login" in result.output
    assert "bug in ritual-bot's default template" not in result.output
    assert [r for r in world.sandbox.requests if r.is_write] == []


def test_validate_catches_an_override_using_an_unknown_variable(
    repo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    override(repo_dir, "hpfo_reminder.md.j2", "Hi @{{ login }}: {{ nosuchvar }}")
    monkeypatch.chdir(repo_dir)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    assert "uses `nosuchvar`" in result.output and "Fix or remove the override" in result.output
    override(repo_dir, "hpfo_reminder.md.j2", "Hi @{{ login }}, {{ period }} waits for you.")
    assert CliRunner().invoke(main, ["validate"]).exit_code == 0


def test_the_sandbox_refuses_a_template_reaching_for_python_internals(tmp_path: Path) -> None:
    folder = tmp_path / OVERRIDE_DIR
    (folder / "en").mkdir(parents=True)
    (folder / "en" / "hpfo_reminder.md.j2").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    )
    templates = Templates("en", folder)
    templates.check()  # it parses: the sandbox stops it when it runs
    with pytest.raises(TemplateError, match=r"unsafe|access"):
        templates.render("hpfo_reminder.md.j2", login="alice", period="2026-W48")


def test_overrides_of_another_language_are_left_to_that_language(tmp_path: Path) -> None:
    folder = tmp_path / OVERRIDE_DIR
    (folder / "fr").mkdir(parents=True)
    (folder / "fr" / "hpfo_checkin.md.j2").write_text("{% broken")
    Templates("en", folder).check()  # an English run does not use it
    with pytest.raises(TemplateError):
        Templates("fr", folder).check()


def test_a_failing_default_template_is_reported_as_a_bug_not_as_the_users_fault() -> None:
    with pytest.raises(TemplateError, match="bug in ritual-bot's default template"):
        Templates("en").render("hpfo_checkin.md.j2")  # required values missing


def test_validate_checks_the_overrides_too(repo_dir: Path) -> None:
    override(repo_dir, "hpfo_checkin.md.j2", "{% endif %}")
    result = CliRunner().invoke(main, ["validate", str(repo_dir / ".github" / "rituals.yml")])
    assert result.exit_code == 2 and "hpfo_checkin.md.j2:1" in result.output
