"""``ritual-bot demo --onboarding``: a newcomer's first month in a few seconds, on the sandbox.

dan joins the demo team on Monday 2026-12-07 with alice as his buddy. His onboarding issue opens
at 09:00 in Paris with his first check-in; alice writes his goals into it that morning, and dan
ticks the first one. Tuesday's digest welcomes him. The next Monday's check-in carries his
1-month goals not yet met under Objectives, marked as onboarding goals, and he answers. On day 30
the onboarding issue lists each 1-month goal met or not and asks both for a short retro. Every
step goes through the real runner, gateway and HTTP; the sandbox's clock jumps between them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ritual_bot.config import parse_config
from ritual_bot.demo.team import REPO, DemoTeam, Echo, Player, play_story
from ritual_bot.markers import first_marker

CONFIG = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - bob
  - carol
  - dave
  - login: dan
    joined: "2026-12-07"
    buddy: alice
"""

GOALS = """\
## By 2027-01-06 (1 month)

- [ ] Set up the dev environment and ship a one-line fix
- [ ] Pair with each teammate once
- [ ] Run the Monday release with alice

## By 2027-03-07 (3 months)

- [ ] Own the release checklist
- [ ] Lead one design review
"""

ANSWER = """\
## Highlights
- Dev environment up on day one, first fix merged

## Objectives
- Pair with bob on the billing bug
"""


class OnboardingDemo(Player):
    def __init__(self, team: DemoTeam, url: str, echo: Echo) -> None:
        super().__init__(team, url, echo, parse_config(CONFIG, "demo/.github/rituals.yml"))

    def issue(self, kind: str, **fields: str) -> dict[str, Any]:
        return next(
            i
            for i in self.box.issues(REPO)
            if (m := first_marker(i["body"], kind))
            and all(m.get(k) == v for k, v in fields.items())
        )

    def edit(self, number: int, who: str, body: str, what: str) -> None:
        """A body edit in the browser: kept in the edit history, as GitHub does."""
        self.box.edit_issue_body(REPO, number, body=body, user=who)
        self.echo(f"  @{who} edits #{number}: {what}")

    def play(self) -> None:
        self.scheduled("2026-12-07T08:05:00", "dan's first day, 09:00 in Paris")
        onboarding = self.issue("onboarding", member="dan")
        number = int(onboarding["number"])
        self.show(f"#{number} {onboarding['title']}", onboarding["body"], keep=12)

        self.at("2026-12-07T10:30:00")
        intro = onboarding["body"].split("## By", 1)[0]
        self.edit(number, "alice", intro + GOALS, "the buddy writes the goals with dan")
        self.at("2026-12-07T15:00:00")
        ticked = intro + GOALS.replace("- [ ] Set up", "- [x] Set up")
        self.edit(number, "dan", ticked, "dan ticks his first goal")

        self.scheduled("2026-12-08T09:05:00", "Tuesday: the team's digest")
        digest = self.issue("hpfo-digest", period="2026-W50")
        welcome = [line for line in digest["body"].splitlines() if line.startswith("👋")]
        self.show(f"the digest #{digest['number']} welcomes dan", "\n".join(welcome))

        self.scheduled("2026-12-14T08:05:00", "The next Monday: check-ins open")
        checkin = self.issue("hpfo-checkin", member="dan", period="2026-W51")
        objectives = checkin["body"].split("## 🎯 Objectives", 1)[1]
        self.show(f"dan's check-in #{checkin['number']}: Objectives", objectives)
        self.comment(int(checkin["number"]), "dan", ANSWER)

        self.scheduled("2027-01-06T08:05:00", "Day 30: the one-month check")
        check = self.box.comments(REPO, number)[-1]["body"]
        self.show(f"the check on #{number}", check, keep=10)
        self.at("2027-01-06T11:00:00")
        self.comment(number, "dan", "A dense month. Pairing helped most; the release docs less.")


def run_onboarding_demo(echo: Echo) -> None:
    play_story(
        echo,
        datetime(2026, 12, 7, 7, 0, tzinfo=UTC),
        "ritual-bot demo --onboarding: dan joins with alice as buddy; his first month in seconds.",
        lambda team, url, say: OnboardingDemo(team, url, say).play(),
        newcomers=("dan",),
    )
