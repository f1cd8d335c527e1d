"""Requests and time for HPFO opening and no-op runs, by team size, against the sandbox.

Run: .venv/bin/python benchmarks/hpfo_budget.py [sizes…]   (default: 3 40 200)
Prints one row per team size: requests to open N check-ins (budget N + 5), requests for the
next hourly run with nothing due (budget 3), and the wall time of each run.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from ritual_bot.clock import FixedClock
from ritual_bot.config import parse_config
from ritual_bot.gateway import Gateway, Secret
from ritual_bot.rituals.base import Context, Event
from ritual_bot.runner import RunReport, run
from ritual_bot.sandbox import Sandbox
from ritual_bot.templates import Templates

REPO = "bench/team"


def _timed_run(
    clock: FixedClock, url: str, token: str, config_text: str
) -> tuple[RunReport, float]:
    config = parse_config(config_text, "bench.yml")
    ctx = Context(config, Event("schedule"), clock.now(), Templates(config.language))
    started = time.perf_counter()
    report = run(ctx, Gateway(REPO, Secret(token), api_url=url))
    return report, time.perf_counter() - started


def measure(size: int) -> tuple[int, int, float, float]:
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
        opening, open_seconds = _timed_run(clock, url, token, config)
        clock.set(datetime(2026, 11, 23, 9, 17, tzinfo=UTC))
        idle, idle_seconds = _timed_run(clock, url, token, config)
    return opening.requests, idle.requests, open_seconds, idle_seconds


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [3, 40, 200]
    header = ("members", "open reqs", "budget", "idle reqs", "open s", "idle s")
    print("".join(f"{h:>11}" for h in header))
    for size in sizes:
        opened, idle, open_s, idle_s = measure(size)
        print(f"{size:>11}{opened:>11}{size + 5:>11}{idle:>11}{open_s:>11.2f}{idle_s:>11.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
