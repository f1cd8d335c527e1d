"""``ritual-bot demo --review``: two weeks of the business review, against the built-in sandbox.

alice's area lists what shipped (pull requests merged with the label ``feature``, a release);
bob's reads signups and activation from ``metrics/product.csv``, which another workflow updates
every week, and NPS given with ``/metric``. In the first review signups fall past their alert:
bob is asked to explain and does; dave asks a question that bob answers. The next Monday the new
review opens and closes the first one with its summary. Every step goes through the real runner,
gateway and HTTP; the sandbox's clock jumps between them.
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
hpfo: {enabled: false}
review:
  day: monday
  time: "14:00"
  areas:
    - title: Product demos
      owner: alice
      shipped: {labels: [feature]}
    - title: Product analytics
      owner: bob
      metrics:
        - {key: signups, file: metrics/product.csv, target: 500, alert: 10%}
        - {key: activation_rate, file: metrics/product.csv, target: 45%}
        - {key: nps}
"""

WEEKS = ["2026-W42", "2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47"]
SIGNUPS = [400, 420, 450, 470, 480, 410]
ACTIVATION = ["30%", "31%", "33%", "34%", "35,5%", "36%"]


def metrics_csv(weeks: int) -> str:
    """The file as a spreadsheet exports it: ``;`` separators, decimal commas."""
    rows = [f"{w};{s};{a}" for w, s, a in zip(WEEKS, SIGNUPS, ACTIVATION, strict=True)]
    rows += ["2026-W48;455;38%"][: max(weeks - len(WEEKS), 0)]
    return "week;signups;activation_rate\n" + "\n".join(rows) + "\n"


class ReviewDemo(Player):
    def __init__(self, team: DemoTeam, url: str, echo: Echo) -> None:
        super().__init__(team, url, echo, parse_config(CONFIG, "demo/.github/rituals.yml"))

    def review(self, period: str) -> dict[str, Any]:
        return next(
            i
            for i in self.box.issues(REPO)
            if (m := first_marker(i["body"], "review")) and m.get("period") == period
        )

    def show(self, title: str, text: str, keep: int = 40) -> None:
        """Without the blank lines and the charts' source: what a reader scans."""
        kept = [
            line
            for line in text.strip().splitlines()
            if line.strip() and not line.startswith(("%%", "    "))
        ]
        super().show(title, "\n".join(kept), keep)

    def last_week(self) -> None:
        """What alice's area shipped during 2026-W47, and the metrics file as it stood."""
        self.at("2026-11-17T10:00:00")
        box = self.box
        for title, labels, who in (
            ("Guided tour", ("feature",), "carol"),
            ("Fix a typo", (), "dave"),
            ("Dark mode", ("feature",), "bob"),
        ):
            made = box.create_pull_request(
                REPO, title=title, user=who, head=title.lower().replace(" ", "-"), labels=labels
            )
            box.merge_pull_request(REPO, int(made["number"]), user="alice")
        box.create_release(REPO, tag_name="v2.3", user="alice", name="Autumn release")
        box.put_file(REPO, "metrics/product.csv", metrics_csv(6), user="dave")
        self.echo("  last week: 3 pull requests merged (2 labelled feature), release v2.3,")
        self.echo("  metrics/product.csv holds 2026-W42 to 2026-W47 (signups fell to 410)")

    def play(self) -> None:
        self.last_week()
        self.at("2026-11-23T13:05:00")
        self.echo("\n▶ Monday 2026-11-23 14:05 in Paris: the review of 2026-W48 opens")
        self.run()
        first = self.review("2026-W48")
        number = int(first["number"])
        self.show(f"#{number} {first['title']}", first["body"].split("<details>")[0])
        alert = self.box.comments(REPO, number)[-1]["body"]
        self.show("the owner asked to explain", alert)

        self.at("2026-11-24T09:00:00")
        self.comment(number, "bob", "The ads campaign ended on Thursday; it restarts next week.")
        self.comment(number, "bob", "/metric nps 42")
        self.comment(number, "dave", "Will the tour be on for every plan?")
        self.comment(number, "alice", "Yes, from Monday.")

        self.at("2026-11-29T20:00:00")
        self.box.put_file(REPO, "metrics/product.csv", metrics_csv(7), user="dave")
        self.echo("\n  another workflow adds 2026-W48 to metrics/product.csv")
        self.at("2026-11-30T13:05:00")
        self.echo("\n▶ Monday 2026-11-30: the review of 2026-W49 opens, the first one closes")
        self.run()
        summary = self.box.comments(REPO, number)[-1]["body"]
        self.show(f"#{number} closed with its summary", summary)
        second = self.review("2026-W49")
        rows = [
            line
            for line in second["body"].splitlines()
            if line.startswith(("| `", "| Metric", "Nothing shipped"))
        ]
        self.show(f"#{second['number']} {second['title']}", "\n".join(rows))


def run_review_demo(echo: Echo) -> None:
    play_story(
        echo,
        datetime(2026, 11, 16, 7, 0, tzinfo=UTC),
        "ritual-bot demo --review: two weeks of the business review.",
        lambda team, url, say: ReviewDemo(team, url, say).play(),
    )
