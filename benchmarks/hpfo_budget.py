"""Requests and time for HPFO opening and no-op runs, by team size, against the sandbox.

Run: .venv/bin/python benchmarks/hpfo_budget.py [sizes…]   (default: 3 40 200)
Prints one row per team size: check-ins opened by the first run and ops left for the next (a run
opens at most 150 issues: GitHub's issue-creation limit), requests (budget N + 5), the simulated
seconds spent spacing writes (a second apart, creations 3 s apart; not waited here), requests
for the next hourly run with nothing due (budget 3), and the wall time of the opening run.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from ritual_bot.clock import FixedClock
from ritual_bot.config import parse_config
from ritual_bot.gateway import Gateway, Resilience, Secret
from ritual_bot.rituals.base import Context, Event
from ritual_bot.runner import RunReport, run
from ritual_bot.sandbox import Sandbox
from ritual_bot.templates import Templates

REPO = "bench/team"


def _timed_run(
    clock: FixedClock, url: str, token: str, config_text: str
) -> tuple[RunReport, float, float]:
    config = parse_config(config_text, "bench.yml")
    ctx = Context(config, Event("schedule"), clock.now(), Templates(config.language))
    started = time.perf_counter()
    # Writes are spaced on a simulated clock (a second apart, creations 3 s apart): the pacing
    # is measured, not waited.
    resilience = Resilience(pause=lambda _: None, now=lambda: resilience.paced)
    report = run(ctx, Gateway(REPO, Secret(token), api_url=url, resilience=resilience))
    return report, time.perf_counter() - started, resilience.paced


def measure(size: int) -> tuple[RunReport, float, int, float, float]:
    clock = FixedClock(datetime(2026, 11, 23, 8, 17, tzinfo=UTC))
    box = Sandbox(clock=clock)
    box.add_repo(REPO)
    logins = [f"member{i:03d}" for i in range(size)]
    for login in logins:
        box.add_user(login)
        box.set_permission(REPO, login, "write")
    config = "version: 1\ntimezone: Europe/Paris\nmembers:\n" + "".join(
        f"  - {m}\n" for m in logins
    )
    with box.serve() as url:
        token = box.actions_token(REPO)
        opening, open_seconds, paced = _timed_run(clock, url, token, config)
        clock.set(datetime(2026, 11, 23, 9, 17, tzinfo=UTC))
        idle, idle_seconds, _ = _timed_run(clock, url, token, config)
    return opening, paced, idle.requests, open_seconds, idle_seconds


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [3, 40, 200]
    header = ("members", "opened", "left", "open reqs", "budget", "paced s", "idle reqs", "open s")
    print("".join(f"{h:>11}" for h in header))
    for size in sizes:
        opening, paced, idle, open_s, _ = measure(size)
        opened = sum(1 for a in opening.applied if a.op.kind.value == "create-issue")
        row = (opened, len(opening.left), opening.requests, size + 5, f"{paced:.0f}", idle)
        print(f"{size:>11}" + "".join(f"{v:>11}" for v in row) + f"{open_s:>11.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
