"""``ritual-bot demo --okrs``: a quarter of OKRs in a minute, against the built-in sandbox.

alice plans 2027-Q1 with dave as approver: her first draft has a key result without a target
(one reply says so), dave raises a concern that alice answers and dave resolves, and alice
commits. The tracker opens; on three Mondays alice's check-in lists her key results with their
last values and she answers with ``KR1.1: 38% 🟢`` lines, her objectives naming no key result
two weeks running, which the second Tuesday's digest flags; she also records one with ``/kr``
on the tracker. On the quarter's last day the tracker asks for final values, and a week later it
closes with the scores. Every step goes through the real runner, gateway and HTTP; the sandbox's
clock jumps between them.
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
members: [alice, bob, carol, dave]
groups:
  leads: [dave]
okrs:
  owners: [alice]
  approvers: [leads]
  record: docs/okrs/
"""

DRAFT = """\
My draft for Q1:

## O1 Make onboarding self-serve
- KR1.1 Activation rate: 32% → 45%
- KR1.2 Median time to first check-in: 6d →
- KR1.3 Setup wizard shipped
"""

PLAN = DRAFT.replace("6d →", "6d → 2d").replace("My draft for Q1:", "Fixed KR1.2:")

# alice's weekly answers: values for her KRs, and objectives that mostly name none (a focus
# check below the default 50% two weeks running, which the second Tuesday's digest flags).
WEEKS = (
    (
        "2027-W02",
        "2027-01-11T08:05:00",
        "## Progress\n- KR1.1: 36% 🟢\n- KR1.2: 5d 🟡\n\n"
        "## Objectives\n- Tidy the support backlog\n- Interview two churned teams\n",
    ),
    (
        "2027-W03",
        "2027-01-18T08:05:00",
        "## Progress\n- KR1.1: 39% 🟢\n- KR1.3: done\n\n"
        "## Objectives\n- Plan the offsite\n- Review the pricing page\n",
    ),
    (
        "2027-W04",
        "2027-01-25T08:05:00",
        "## Progress\n- KR1.1: 41% 🟢\n- KR1.2: 3d at risk\n\n"
        "## Objectives\n- Ship the onboarding emails (KR1.1)\n",
    ),
)


class OkrDemo(Player):
    def __init__(self, team: DemoTeam, url: str, echo: Echo) -> None:
        super().__init__(team, url, echo, parse_config(CONFIG, "demo/.github/rituals.yml"))

    def find(self, kind: str) -> dict[str, Any]:
        return next(i for i in self.box.issues(REPO) if first_marker(i["body"], kind))

    def checkin(self, period: str) -> dict[str, Any]:
        return next(
            i
            for i in self.box.issues(REPO)
            if (m := first_marker(i["body"], "hpfo-checkin"))
            and m.get("member") == "alice"
            and m.get("period") == period
        )

    def show_focus(self, period: str) -> None:
        digest = next(
            i
            for i in self.box.issues(REPO)
            if (m := first_marker(i["body"], "hpfo-digest")) and m.get("period") == period
        )
        lines = digest["body"].split("## 🎯 Focus on key results", 1)
        if len(lines) == 2:
            focus = lines[1].split("\n## ", 1)[0]
            self.show(f"the digest #{digest['number']}: focus on key results", focus)

    def play(self) -> None:
        self.scheduled("2026-12-18T08:05:00", "Planning opens 14 days before 2027-Q1")
        planning = self.find("okr-plan")
        number = int(planning["number"])
        self.echo(f"  {planning['html_url']}")
        self.comment(number, "alice", DRAFT)
        self.comment(number, "alice", PLAN)
        self.comment(number, "dave", "/concern KR1.3 has no date: when does the wizard ship?")
        self.comment(number, "alice", "The wizard ships by February 15; it is in the roadmap.")
        self.comment(number, "dave", "/resolve 1\nThanks, that works.")
        self.comment(number, "dave", "/approve")
        self.comment(number, "alice", "/commit")
        summary = self.box.comments(REPO, number)[-1]["body"]
        self.show("the commit, as the bot summarised it", summary, keep=14)

        tracker = int(self.find("okr-tracker")["number"])
        self.echo(f"  the tracker opened with the commit: #{tracker}")
        for period, iso, answer in WEEKS:
            self.scheduled(iso, f"Monday {period}: check-ins open; the tracker is refreshed")
            week = self.checkin(period)
            table = [line for line in week["body"].splitlines() if line.startswith("| KR")]
            self.show(f"alice's check-in #{week['number']} lists her key results", "\n".join(table))
            self.comment(int(week["number"]), "alice", answer)
            tuesday = iso.replace(iso[8:10], f"{int(iso[8:10]) + 1:02d}", 1).replace(
                "08:05", "09:10"
            )
            self.scheduled(tuesday, f"Tuesday {period}: the week's digest")
            self.show_focus(period)
        self.comment(tracker, "alice", "/kr KR1.2 3d on track")
        self.scheduled("2027-02-01T08:05:00", "The next Monday's refresh")
        body = self.box.issue(REPO, tracker)["body"]
        rows = [line for line in body.splitlines() if line.startswith(("| KR", "####"))]
        self.show(f"the tracker #{tracker}", "\n".join(rows))
        self.change(tracker)

        self.scheduled("2027-03-31T08:05:00", "The quarter's last day: final values asked")
        final = "/kr KR1.1 43% on track\n/kr KR1.2 2d on track\n/kr KR1.4 47%"
        self.comment(tracker, "alice", final)
        self.scheduled("2027-04-07T08:05:00", "Seven days into the next quarter: scored")
        scores = self.box.comments(REPO, tracker)[-1]["body"]
        self.show("the scores", scores)
        record = self.box.file(REPO, "docs/okrs/2027-Q1.md") or ""
        self.show("docs/okrs/2027-Q1.md", record, keep=30)

    def change(self, tracker: int) -> None:
        """The focus flag's choice taken: the quarter changes through a decision."""
        self.at("2027-02-02T10:00:00")
        self.echo("\n▶ alice answers the focus flag: the plan changes, through a decision")
        self.comment(tracker, "alice", "/okr change the wizard shipped early; track retention")
        change = int(self.find("okr-change")["number"])
        self.comment(change, "dave", "/approve")
        decision = (
            "/decide Swap the shipped wizard for retention\n\n"
            "drop KR1.3\nadd O1 KR1.4 Week-4 retention: 40% → 50%\n"
        )
        self.comment(change, "alice", decision)
        said = next(
            c["body"]
            for c in self.box.comments(REPO, change)
            if first_marker(c["body"], "okr-change-result")
        )
        self.show(f"the change decision #{change}", said, keep=8)
        body = self.box.issue(REPO, tracker)["body"]
        rows = [line for line in body.splitlines() if line.startswith("| KR1.")]
        self.show(f"the tracker #{tracker}, re-rendered", "\n".join(rows[:4]))


def run_okr_demo(echo: Echo) -> None:
    play_story(
        echo,
        datetime(2026, 12, 18, 7, 0, tzinfo=UTC),
        "ritual-bot demo --okrs: alice plans 2027-Q1, dave approves; a quarter in a minute.",
        lambda team, url, say: OkrDemo(team, url, say).play(),
    )
