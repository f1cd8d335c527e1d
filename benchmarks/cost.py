"""The cost of a team-week (issue 11): jobs, requests, writes and CPU, played on the sandbox.

Run: .venv/bin/python benchmarks/cost.py [--hourly] [--hpfo-only] [--runs] [--endpoints] [size …]
(default sizes: 5 50 200 500)

``--hpfo-only`` plays the issue's own scenario (an HPFO week, no decision ritual: its daily
deadline moments leave the schedule), the one its "today" figures were measured on.

``--runs`` lists every run of the measured week (when, event, requests, writes, CPU);
``--endpoints`` where the requests went: by kind of run (scheduled, event) and endpoint.

One HPFO week is played, after a warm-up week that is not counted (so the measured Monday closes
last week's check-ins, as every Monday does), for a team spread over three timezones: the bot
runs at exactly the moments the workflow would start it —

- scheduled runs at the minutes the computed schedule lists (``schedule.schedule_entries``, each
  entry read as GitHub reads cron: ``schedule.Cron``), or at minute 17 of every hour with
  ``--hourly`` (what every team paid before issue 11);
- one job per event people cause, when the generated workflow's job ``if:`` lets it through
  (evaluated by the expression evaluator of the action tests, ``tests/action/expressions.py``, on
  a payload built from the sandbox's issue). A skipped job is counted apart: it is not billed.
  The bot's own writes start nothing: "events triggered by the GITHUB_TOKEN, with the exception
  of workflow_dispatch and repository_dispatch, will not create a new workflow run"
  (https://docs.github.com/actions/security-for-github-actions/security-guides/automatic-token-authentication#using-the-github_token-in-a-workflow).

People: 70% of the team answer (some after their reminder), one answer in ten gets a reply from
a teammate, two decisions get a few comments, and an unrelated issue gets some chatter (jobs the
``if:`` skips). Writes are spaced on the sandbox's own clock (simulated: nothing waits), so the
busiest minute and hour of writes are the ones GitHub would see. CPU is the bot's own thread
(``time.thread_time``: the sandbox serves from other threads), start-up imports excluded.

Prints one row per team size and then the figures of the issue ("today", hourly cron) and the
targets, and checks that no run went over GitHub's limits (``resilience``: 20 issue creations a
minute and 150 an hour, 80 writes a minute).
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the job `if:` evaluator (tests)

from ritual_bot.clock import FixedClock
from ritual_bot.config import Config, parse_config
from ritual_bot.gateway import Gateway, Resilience, Secret
from ritual_bot.init import published_action, workflow_text
from ritual_bot.markers import first_marker
from ritual_bot.resilience import CREATES_PER_HOUR, CREATES_PER_MINUTE
from ritual_bot.rituals.base import Context, Event
from ritual_bot.runner import run
from ritual_bot.sandbox import Sandbox
from ritual_bot.schedule import HOURLY, Cron, Entry, schedule_entries
from ritual_bot.templates import Templates
from tests.action.expressions import evaluate_if

REPO = "bench/team"
ZONES = ("Europe/Paris", "America/New_York", "Asia/Kolkata")
WARM_UP = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday; no DST change in either week
WEEK = WARM_UP + timedelta(days=7)  # the measured week: [WEEK, WEEK + 7 days)
SIZES = (5, 50, 200, 500)
WRITES_PER_MINUTE = 80
ANSWER = "## Highlights\n- shipped {n}\n## Fires\n- none\n## Objectives\n- [ ] ship {m}"
CONDITION = yaml.safe_load(workflow_text(published_action()))["jobs"]["rituals"]["if"]

# Issue 11 as filed: one week on an independent emulator with the hourly cron.
TODAY = {5: (168, 517, 13), 50: (168, 754, 117), 200: (168, 1881, 462)}
TARGET_REQUESTS = {5: 60, 50: 250, 200: 900}
TARGET_JOBS = 30  # scheduled jobs per team-week, up to 3 timezones
# A job's own time besides the bot's run, for billed minutes: checkout, setup-python and the
# install (5.6 s with uv in benchmarks/cold_start.py, docs/action.md) with margin. A private
# repository bills each job rounded up to a whole minute
# (https://docs.github.com/actions/monitoring-and-troubleshooting-workflows/viewing-job-execution-time).
JOB_OVERHEAD = timedelta(seconds=30)


def team_config(size: int, hpfo_only: bool = False) -> str:
    members = "".join(
        f"  - {{login: member{i:03d}, timezone: {ZONES[i % len(ZONES)]}}}\n" for i in range(size)
    )
    off = "decisions: {enabled: false}\n" if hpfo_only else ""
    return f"version: 1\ntimezone: Europe/Paris\nmembers:\n{members}{off}"


# --- what happens, and when ----------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Happening:
    """Something at an instant: a scheduled run (``what`` "schedule") or a person's action."""

    at: datetime
    order: int
    what: str
    login: str = ""
    text: str = ""
    target: str = ""  # "checkin:<login>" (this week's), "decision:<k>" or "chatter"


def firings(entries: Sequence[Entry], start: datetime, days: int = 7) -> list[datetime]:
    """Every minute of ``days`` days from ``start`` at which one of the entries starts a run."""
    crons = [Cron.parse(e.cron, e.timezone) for e in entries]
    found = []
    for day in range(days):
        for hour in range(24):
            for minute in range(60):
                at = start + timedelta(days=day, hours=hour, minutes=minute)
                if any(c.fires_at(at) for c in crons):
                    found.append(at)
    return found


def people(size: int, monday: datetime, decisions: bool = True) -> list[Happening]:
    """The week's human actions, deterministic: answers, replies, decisions, chatter."""
    found: list[Happening] = []
    day = monday.date()
    for i in range(size):
        login = f"member{i:03d}"
        if i % 10 >= 7:
            continue  # 30% never answer
        zone = ZoneInfo(ZONES[i % len(ZONES)])
        # 1 to 8 hours after opening, or on Tuesday afternoon (after the reminder).
        hours = (1, 2, 3, 5, 8, 29, 31)[i % 7]
        at = _local(day, clock_time(9), zone) + timedelta(hours=hours, minutes=i % 50)
        text = ANSWER.format(n=i, m=i + 1)
        found.append(Happening(at, i, "comment", login, text, f"checkin:{login}"))
        if i % 10 == 3:
            peer = f"member{(i + 1) % size:03d}"
            reply = at + timedelta(hours=2)
            found.append(
                Happening(reply, i, "comment", peer, "Nice, congrats!", f"checkin:{login}")
            )
    members = [f"member{i:03d}" for i in range(size)]
    for k in range(2 if decisions else 0):
        opened = datetime.combine(day + timedelta(days=1 + k), clock_time(13), tzinfo=UTC)
        found.append(Happening(opened, 10_000 + k, "decision", members[0], "", f"decision:{k}"))
        for j, text in enumerate(("Sounds good.", "/approve", "One question first?")):
            login = members[(j + 1) % size]
            at = opened + timedelta(hours=2 * (j + 1))
            found.append(Happening(at, 10_000 + k, "comment", login, text, f"decision:{k}"))
    chatter = datetime.combine(day + timedelta(days=2), clock_time(15), tzinfo=UTC)
    found.append(Happening(chatter, 20_000, "chatter-issue", members[0], "", "chatter"))
    for j in range(5 + size // 25):
        at = chatter + timedelta(minutes=37 * (j + 1))
        login = members[j % size]
        found.append(Happening(at, 20_000 + j, "comment", login, "+1", "chatter"))
    return found


def _local(day: date, at: clock_time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


# --- playing it ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a week cost."""

    scheduled: int = 0
    event_jobs: int = 0
    skipped: int = 0
    requests: int = 0
    scheduled_requests: int = 0
    writes: int = 0
    cpu: float = 0.0
    idle_requests: list[int] = field(default_factory=list)  # runs that wrote nothing
    over_limits: list[str] = field(default_factory=list)
    busiest_minute: int = 0
    busiest_hour: int = 0
    creations_busiest_hour: int = 0
    left_over: int = 0  # ops a run planned but left for the next (its budget was reached)
    billed: int = 0  # minutes on a private repository: each job rounded up (JOB_OVERHEAD)
    runs: list[str] = field(default_factory=list)  # one line per run, for --runs
    # (kind of run, "METHOD /endpoint") -> requests, for --endpoints
    endpoints: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def jobs(self) -> int:
        return self.scheduled + self.event_jobs


class Week:
    """A sandbox with the team and the bot's token, served on loopback."""

    def __init__(self, size: int, config_text: str, clock: FixedClock) -> None:
        self.size = size
        self.config: Config = parse_config(config_text, ".github/rituals.yml")
        self.clock = clock
        self.box = Sandbox(clock=clock)
        self.box.add_repo(REPO)
        for i in range(size):
            self.box.add_user(f"member{i:03d}")
            self.box.set_permission(REPO, f"member{i:03d}", "write")
        self.templates = Templates(self.config.language)
        self.checkout = Path(tempfile.mkdtemp(prefix="cost-checkout-"))
        self.url = ""
        self.token = ""
        self.issues: dict[str, int] = {}  # decision:<k> / chatter -> number
        self._checkins: dict[str, int] | None = None  # login -> open check-in

    def run(self, event: Event, tally: Tally | None) -> None:
        # Writes are spaced on the sandbox's clock: a long run ends later, as on GitHub.
        def pace(seconds: float) -> None:
            self.clock.advance(timedelta(seconds=seconds))

        def no_retry(seconds: float) -> None:
            raise AssertionError(f"the sandbox asked for a retry ({seconds}s): no fault is set")

        resilience = Resilience(
            sleep=no_retry, pause=pace, now=lambda: self.clock.now().timestamp()
        )
        first_request = len(self.box.requests)
        began = self.clock.now()
        started = time.thread_time()
        gateway = Gateway(REPO, Secret(self.token), api_url=self.url, resilience=resilience)
        # Scheduled runs have the workflow's checkout (no proposals folder in it here).
        checkout = self.checkout if event.is_scheduled else None
        ctx = Context(self.config, event, self.clock.now(), self.templates, checkout)
        report = run(ctx, gateway)
        cpu = time.thread_time() - started
        if report.failures:
            raise AssertionError(f"a run failed: {[str(f) for f in report.failures]}")
        if tally is None:
            return
        took = self.clock.now() - began + JOB_OVERHEAD  # paced writes move the sandbox clock
        tally.billed += math.ceil(took / timedelta(minutes=1))
        tally.requests += report.requests
        tally.writes += report.writes
        tally.cpu += cpu
        tally.left_over += len(report.left)
        tally.runs.append(
            f"{ctx.now:%a %H:%M} {event.name:<13} {report.requests:>4} requests "
            f"{report.writes:>4} writes {cpu:6.2f} s"
        )
        kind = "scheduled" if event.is_scheduled else "event"
        for record in self.box.requests[first_request:]:
            tally.endpoints[(kind, f"{record.method} {record.operation or record.path}")] += 1
        if event.is_scheduled:
            tally.scheduled += 1
            tally.scheduled_requests += report.requests
        else:
            tally.event_jobs += 1
        if report.writes == 0:
            tally.idle_requests.append(report.requests)
        created = sum(1 for a in report.applied if a.op.kind.value == "create-issue")
        if created > CREATES_PER_HOUR:
            tally.over_limits.append(f"a run created {created} issues")

    def act(self, happening: Happening, tally: Tally | None) -> None:
        """A person's action, then the job its event starts (if the job's ``if:`` says so)."""
        box, login = self.box, happening.login
        sender = {"login": login, "type": "User"}
        if happening.what == "decision":
            issue = box.create_issue(REPO, title="Pick a CI provider", body="Which?", user=login)
            self.issues[happening.target] = int(issue["number"])
            self._event("issues", {"action": "opened", "issue": issue, "sender": sender}, tally)
            issue = box.add_labels(REPO, int(issue["number"]), ["decision"], user=login)
            payload = {"action": "labeled", "issue": issue, "label": {"name": "decision"}}
            self._event("issues", {**payload, "sender": sender}, tally)
            return
        if happening.what == "chatter-issue":
            issue = box.create_issue(REPO, title="Flaky test", body="It fails.", user=login)
            self.issues["chatter"] = int(issue["number"])
            self._event("issues", {"action": "opened", "issue": issue, "sender": sender}, tally)
            return
        number = self._number(happening.target)
        if number is None:
            return  # the member's check-in is not open (yet): nothing to answer
        comment = box.create_comment(REPO, number, body=happening.text, user=login)
        payload = {"action": "created", "issue": box.issue(REPO, number), "comment": comment}
        self._event("issue_comment", {**payload, "sender": sender}, tally)

    def _number(self, target: str) -> int | None:
        kind, _, who = target.partition(":")
        if kind != "checkin":
            return self.issues.get(target)
        if self._checkins is None:  # read again after each scheduled run (only they open any)
            self._checkins = {}
            for issue in self.box.issues(REPO):  # by number: the newest check-in last
                marker = first_marker(issue["body"], "hpfo-checkin")
                if marker and issue["state"] == "open":
                    self._checkins[str(marker.get("member"))] = int(issue["number"])
        return self._checkins.get(who)

    def _event(self, name: str, payload: dict[str, Any], tally: Tally | None) -> None:
        if not evaluate_if(CONDITION, {"github": {"event_name": name, "event": payload}}):
            if tally is not None:
                tally.skipped += 1
            return
        self.run(Event(name, payload), tally)


def play(size: int, *, hourly: bool = False, days: int = 7, hpfo_only: bool = False) -> Tally:
    """One warm-up week, then ``days`` measured days; the figures of the measured ones."""
    clock = FixedClock(WARM_UP)
    week = Week(size, team_config(size, hpfo_only), clock)
    entries = [Entry(HOURLY)] if hourly else schedule_entries(week.config, WARM_UP.date())
    tally = Tally()
    with week.box.serve() as url:
        week.url, week.token = url, week.box.actions_token(REPO)
        for monday, counted in ((WARM_UP, None), (WEEK, tally)):
            length = 7 if counted is None else days
            timeline = [Happening(at, -1, "schedule") for at in firings(entries, monday, length)]
            if counted is not None:
                happenings = people(size, monday, decisions=not hpfo_only)
                timeline += [h for h in happenings if h.at < monday + timedelta(length)]
            measured_from = len(week.box.requests)
            for happening in sorted(timeline):
                # A run that paced its writes past the next moment delays it, as on GitHub.
                clock.set(max(happening.at, clock.now()))
                if happening.what == "schedule":
                    week.run(Event("schedule"), counted)
                    week._checkins = None
                else:
                    week.act(happening, counted)
            if counted is not None:
                _write_peaks(week.box.requests[measured_from:], tally)
    return tally


def _write_peaks(records: Sequence[Any], tally: Tally) -> None:
    """The busiest minute and hour of the bot's writes, and GitHub's per-minute limits."""
    writes = [r.at for r in records if r.is_write and r.actor == "github-actions[bot]"]
    creations = [
        r.at
        for r in records
        if r.is_write and r.method == "POST" and r.path.rstrip("/").endswith("/issues")
    ]
    tally.busiest_minute = _busiest(writes, timedelta(minutes=1))
    tally.busiest_hour = _busiest(writes, timedelta(hours=1))
    tally.creations_busiest_hour = _busiest(creations, timedelta(hours=1))
    if tally.busiest_minute > WRITES_PER_MINUTE:
        tally.over_limits.append(f"{tally.busiest_minute} writes in a minute")
    if (worst := _busiest(creations, timedelta(minutes=1))) > CREATES_PER_MINUTE:
        tally.over_limits.append(f"{worst} issue creations in a minute")


def _busiest(instants: Sequence[datetime], window: timedelta) -> int:
    """The most instants in any window of this length (a sliding window, not clock minutes)."""
    ordered = sorted(instants)
    best, first = 0, 0
    for last, at in enumerate(ordered):
        while ordered[first] <= at - window:
            first += 1
        best = max(best, last - first + 1)
    return best


# --- printing ------------------------------------------------------------------------------------


def rows(sizes: Sequence[int], hourly: bool, measure: Callable[[int], Tally]) -> Iterator[str]:
    header = (
        "members", "scheduled", "event jobs", "skipped", "requests", "sched reqs", "writes",
        "CPU s", "idle reqs", "busy min", "busy hour", "left", "billed min", "wall s",
    )  # fmt: skip
    yield "".join(f"{h:>11}" for h in header)
    for size in sizes:
        started = time.perf_counter()
        t = measure(size)
        wall = time.perf_counter() - started
        idle = f"{min(t.idle_requests)}-{max(t.idle_requests)}" if t.idle_requests else "-"
        values = (
            size, t.scheduled, t.event_jobs, t.skipped, t.requests, t.scheduled_requests,
            t.writes, f"{t.cpu:.1f}", idle, t.busiest_minute, t.busiest_hour, t.left_over,
            t.billed, f"{wall:.0f}",
        )  # fmt: skip
        yield "".join(f"{v:>11}" for v in values)
        verdict = "; ".join(t.over_limits) or "none"
        target = TARGET_REQUESTS.get(size)
        goal = f"target ≤ {target} requests" if target else "no request target"
        jobs = "hourly" if hourly else f"target ≤ {TARGET_JOBS} scheduled jobs"
        yield (
            f"{'':>11}  over GitHub's limits: {verdict}; {goal}; {jobs}; "
            f"issue creations in the busiest hour: {t.creations_busiest_hour}"
        )


def main(argv: list[str]) -> None:
    hourly, each, where = "--hourly" in argv, "--runs" in argv, "--endpoints" in argv
    hpfo_only = "--hpfo-only" in argv
    sizes = [int(a) for a in argv if not a.startswith("--")] or list(SIZES)
    cron = f'hourly "{HOURLY}"' if hourly else "the computed schedule"
    print(f"One team-week in {len(ZONES)} timezones ({', '.join(ZONES)}), {cron}:")
    tallies: list[Tally] = []

    def measure(size: int) -> Tally:
        tallies.append(play(size, hourly=hourly, hpfo_only=hpfo_only))
        return tallies[-1]

    for line in rows(sizes, hourly, measure):
        print(line)
    for size, tally in zip(sizes, tallies, strict=True) if each else ():
        print(f"\nRuns at {size} members:\n  " + "\n  ".join(tally.runs))
    for size, tally in zip(sizes, tallies, strict=True) if where else ():
        print(f"\nRequests by kind of run and endpoint at {size} members:")
        for (kind, endpoint), count in sorted(tally.endpoints.items(), key=lambda i: -i[1]):
            print(f"  {count:>6}  {kind:<9}  {endpoint}")
    print("\nToday (issue 11, hourly cron, an independent emulator):")
    print("".join(f"{h:>11}" for h in ("members", "jobs", "requests", "writes", "target")))
    for size, (jobs, requests, writes) in TODAY.items():
        target = TARGET_REQUESTS[size]
        print(f"{size:>11}{jobs:>11}{requests:>11}{writes:>11}{'≤ ' + str(target):>11}")


if __name__ == "__main__":
    main(sys.argv[1:])
