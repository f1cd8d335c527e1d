"""The team digest as it reads once final, planned purely from closed check-ins (SPEC §3), with
a rendered snapshot. Its timing (provisional on its day, final once) is in
test_hpfo_digest_timing.py and, end to end, test_hpfo_digest_fresh.py.

Set UPDATE_SNAPSHOTS=1 to rewrite tests/data/hpfo/ after a deliberate change, and read the diff.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ritual_bot.config import Config
from ritual_bot.markdown import MENTION_BREAKER
from ritual_bot.markers import Marker
from ritual_bot.model import Issue, Repository, Snapshot
from ritual_bot.ops import CreateIssue, Op, UpdateIssue
from ritual_bot.periods import Period
from ritual_bot.rituals.hpfo.core import DIGEST_LABEL, Kind, checkins
from ritual_bot.rituals.hpfo.digest import digest_period, plan_digest
from ritual_bot.rituals.hpfo.ritual import HpfoRitual
from ritual_bot.rituals.hpfo.summary import BODY_LIMIT
from tests.rituals.hpfo_builders import BOT, URL, closed_checkin, context, open_checkin, snapshot
from tests.rituals.mermaid_grammar import mermaid_blocks, parse_chart
from tests.support import team_config

DATA = Path(__file__).parents[1] / "data" / "hpfo"
W48, W49 = Period(2026, 48), Period(2026, 49)
# Monday of W49, 10:00 in Paris: every check-in of W48 closed an hour ago (its digest, due on
# Tuesday of W48, opens now if it has not: final at once).
MONDAY_W49 = "2026-11-30T09:00"

ALICE = """\
## Highlights
- Shipped onboarding to **all** users 🎉
## Progress
- Billing migration at 80%
## Fires
- Staging flaky since Thursday: @bob @acme/ops can you look? It fails with:

```
ERROR: --> disk full </details> <!--
```
## Objectives
- Finish billing | then the Q1 OKRs
"""
BOB_REPLY = "On it, @alice: I restarted the runner. <details><summary>log</summary>oops"
CAROL = (
    "Temps forts : atelier design\nIncendies :\n- le VPN tombe chaque matin ?\n"
    "Objectifs : maquettes"
)


def previous_digest(number: int, weeks: str) -> Issue:
    digest = Marker.of(Kind.DIGEST, period="2026-W47").render()
    history = Marker.of(Kind.HISTORY, weeks=weeks).render()
    issue = open_checkin(team_config(["alice"]), number, "alice", Period(2026, 47))
    return Issue(
        number=number,
        title="HPFO digest 2026-W47",
        body=f"{digest}\nLast week.\n{history}\n",
        state="open",
        author=BOT,
        created_at=issue.created_at,
        updated_at=issue.created_at,
        labels=(DIGEST_LABEL,),
        html_url=URL.format(number=number),
    )


def week_48(config: Config) -> list[Issue]:
    return [
        closed_checkin(config, 11, "alice", W48, [("alice", ALICE), ("bob", BOB_REPLY)]),
        closed_checkin(config, 12, "bob", W48, [("bob", "H: search v2\nF: none\nO: rollout")]),
        closed_checkin(config, 13, "carol", W48, [("carol", CAROL)]),
        closed_checkin(config, 14, "dave", W48, [("dave", "/skip conference")]),
        closed_checkin(config, 15, "erin", W48),
    ]


def planned(config: Config, issues: list[Issue], at: str = MONDAY_W49) -> list[Op]:
    found = snapshot(issues)
    return plan_digest(context(config, at), found, checkins(found))


def created(ops: list[Op]) -> CreateIssue:
    [create] = [op for op in ops if isinstance(op, CreateIssue)]
    return create


@pytest.fixture
def config() -> Config:
    return team_config(["alice", "bob", "carol", "dave", "erin", "frank"],
                       "hpfo:\n  digest: {day: tuesday, time: '10:00'}\n")  # fmt: skip


def test_the_rendered_digest_matches_its_snapshot(config: Config) -> None:
    eight_weeks = "/".join(f"2026-W{w}:{w % 5}:1:0:1" for w in range(39, 48))
    ops = planned(config, [previous_digest(3, eight_weeks), *week_48(config)])
    body = created(ops).body
    expected = DATA / "digest_2026-W48.md"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        expected.write_text(body)
    assert body == expected.read_text()


def test_the_provisional_digest_matches_its_snapshot(config: Config) -> None:
    """Tuesday of W48: erin's check-in is open without an answer, frank's not opened yet."""
    eight_weeks = "/".join(f"2026-W{w}:{w % 5}:1:0:1" for w in range(39, 48))
    week = [*week_48(config)[:-1], open_checkin(config, 15, "erin", W48)]
    ops = planned(config, [previous_digest(3, eight_weeks), *week], "2026-11-24T09:17")
    body = created(ops).body
    expected = DATA / "digest_2026-W48_provisional.md"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        expected.write_text(body)
    assert body == expected.read_text()


def test_fires_come_first_with_member_link_and_who_replied(config: Config) -> None:
    body = created(planned(config, week_48(config))).body
    fires = body.index("## 🔥 Fires")
    assert fires < body.index("## 🌟 Highlights") < body.index("## 👥 Participation")
    row = next(line for line in body.splitlines() if "Staging flaky" in line)
    assert row.startswith(f"| @{MENTION_BREAKER}alice |")
    assert f"[#11]({URL.format(number=11)})" in row and row.endswith(f"@{MENTION_BREAKER}bob |")
    assert "le VPN tombe chaque matin" in body  # carol's French fire


def test_participation_counts_answered_missing_skipped_and_away(config: Config) -> None:
    config = team_config(
        ["alice", "bob", "carol", "dave", "erin"],
        "  - login: frank\n    away: ['2026-11-20..2026-11-29']\n",
    )
    body = created(planned(config, week_48(config))).body
    assert "| 3 | 1 | 1 | 1 |" in body
    assert f"**Away**: @{MENTION_BREAKER}frank" in body
    assert f"**Missing**: @{MENTION_BREAKER}erin" in body


def test_quoted_text_never_pings_nor_breaks_the_markdown(config: Config) -> None:
    body = created(planned(config, week_48(config))).body
    assert re.search(r"(?<![\w/])@(?!\u200b)\w", body) is None  # every @ neutralised
    assert body.count("<details>") == body.count("</details>")
    outside_chart = body.replace(mermaid_blocks(body)[0], "")
    assert outside_chart.count("<!--") == outside_chart.count("-->")  # only the bot's markers
    assert all(line.startswith("<!-- ritual-bot:") for line in body.splitlines() if "<!--" in line)
    assert body.count("```") == 2  # the mermaid fence, nothing from the quoted code


def test_the_chart_is_valid_mermaid_over_the_last_eight_weeks(config: Config) -> None:
    weeks = "/".join(f"2026-W{w}:4:1:0:0" for w in range(38, 48))
    body = created(planned(config, [previous_digest(3, weeks), *week_48(config)])).body
    [source] = mermaid_blocks(body)
    chart = parse_chart(source)
    assert chart.categories == tuple(f"2026-W{w}" for w in range(41, 49))
    assert chart.bars[-1][-1] == 3  # answered in week 48, the front bar


def test_the_chart_starts_from_the_closed_check_ins_without_a_previous_digest(
    config: Config,
) -> None:
    w47 = [closed_checkin(config, 5, "alice", Period(2026, 47), [("alice", "H: a")])]
    chart = parse_chart(mermaid_blocks(created(planned(config, w47 + week_48(config))).body)[0])
    assert chart.categories == ("2026-W47", "2026-W48")
    assert [bar[0] for bar in chart.bars] == [1, 1, 1, 1]


def test_the_previous_digest_is_closed_with_a_link_to_the_new_one(config: Config) -> None:
    ops = planned(config, [previous_digest(3, "2026-W47:1:0:0:0"), *week_48(config)])
    [close] = [op for op in ops if isinstance(op, UpdateIssue)]
    assert (close.number, close.state, close.state_reason) == (3, "closed", "completed")
    assert close.body is not None and "hpfo-digest:period=2026-W48" in close.body  # url_of


def test_the_digest_of_a_week_is_current_from_its_own_tuesday_ten(config: Config) -> None:
    assert digest_period(config, context(config, "2026-11-24T08:59").now) == Period(2026, 47)
    assert digest_period(config, context(config, "2026-11-24T09:00").now) == W48
    assert digest_period(config, context(config, "2026-12-01T08:59").now) == W48
    assert digest_period(config, context(config, "2026-12-01T09:00").now) == W49
    still_open = [*week_48(config)[:-1], open_checkin(config, 15, "erin", W48)]
    assert "**provisional**" in created(planned(config, still_open, "2026-11-24T09:00")).body


def test_a_digest_that_exists_is_not_opened_again(config: Config) -> None:
    ops = planned(config, week_48(config))
    create = created(ops)
    now = context(config, MONDAY_W49).now
    digest = Issue(99, create.title, create.body, "open", BOT, now, now, labels=(DIGEST_LABEL,))
    assert planned(config, [*week_48(config), digest]) == []


def test_french_teams_get_a_french_digest() -> None:
    config = team_config(["alice", "bob", "carol", "dave", "erin"], "language: fr\n")
    create = created(planned(config, week_48(config)))
    assert create.title == "Synthèse HPFO 2026-W48"
    for words in ("## 🔥 Incendies", "Temps forts", "| Réponses | Manquants | Passés | Absents |"):
        assert words in create.body


def test_two_hundred_members_fit_by_folding_and_keep_every_fire() -> None:
    logins = [f"member{i:03d}" for i in range(200)]
    config = team_config(logins)
    long = "word " * 80
    answer = (
        "## Highlights\n" + "".join(f"- highlight {i} {long}\n" for i in range(8))
        + "## Fires\n" + "".join(f"- fire {i} {long}\n" for i in range(3))
        + "## Objectives\n" + "".join(f"- objective {i} {long}\n" for i in range(8))
    )  # fmt: skip
    issues = [
        closed_checkin(config, 100 + i, login, W48, [(login, answer)])
        for i, login in enumerate(logins)
    ]
    body = created(planned(config, issues)).body
    assert len(body) <= BODY_LIMIT < 65_536
    for i in range(200):  # each member's row links their issue
        assert f"[#{100 + i}]({URL.format(number=100 + i)})" in body
    for fire in ("fire 0 word", "fire 1 word", "fire 2 word"):
        assert body.count(fire) == 200  # no fire dropped, only shortened
    assert body.count("<details>") == body.count("</details>")
    assert len(mermaid_blocks(body)) == 1


# --- GitHub turns off a public repository's schedule after 60 days without a push (issue 10) ----


def _planned_with(config: Config, repository: Repository | None) -> tuple[list[Op], Snapshot]:
    found = replace(snapshot(week_48(config)), repository=repository)
    return plan_digest(context(config, MONDAY_W49), found, checkins(found)), found


@pytest.mark.parametrize(
    ("private", "days_since_push", "warned"),
    [(False, 54, True), (False, 52, False), (True, 59, False)],
)
def test_the_digest_warns_a_week_before_github_turns_the_schedule_off(
    config: Config, private: bool, days_since_push: int, warned: bool
) -> None:
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    pushed = now - timedelta(days=days_since_push)
    ops, found = _planned_with(config, Repository(private=private, pushed_at=pushed))
    body = created(ops).body
    off_on = (pushed + timedelta(days=60)).date().isoformat()
    assert (f"scheduled runs on **{off_on}**" in body) is warned
    notices = HpfoRitual().notices(context(config, MONDAY_W49), found)
    assert any(n.startswith("schedule: GitHub turns off") for n in notices) is warned


def test_only_the_runs_that_write_a_digests_text_read_the_repository(config: Config) -> None:
    ritual = HpfoRitual()
    found = snapshot(week_48(config))
    assert ritual.needs_repository(context(config, MONDAY_W49), found)  # the digest opens
    create = created(planned(config, week_48(config)))
    now = context(config, MONDAY_W49).now
    digest = Issue(99, create.title, create.body, "open", BOT, now, now, labels=(DIGEST_LABEL,))
    opened = snapshot([*week_48(config), digest])
    assert not HpfoRitual().needs_repository(context(config, "2026-11-30T10:00"), opened)
