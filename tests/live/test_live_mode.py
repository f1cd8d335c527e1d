"""Live mode's machinery, checked here without GitHub: settings, rewrites, and a whole live run
against a sandbox standing in for a maintainer's throwaway repository."""

from __future__ import annotations

from pathlib import Path

from ritual_bot.clock import FixedClock
from ritual_bot.sandbox import Sandbox
from tests.gateway import recording
from tests.gateway.flows import FLOWS, RECORDED_AT
from tests.live.diff_cassettes import compare_dirs
from tests.live.live import (
    REPO_VAR,
    SKIP_REASON,
    TOKEN_VAR,
    Identity,
    Settings,
    connect,
    rewrites_for,
    settings_from,
)

TOKEN = "ghp_" + "x" * 36


def test_live_mode_needs_both_variables_and_says_so() -> None:
    assert settings_from({}) is None
    assert settings_from({TOKEN_VAR: TOKEN}) is None
    assert settings_from({REPO_VAR: "bob/scratch", TOKEN_VAR: "  "}) is None
    settings = settings_from({TOKEN_VAR: TOKEN, REPO_VAR: "bob/scratch"})
    assert settings == Settings(TOKEN, "bob/scratch", "https://api.github.com")
    assert TOKEN not in repr(settings)
    assert TOKEN_VAR in SKIP_REASON and REPO_VAR in SKIP_REASON


def test_a_personal_throwaway_repo_becomes_acme_team_and_its_owner_alice() -> None:
    rules = rewrites_for(Identity("Bob", "Bob/Scratch", "Bob"), "live0123456789ab", TOKEN)
    text = (
        "https://api.github.com/repos/Bob/Scratch/issues/3 https://github.com/bob/scratch "
        "/repos/Bob/ritual-bot-missing-live0123456789ab/issues "
        '"login": "Bob" /users/Bob/repos bobby ritual-cassette:x-live0123456789ab '
        f"echo {TOKEN}"
    )
    assert recording.rewrite_all(text, rules) == (
        "https://api.github.com/repos/acme/team/issues/3 https://github.com/acme/team "
        "/repos/acme/ritual-bot-missing-rec/issues "
        '"login": "alice" /users/alice/repos bobby ritual-cassette:x-rec '
        "echo <redacted>"
    )


def test_an_organisation_owner_becomes_acme() -> None:
    rules = rewrites_for(Identity("bob", "bobs-lab/scratch", "bobs-lab"), "live1", TOKEN)
    text = "/repos/bobs-lab/scratch /orgs/bobs-lab by bob"
    assert recording.rewrite_all(text, rules) == "/repos/acme/team /orgs/acme by alice"


def test_a_live_run_on_a_stand_in_github_gives_the_sandbox_cassettes_structure(
    tmp_path: Path,
) -> None:
    """Every step of live mode but the network: preflight, random tag, recording, rewriting."""
    box = Sandbox(clock=FixedClock(RECORDED_AT))
    box.add_user("Bob")
    box.add_repo("Bob/Throwaway-Repo")
    with box.serve() as url:
        settings = Settings(box.user_token("Bob"), "bob/throwaway-repo", url)
        live = connect(settings, RECORDED_AT)
        assert live.target.repo == "Bob/Throwaway-Repo" and live.target.login == "Bob"
        rules = (*recording.SANDBOX_REWRITES, *live.rewrites)
        vcr = recording.make_vcr(tmp_path, rules, record_mode="all")
        for flow in FLOWS:
            with vcr.use_cassette(f"{flow.name}.yaml") as cassette:
                flow.run(live.target)
            assert [r["status"]["code"] for r in cassette.responses] == list(flow.statuses)

    assert compare_dirs(recording.SANDBOX_CASSETTES, tmp_path) == {}
    for path in tmp_path.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "bob" not in text.lower() and live.target.tag not in text
        assert recording.find_secrets(text) == []
