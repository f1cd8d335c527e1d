"""A big team's digest never passes GitHub's body limit, and loses nothing (issue 10)."""

from __future__ import annotations

from dataclasses import replace

from ritual_bot import links
from ritual_bot.markers import first_marker
from ritual_bot.ops import AddComment, CreateIssue
from ritual_bot.periods import Period
from ritual_bot.rituals.hpfo.core import Checkin
from ritual_bot.rituals.hpfo.digest import create_digest
from tests.rituals.hpfo_builders import URL, closed_checkin, context, snapshot
from tests.support import REPO, World, team_config

WEEK = Period(2026, 48)
ANSWER = (
    "## Fires\n- the build is red again\n## Highlights\n- shipped it\n## Objectives\n- ship more"
)


def _team(size: int) -> tuple[list[str], list[Checkin]]:
    """One check-in closed by the real code, copied for everyone (the builders take ~70 ms each)."""
    logins = [f"member-with-a-long-login-{i:03d}" for i in range(size)]
    config = team_config(logins[:1])
    model = closed_checkin(config, 1, logins[0], WEEK, [(logins[0], ANSWER)])
    found = [
        Checkin(
            replace(
                model,
                number=n,
                html_url=URL.format(number=n),
                body=model.body.replace(logins[0], login),
                title=model.title.replace(logins[0], login),
                assignees=(login,),
            ),
            login,
            WEEK,
        )
        for n, login in enumerate(logins, start=1)
    ]
    return logins, found


def test_a_500_member_digest_is_continued_in_comments_with_nothing_lost(world: World) -> None:
    logins, found = _team(500)
    ctx = context(team_config(logins), "2026-12-01T10:17")
    issue, *parts = create_digest(ctx, snapshot([]), found, [], WEEK)
    assert isinstance(issue, CreateIssue) and parts
    comments = [p for p in parts if isinstance(p, AddComment)]
    assert comments == parts and all(len(p.body) <= 65_536 for p in comments)
    assert len(issue.body) <= 65_536 and "Continued in the" in issue.body
    assert all(f"of {len(parts) + 1} (final)._" in p.body for p in comments)  # week 48 is over
    whole = "\n".join([issue.body, *(p.body for p in comments)])
    assert all(f"[#{n}]({URL.format(number=n)})" in whole for n in range(1, 501))
    assert whole.count("the build is red again") == 500 and whole.count("shipped it") == 500

    # Applied as a run applies it: the comments land on the issue opened first, once.
    gateway, created = world.gateway(), dict[str, str]()
    for op in [issue, *parts]:
        for applied in gateway.apply([links.resolve(op, created)]):
            links.remember(applied.op, applied.html_url, created)
    (digest,) = world.sandbox.issues(REPO)
    posted = world.sandbox.comments(REPO, digest["number"])
    assert len(posted) == len(parts)
    markers = [first_marker(c["body"], "hpfo-digest-part") for c in posted]
    assert [m.get("part") if m else None for m in markers] == [
        str(n) for n in range(2, len(parts) + 2)
    ]
