"""`ritual-bot demo`: the scripted scenario a newcomer runs first must keep telling the truth."""

from __future__ import annotations

import urllib.request

from click.testing import CliRunner

from ritual_bot.cli import main
from ritual_bot.demo.story import PLAYGROUND_LINE, run_demo


def test_the_demo_shows_both_rituals_from_start_to_finish() -> None:
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "open issue 'HPFO 2026-W48 · @alice'" in out
    assert "open issue 'HPFO 2026-W49 · @bob'" in out
    assert "comment on #3 (hpfo-reminder)" in out
    assert "update issue #3: body, state=closed (not_planned)" in out  # dave's /skip
    assert "carries last week's objectives: - [ ] Finish the billing migration" in out
    assert "open issue 'HPFO digest 2026-W48'" in out and "xychart-beta" in out
    # The digest of week 48 opens on Tuesday of week 48 with Monday's fire and who is not yet
    # in, is made final on the run that closes bob's week 48, and week 49's digest closes it.
    tuesday = out.split("Tuesday 10:17 in Paris: this week's digest", 1)[1].split("▶", 1)[0]
    assert "open issue 'HPFO digest 2026-W48'" in tuesday and "**provisional**" in tuesday
    assert "Staging is flaky" in tuesday and "**Not yet**: @dave" in tuesday
    final = out.split("its digest is made final", 1)[1].split("▶", 1)[0]
    assert "update issue #5: body\n" in final and "| 3 | 0 | 1 | 0 |" in final
    assert "open issue 'HPFO digest 2026-W49'" in out
    assert "update issue #5: body, state=closed (completed)" in out
    assert "## 🗳️ Decision recorded" in out
    assert "labels: decision, decision: decided" in out
    # The rerun in the same hour writes nothing, as every rerun must.
    assert "Same hour again (idempotent)" in out
    after_rerun = out.split("Same hour again (idempotent)", 1)[1].split("▶", 1)[0]
    assert "nothing due: no write" in after_rerun
    # Links are said to die with the demo, and printed logins copy as typed (no zero-width space).
    assert "ritual-bot demo --serve" in out.rsplit("sandbox requests in total", 1)[1]
    assert "\u200b" not in out
    # It ends by pointing to the same story in the playground.
    assert out.rstrip().splitlines()[-1] == PLAYGROUND_LINE


def test_with_hold_the_sandbox_stays_up_so_the_links_open() -> None:
    seen: list[int] = []

    def hold(url: str) -> None:
        with urllib.request.urlopen(f"{url}/acme/team/issues/1") as page:
            seen.append(page.status)
            assert "HPFO 2026-W48" in page.read().decode()

    run_demo(lambda _line: None, hold=hold)
    assert seen == [200]


def test_the_okr_demo_plays_a_quarter_from_planning_to_scores() -> None:
    result = CliRunner().invoke(main, ["demo", "--okrs"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "open issue 'OKRs 2027-Q1 · @alice' for @alice [okr, okr: planning, decision]" in out
    assert "comment on #1 (okr-plan-reply)" in out  # the draft's KR1.2 has no target
    assert "comment on #1 (okr-commit)" in out and "create file docs/okrs/2027-Q1.md" in out
    assert "open issue 'OKR tracker 2027-Q1' [okr, okr: tracker]" in out
    # Each Monday's check-in lists the values answered the Monday before.
    week3 = out.split("alice's check-in", 3)[2]
    assert "| KR1.1 | Activation rate | alice | 36% 🟢 on 2027-01-11 |" in week3
    # Objectives naming no key result two weeks running: the second digest flags it.
    flagged = out.split("focus on key results", 2)[2].split("└", 1)[0]
    assert "⚠️ @alice: 0/2 objectives linked to a key result" in flagged
    assert "  - Below 50% two weeks running" in flagged and "/okr change TEXT" in flagged
    assert "⚠️" not in out.split("focus on key results", 2)[1].split("└", 1)[0]
    assert "comment on #7 (okr-final)" in out
    # The focus flag's choice taken: /okr change, approved, decided, applied with its history.
    assert "open issue 'OKR change 2027-Q1 · @alice: the wizard shipped early" in out
    assert "Applied to the 2027-Q1 OKRs of alice" in out
    assert "| KR1.4 | Week-4 retention | 40% | 50% |" in out
    assert "| alice | 0.85 | O1 0.85 (KR1.4) |" in out  # KR1.1 0.85, KR1.2 1.0, KR1.4 0.7
    assert "KR1.4: 0.70" in out and "status: scored" in out and "KR1.3: " not in out
    assert "decided by alice: drop KR1.3; add O1 KR1.4" in out.split("status: scored", 1)[1]
    assert "\u200b" not in out


def test_the_review_demo_plays_two_weeks_with_an_alert_and_a_shipped_list() -> None:
    result = CliRunner().invoke(main, ["demo", "--review"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "open issue 'Business review 2026-W48' [ritual:review]" in out
    assert "[Guided tour](" in out and "[Dark mode](" in out and "Fix a typo" not in out
    assert "Release [Autumn release](" in out
    assert "| `signups` | 410 | -70 (-15%) | 500 | 90 to go |" in out
    assert out.count("comment on #4 (review-alert)") == 2  # signups moved, both off target
    assert "closed with its summary" in out and "answered by @alice" in out
    assert "| `signups` | 455 | +45 (+11%) | 500 | 45 to go |" in out
    assert "\u200b" not in out


def test_the_onboarding_demo_plays_a_newcomers_first_month() -> None:
    result = CliRunner().invoke(main, ["demo", "--onboarding"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "open issue 'Onboarding · @dan' for @dan, @alice [ritual:onboarding]" in out
    assert "👋 Welcome @dan (joined 2026-12-07, buddy @alice)" in out
    # The next Monday's check-in carries the 1-month goals not yet met, marked as such.
    carried = out.split("dan's check-in", 1)[1].split("└", 1)[0]
    assert "- [ ] Pair with each teammate once _(onboarding goal, by 2027-01-06)_" in carried
    assert "Set up the dev environment" not in carried  # dan ticked it: met
    assert "comment on #6 (onboarding-check)" in out and "**1/3** met" in out
    assert "\u200b" not in out
    both = CliRunner().invoke(main, ["demo", "--onboarding", "--okrs"])
    assert both.exit_code == 2 and "choose one" in both.output
