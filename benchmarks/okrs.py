"""What OKRs cost (issue 14): the planning run for N owners, and the tracker's size.

Run: .venv/bin/python benchmarks/okrs.py [owners …]   (default: 5 20 50)

- **Planning opens**: one scheduled run at the opening moment opens one planning issue per owner.
  Printed: requests, writes, issues opened, and what the run left for the next one when it
  reached its write budget (``resilience`` paces creations under GitHub's secondary limits: 20
  a minute, 150 an hour); what is left is opened by the next run, delayed, never lost.
- **Tracker size**: the tracker for N owners with 3 objectives of 5 key results, at the quarter's
  end with a value every week (the worst case), against GitHub's 65,536 characters a body or
  comment: the body's size, its hidden ledger's, how many detail comments hold the owners'
  tables and charts when the body cannot (``okrs/rendering.py``), the largest one, and the
  writes a weekly refresh costs at most (the body and each detail comment that changed; the
  gateway spaces writes a second apart, well under GitHub's 80 content-creating requests a
  minute and 500 an hour:
  https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from ritual_bot.clock import FixedClock
from ritual_bot.config import parse_config
from ritual_bot.demo.team import virtual_pacing
from ritual_bot.gateway import Gateway, Secret
from ritual_bot.rituals.base import Context, Event
from ritual_bot.runner import run
from ritual_bot.sandbox.core import Sandbox
from ritual_bot.templates import Templates

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tracker's size fixture (tests)
from tests.okrs.test_tracker_size import body_for

REPO = "acme/team"


def planning_run(owners: int) -> tuple[int, int, int, int]:
    clock = FixedClock(datetime(2026, 12, 18, 8, 5, tzinfo=UTC))
    box = Sandbox(clock=clock)
    box.add_org("acme")
    box.add_repo(REPO)
    logins = [f"m{i}" for i in range(owners)]
    for login in logins:
        box.add_user(login)
        box.set_permission(REPO, login, "write")
    listed = ", ".join(logins)
    config = parse_config(
        f"version: 1\ntimezone: Europe/Paris\nmembers: [{listed}]\nhpfo: {{enabled: false}}\n"
        f"okrs: {{owners: [{listed}], approvers: [m0]}}\n",
        "benchmark",
    )
    with box.serve() as url:
        gateway = Gateway(
            REPO, Secret(box.actions_token(REPO)), api_url=url, resilience=virtual_pacing()
        )
        report = run(Context(config, Event("schedule"), clock.now(), Templates("en")), gateway)
    opened = sum(1 for i in box.issues(REPO) if i["title"].startswith("OKRs "))
    return report.requests, report.writes, len(report.left), opened


def main(sizes: list[int]) -> None:
    print("planning opens (one scheduled run)")
    print(f"{'owners':>7} {'requests':>9} {'writes':>7} {'opened':>7} {'left for next run':>18}")
    for size in sizes:
        requests, writes, left, opened = planning_run(size)
        print(f"{size:>7} {requests:>9} {writes:>7} {opened:>7} {left:>18}")
    print("\ntracker at the quarter's end, a value per KR every week (limit 65,536 a text)")
    print(
        f"{'owners':>7} {'body':>8} {'ledger':>8} {'details':>8} {'largest':>8}  writes a refresh"
    )
    for owners in (1, 5, 6, 10, 15, 20, 50, 100):
        text = body_for(owners, weeks=13)
        if text.body is None:
            print(f"{owners:>7} {'-':>8}  not rewritten: the ledger alone passes the limit")
            continue
        ledger = text.body.split("-->", 2)[1] if "okr-ledger" in text.body else ""
        largest = max((len(p) for p in text.parts), default=0)
        writes = 1 + len(text.parts)  # at most: parts are edited only when they change
        print(
            f"{owners:>7} {len(text.body):>8,} {len(ledger):>8,} {len(text.parts):>8} "
            f"{largest:>8,}  {writes}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [5, 20, 50])
