"""The weekly business review (SPEC §10) on the sandbox, over two weeks.

alice owns "Product demos" (what shipped with the label `feature`); bob owns "Product analytics"
(signups and activation from a CSV another workflow writes, NPS given with /metric). The review
of 2026-W48 opens on Monday 23 November at 14:00 in Paris and reports 2026-W47.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from ritual_bot.cli import main
from ritual_bot.config import Config
from ritual_bot.markers import first_marker
from ritual_bot.rituals.keyresults.ledger import Committed, planning_body, read_ledger
from ritual_bot.rituals.keyresults.plan import parse_plan
from ritual_bot.rituals.reported_metrics import REVIEW_LABEL
from ritual_bot.rituals.review.config import LABEL
from ritual_bot.rituals.review.ritual import ALERT, REVIEW, SUMMARY
from ritual_bot.sandbox.state import BOT_LOGIN
from tests.decisions.helpers import Team
from tests.rituals.mermaid_grammar import check_lines
from tests.support import ISSUED_TOKENS, REPO, World, make_config, served_world

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
      experiments: {label: experiment}
    - title: Product analytics
      owner: bob
      metrics:
        - {key: signups, file: metrics/product.csv, target: 500, alert: 10%}
        - {key: activation_rate, file: metrics/product.csv, target: 45%}
        - {key: nps}
"""

CSV = (
    "week;signups;activation_rate\r\n"
    "2026-W42;400;30%\r\n2026-W43;420;31%\r\n2026-W44;450;33%\r\n"
    "2026-W45;47O;34%\r\n"  # a typo: signups of W45 alone is lost
    "2026-11-09;480;35,5%\r\n2026-W47;420;46%\r\n"
)


def config() -> Config:
    return make_config(CONFIG)


def reviews(world: World) -> dict[str, dict[str, Any]]:
    found = {}
    for issue in world.sandbox.issues(REPO):
        marker = first_marker(issue["body"], REVIEW)
        if marker is not None:
            found[marker.get("period") or ""] = issue
    return found


def comments(world: World, number: int, kind: str) -> list[str]:
    return [c["body"] for c in world.sandbox.comments(REPO, number) if f":{kind} " in c["body"]]


@pytest.fixture
def shop(world: World) -> World:
    """Last week's work: a feature merged, a fix merged without the label, a feature issue
    completed, a release; and the metrics file on the default branch."""
    world.bot_token = world.sandbox.actions_token(
        REPO, {"issues": "write", "contents": "read", "pull_requests": "read"}
    )
    ISSUED_TOKENS.add(world.bot_token)
    box = world.sandbox
    world.at("2026-11-17T10:00:00")
    feature = box.create_pull_request(
        REPO, title="Guided tour", user="carol", head="tour", labels=("feature",)
    )
    box.merge_pull_request(REPO, int(feature["number"]), user="alice")
    fix = box.create_pull_request(REPO, title="Fix typo", user="dave", head="typo")
    box.merge_pull_request(REPO, int(fix["number"]), user="alice")
    issue = box.create_issue(REPO, title="Dark mode", body="", user="carol", labels=["feature"])
    box.set_issue_state(REPO, int(issue["number"]), "closed", state_reason="completed")
    box.create_release(REPO, tag_name="v2.3", user="alice", name="Autumn release")
    box.put_file(REPO, "metrics/product.csv", CSV, user="dave")
    for title, start, end in (
        ("Shorter signup form", "2026-11-02", "2026-11-15"),
        ("Referral credits", "2026-11-16", "2026-12-13"),
    ):
        body = EXPERIMENT.format(start=start, end=end)
        box.create_issue(REPO, title=title, body=body, user="carol", labels=["experiment"])
    return world


EXPERIMENT = """\
### Hypothesis

It moves activation.

### Metric

activation_rate

### Start

{start}

### End

{end}

### Owner

@carol
"""


def test_two_weeks_of_review(shop: World) -> None:
    world = shop
    team = Team(world)
    world.at("2026-11-23T13:05:00")  # Monday 14:05 in Paris
    world.run(config())
    review = reviews(world)["2026-W48"]
    number = int(review["number"])
    body = review["body"]
    assert review["title"] == "Business review 2026-W48"
    assert [label["name"] for label in review["labels"]] == ["ritual:review"]
    assert "[Guided tour](" in body and "[Dark mode](" in body and "Autumn release" in body
    assert "Fix typo" not in body, "no area label"
    assert "| `signups` | 420 | -60 (-12%) | 500 | 80 to go |" in body
    assert "| `activation_rate` | 46% | +10.5% | 45% | ✅ reached |" in body
    assert "| `nps` | ⚠️ missing |" in body
    assert "line 5: signups" in body or "`metrics/product.csv` line 5" in body
    chart = body.split("```mermaid\n")[1].split("```")[0]
    check_lines(chart)
    # The experiments: one running, one finished whose owner gets one reminder for a result.
    assert "**Running**" in body and "Referral credits" in body
    assert "no result from its owner yet" in body
    finished = next(i for i in world.sandbox.issues(REPO) if i["title"] == "Shorter signup form")
    [reminded] = comments(world, int(finished["number"]), "review-experiment-reminder")
    assert "@carol" in reminded
    # signups fell more than 10% and is off target: bob is asked once; activation is fine.
    [alert] = comments(world, number, ALERT)
    assert "@bob" in alert and "`signups`" in alert and "-12%" in alert

    writes = len(world.writes())
    rerun = world.run(config())
    assert len(world.writes()) == writes, [a.op.describe() for a in rerun.applied]

    world.at("2026-11-24T09:00:00")
    _, event = team.comment(number, "bob", "/metric nps 42")
    world.run(config(), event)
    assert "| `nps` | 42 ([/metric](" in world.sandbox.issue(REPO, number)["body"]
    _, event = team.comment(number, "carol", "/metric nps 50\n/metric churn 3")
    world.run(config(), event)
    refused = world.sandbox.comments(REPO, number)[-1]["body"]
    assert "only the area owner, @\u200bbob, gives it" in refused
    assert "churn: no such metric" in refused
    assert "| `nps` | 42 " in world.sandbox.issue(REPO, number)["body"]
    _, event = team.comment(number, "dave", "Why did signups drop last week?")
    world.run(config(), event)
    _, event = team.comment(number, "bob", "The ads campaign ended on Thursday.")
    world.run(config(), event)
    _, event = team.comment(number, "carol", "Is the tour live for everyone?")
    world.run(config(), event)

    # Another workflow adds last week's row: signups fall again, and nobody explains this time.
    world.sandbox.put_file(REPO, "metrics/product.csv", CSV + "2026-W48;300;47%\r\n", user="dave")
    world.at("2026-11-30T13:05:00")  # the next Monday: W49 opens, W48 closes with its summary
    world.run(config())
    closed = world.sandbox.issue(REPO, number)
    assert closed["state"] == "closed"
    [summary] = comments(world, number, SUMMARY)
    assert "`signups` 420 (-60 (-12%))" in summary and "`nps` 42" in summary
    assert "answered by @\u200bbob" in summary and "**not answered**" in summary
    assert "`signups` (@\u200bbob, [asked](" in summary and "[answered](" in summary
    following = reviews(world)["2026-W49"]
    assert "Nothing shipped in 2026-W48." in following["body"]
    # W49 reports W48 (no values yet): W47's NPS comes from W48's summary, as history.
    assert "| `nps` | ⚠️ missing |" in following["body"]
    assert "| nps | - | - | - | - | 42 | - |" in following["body"]
    # A week later, with W48's review long closed, the history still comes from its body.
    world.at("2026-12-07T13:05:00")
    world.run(config())
    assert "| nps | - | - | - | 42 | - | - |" in reviews(world)["2026-W50"]["body"]
    [unanswered] = comments(world, int(following["number"]), SUMMARY)
    assert "`signups` (@\u200bbob, [asked](" in unanswered and "**not answered**" in unanswered


def test_a_key_result_naming_a_metric_takes_its_reported_value(shop: World) -> None:
    """bob's KR1.1 names `signups`: the tracker's weekly refresh takes the value the review of
    2026-W48 reported for 2026-W47, dated the end of that week (SPEC §8, §10)."""
    world = shop
    plan = parse_plan("## O1 Grow\n- KR1.1 Weekly `signups`: 300 → 500\n- KR1.2 Ship the tour\n")
    world.sandbox.create_issue(
        REPO,
        title="OKRs 2026-Q4 · @bob",
        body=planning_body(Committed("bob", "2026-Q4", plan.plan)),
        user=BOT_LOGIN,
        labels=["okr", "okr: committed"],
    )
    with_okrs = make_config(CONFIG + "okrs: {owners: [bob]}\n")
    world.at("2026-11-23T13:05:00")
    world.run(with_okrs)
    reported = reviews(world)["2026-W48"]["body"]
    assert "review-value key=signups value=420.0 week=2026-W47" in reported
    world.at("2026-11-30T08:05:00")  # Monday 09:05 in Paris: the tracker's weekly refresh
    world.run(with_okrs)  # opens the tracker
    world.run(with_okrs)  # refreshes it with the review's value
    [board] = [i for i in world.sandbox.issues(REPO) if i["title"] == "OKR tracker 2026-Q4"]
    assert "| KR1.1 | Weekly `signups` | 300 | 500 | 420 | 60% |" in board["body"]
    ledger = read_ledger(board["body"])
    record = ledger.record("bob", "KR1.1") if ledger else None
    assert record is not None and record.at is not None
    assert record.at.astimezone(ZoneInfo("Europe/Paris")).date().isoformat() == "2026-11-22"


def test_the_okr_tracker_looks_for_reviews_under_the_reviews_label() -> None:
    """The two rituals share no import: the label they agree on is checked here."""
    assert REVIEW_LABEL == LABEL


FOUR_AREAS = """\
version: 1
timezone: Europe/Paris
members: [alice, bob, carol, dave]
hpfo: {enabled: false}
decisions: {enabled: false}
review:
  areas:
    - {title: Product demos, owner: alice, shipped: {labels: [feature]}}
    - title: Product analytics
      owner: bob
      shipped: {labels: [fix]}
      metrics:
        - {key: signups, file: metrics/product.csv, target: 500}
        - {key: activation_rate, file: metrics/product.csv, target: 45%}
        - {key: retention, file: metrics/product.csv}
        - {key: dau, file: metrics/product.csv}
        - {key: nps}
    - title: Growth experiments
      owner: carol
      experiments: {label: experiment}
      metrics:
        - {key: trials, file: metrics/growth.csv}
        - {key: conversions, file: metrics/growth.csv}
    - title: CS & pipeline
      owner: dave
      metrics:
        - {key: paying_customers, file: metrics/growth.csv}
        - {key: mrr, file: metrics/growth.csv}
        - {key: tickets}
"""


def four_areas(now: datetime, checkout: Path | None = None) -> list[Any]:
    """The requests of the opening run of a 4-area, 10-metric review (also the benchmark's);
    with ``checkout``, the run has the workflow's checkout of the default branch there."""
    with served_world() as world:
        world.add_members(["alice", "bob", "carol", "dave"])
        world.bot_token = world.sandbox.actions_token(
            REPO, {"issues": "write", "contents": "read", "pull_requests": "read"}
        )
        ISSUED_TOKENS.add(world.bot_token)
        weeks = [f"2026-W{w}" for w in range(40, 48)]
        product = "week,signups,activation_rate,retention,dau\n" + "".join(
            f"{w},{400 + i},{30 + i}%,{50 + i},{900 + i}\n" for i, w in enumerate(weeks)
        )
        growth = "week;trials;conversions;paying_customers;mrr\n" + "".join(
            f"{w};{10 + i};{2 + i};{100 + i};{5000 + i}\n" for i, w in enumerate(weeks)
        )
        world.sandbox.put_file(REPO, "metrics/product.csv", product, user="dave")
        world.sandbox.put_file(REPO, "metrics/growth.csv", growth, user="dave")
        if checkout is not None:
            (checkout / "metrics").mkdir(parents=True)
            (checkout / "metrics" / "product.csv").write_text(product)
            (checkout / "metrics" / "growth.csv").write_text(growth)
        world.at(now.isoformat().removesuffix("+00:00"))
        world.sandbox.clear_requests()
        report = world.run(make_config(FOUR_AREAS), workspace=checkout)
        assert report.failures == []
        body = next(i["body"] for i in world.sandbox.issues(REPO) if "review period=" in i["body"])
        assert "| `mrr` | 5,007 | +1 (+0%) |" in body
        return list(world.sandbox.requests)


def test_a_review_of_four_areas_and_ten_metrics_reads_at_most_eight_more_than_its_listing() -> None:
    requests = four_areas(datetime(2026, 11, 23, 13, 5, tzinfo=UTC))
    reads = [r for r in requests if not r.is_write]
    listings = [r for r in reads if r.operation == "/repos/{owner}/{repo}/issues"]
    beyond = len(reads) - 1  # the week's review listing
    assert beyond <= 8, [(r.method, r.operation) for r in reads]
    # The reviews, the issues closed last week whatever their labels, and the experiments.
    assert len(listings) == 3


def test_validate_opens_the_metric_files_of_the_checkout(tmp_path: Path) -> None:
    """A key its file's header lacks is a positioned error; a file not there yet a warning."""
    (tmp_path / ".github").mkdir()
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "product.csv").write_text(
        "\ufeffweek;signups;activation\n2026-W47;420;46%\n", encoding="utf-8"
    )
    config = tmp_path / ".github" / "rituals.yml"
    config.write_text(
        "version: 1\nmembers: [bob]\nreview:\n  areas:\n    - title: Analytics\n"
        "      owner: bob\n      metrics:\n"
        "        - {key: signups, file: metrics/product.csv}\n"
        "        - {key: activation_rate, file: metrics/product.csv}\n"
        "        - {key: mrr, file: metrics/revenue.csv}\n"
    )
    result = CliRunner().invoke(main, ["validate", str(config)])
    assert result.exit_code == 2, result.output
    assert (
        f"{config}:9:17: metric 'activation_rate' is not a column of metrics/product.csv "
        "(its columns: signups, activation)" in result.output
    )
    config.write_text(config.read_text().replace("activation_rate", "activation"))
    result = CliRunner().invoke(main, ["validate", str(config)])
    assert result.exit_code == 0, result.output
    assert "warning: review: metrics/revenue.csv is not in this checkout" in result.output


def test_from_the_workflows_checkout_the_metric_files_cost_no_request(tmp_path: Path) -> None:
    requests = four_areas(datetime(2026, 11, 23, 13, 5, tzinfo=UTC), checkout=tmp_path)
    assert [r.path for r in requests if "/contents/" in r.path] == []
