"""The convergence matrix (issue #6): crash or fault every write of a scenario's run, rerun, and
compare the sandbox with the fault-free run's.

A scenario prepares a world up to the run under test and returns that run; the engine replays it
fault-free once for the reference state, then once per crash point and per (fault kind, write),
each time in a fresh world, and counts duplicates, lost updates and runs that did not converge.
Shared by the tests (reduced sizes) and ``benchmarks/reliability.py`` (full sizes).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ritual_bot.errors import GitHubError
from ritual_bot.gateway import Resilience
from ritual_bot.markers import find_markers, read_block
from ritual_bot.sandbox import Sandbox
from ritual_bot.sandbox.faults import FaultKind, Faults, crash_after_writes
from tests.decisions.helpers import DRI, OUTSIDER, Team
from tests.decisions.helpers import config as decision_config
from tests.support import REPO, FakeTime, World, served_world, team_config

_FINGERPRINT = re.compile(r"sha=[0-9a-f]+")
BotRun = Callable[[Resilience], object]


@dataclass(frozen=True)
class Scenario:
    """Prepares a world up to the run under test and returns that run.

    ``unauthorised`` counts, in the final state, effects of people who were not allowed to cause
    them (the scenario plants such attempts while preparing).
    """

    name: str
    prepare: Callable[[World], BotRun]
    unauthorised: Callable[[World], int]


# Every fault the matrix injects at each write, with the options that make it GitHub-like.
MATRIX_FAULTS: dict[str, tuple[FaultKind, dict[str, Any]]] = {
    "5xx": (FaultKind.ERROR_5XX, {"status": 502}),
    "secondary+retry-after": (FaultKind.SECONDARY_LIMIT, {"retry_after": 5}),
    "secondary": (FaultKind.SECONDARY_LIMIT, {}),
    "primary-exhausted": (FaultKind.PRIMARY_EXHAUSTED, {"reset_in": 30}),
    "drop-before-apply": (FaultKind.DROP_BEFORE, {}),
    "drop-after-apply": (FaultKind.DROP_AFTER, {}),
}


def canonical_state(world: World) -> tuple[Any, ...]:
    """Everything a person could see in the repository, independent of the server's address."""
    box = world.sandbox

    def clean(text: str | None) -> str:
        # Bodies link into the server (its port differs per world), and fingerprints hash them.
        return _FINGERPRINT.sub("sha=*", (text or "").replace(world.url, "URL"))

    issues = []
    for issue in box.issues(REPO):
        comments = tuple(
            (c["user"]["login"], clean(c["body"])) for c in box.comments(REPO, issue["number"])
        )
        issues.append(
            (
                issue["title"],
                clean(issue["body"]),
                issue["state"],
                issue["state_reason"] or "",
                tuple(sorted(label["name"] for label in issue["labels"])),
                tuple(sorted(a["login"] for a in issue["assignees"])),
                comments,
            )
        )
    labels = tuple(sorted((lb["name"], lb["color"]) for lb in box.labels(REPO)))
    return tuple(sorted(issues)), labels


def duplicates(box: Sandbox) -> int:
    """Extra copies of anything the bot wrote under one dedup marker."""
    seen: Counter[str] = Counter()
    for issue in box.issues(REPO):
        if issue["user"]["login"] == "github-actions[bot]":
            first = next(find_markers(issue["body"]), None)
            if first:
                seen[f"issue:{first.key}"] += 1
        for comment in box.comments(REPO, issue["number"]):
            if comment["user"]["login"] == "github-actions[bot]":
                for marker in find_markers(comment["body"]):
                    seen[f"comment:{issue['number']}:{marker.key}"] += 1
    return sum(count - 1 for count in seen.values() if count > 1)


@dataclass
class Outcome:
    fault: str
    point: int
    duplicates: int
    lost: bool
    first_run_failed: bool
    unauthorised: int = 0


@dataclass
class Matrix:
    scenario: str
    writes: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return len(self.outcomes)

    @property
    def total_duplicates(self) -> int:
        return sum(o.duplicates for o in self.outcomes)

    @property
    def lost_updates(self) -> int:
        return sum(1 for o in self.outcomes if o.lost)

    @property
    def unauthorised_effects(self) -> int:
        return sum(o.unauthorised for o in self.outcomes)

    def by_fault(self) -> dict[str, list[Outcome]]:
        grouped: dict[str, list[Outcome]] = {}
        for outcome in self.outcomes:
            grouped.setdefault(outcome.fault, []).append(outcome)
        return grouped


def _attempt(run: BotRun, fake: FakeTime) -> bool:
    """Run once; True if it failed as the CLI would exit 1: a GitHubError before any write, or
    items reported failed (the run goes on with the others: SPEC §7 fault isolation)."""
    try:
        result = run(fake.resilience())
    except GitHubError:
        return True
    return bool(getattr(result, "failures", None))


def _writes_of(world: World) -> int:
    return sum(1 for r in world.sandbox.requests if r.is_write and r.status)


@contextmanager
def _fresh(scenario: Scenario) -> Iterator[tuple[World, BotRun, FakeTime]]:
    with served_world() as world:
        run = scenario.prepare(world)
        world.sandbox.clear_requests()
        yield world, run, FakeTime(world.clock)


def reference(scenario: Scenario) -> tuple[tuple[Any, ...], int]:
    """The fault-free final state, and how many writes the run under test makes."""
    with _fresh(scenario) as (world, run, fake):
        run(fake.resilience())
        writes = _writes_of(world)
        run(fake.resilience())  # a rerun changes nothing: part of the reference
        return canonical_state(world), writes


def _converge(world: World, run: BotRun, fake: FakeTime, expected: tuple[Any, ...]) -> bool:
    """Rerun without faults (twice: the second must change nothing); True if a state was lost."""
    run(fake.resilience())
    run(fake.resilience())
    return canonical_state(world) != expected


def _outcome(
    fault: str, point: int, scenario: Scenario, world: World, lost: bool, failed: bool
) -> Outcome:
    extra = duplicates(world.sandbox)
    return Outcome(fault, point, extra, lost, failed, scenario.unauthorised(world))


def crash_points(scenario: Scenario, expected: tuple[Any, ...], writes: int) -> list[Outcome]:
    outcomes = []
    for k in range(writes):
        with _fresh(scenario) as (world, run, fake):
            end_crash = crash_after_writes(world.sandbox, k)
            failed = _attempt(run, fake)
            end_crash()
            lost = _converge(world, run, fake, expected)
            outcomes.append(_outcome("crash", k, scenario, world, lost, failed))
    return outcomes


def faults_at_each_write(
    scenario: Scenario, expected: tuple[Any, ...], writes: int, kinds: list[str]
) -> list[Outcome]:
    outcomes = []
    for name in kinds:
        kind, options = MATRIX_FAULTS[name]
        for index in range(1, writes + 1):
            with _fresh(scenario) as (world, run, fake):
                faults = Faults(world.sandbox)
                faults.add(kind, writes_only=True, nth=index, **options)
                failed = _attempt(run, fake)
                faults.clear()
                lost = _converge(world, run, fake, expected)
                outcomes.append(_outcome(name, index, scenario, world, lost, failed))
    return outcomes


def run_matrix(scenario: Scenario, kinds: list[str] | None = None) -> Matrix:
    expected, writes = reference(scenario)
    matrix = Matrix(scenario.name, writes)
    matrix.outcomes += crash_points(scenario, expected, writes)
    matrix.outcomes += faults_at_each_write(
        scenario, expected, writes, list(MATRIX_FAULTS) if kinds is None else kinds
    )
    return matrix


# --- Scenarios ------------------------------------------------------------------------------------


def hpfo_week(members: int) -> Scenario:
    """Last week opened and half answered; the run under test closes it and opens this week.

    mallory, not a member, tries to skip m00's week and to plant an objective in it.
    """
    logins = [f"m{i:02d}" for i in range(members)]
    config = team_config(logins)

    def prepare(world: World) -> BotRun:
        world.add_members([*logins, "mallory"])
        world.at("2026-11-16T08:17")
        world.run(config)
        world.at("2026-11-17T09:00")
        for login in logins[::2]:
            issue = world.checkin(login, "2026-W47")
            assert issue is not None
            answer = f"## Fires\n- flaky CI\n## Objectives\n- ship {login}'s part"
            world.sandbox.create_comment(REPO, issue["number"], body=answer, user=login)
        target = world.checkin(logins[0], "2026-W47")
        assert target is not None
        for planted in ("/skip", "## Objectives\n- mallory's plan"):
            world.sandbox.create_comment(REPO, target["number"], body=planted, user="mallory")
        world.at("2026-11-23T08:17")
        return lambda resilience: world.run(config, gateway=world.gateway(resilience))

    def unauthorised(world: World) -> int:
        last, this = world.checkin(logins[0], "2026-W47"), world.checkin(logins[0], "2026-W48")
        assert last is not None and this is not None
        skipped = last["state_reason"] != "completed"
        return int(skipped) + int("mallory's plan" in this["body"])

    return Scenario(f"hpfo-week ({members} members)", prepare, unauthorised)


def hpfo_digest_day(members: int) -> Scenario:
    """Three weeks on record and last week's digest open (made final on Monday); the run under
    test, on Tuesday 10:17 in Paris, posts the reminders of this week, opens this week's digest
    from the answers so far and closes last week's with a link to it. A non-member's reply on a
    check-in must not count as that member's answer, in the provisional digest or the final."""
    logins = [f"m{i:02d}" for i in range(members)]
    config = team_config(logins)

    def prepare(world: World) -> BotRun:
        world.add_members([*logins, "mallory"])
        for monday, tuesday, week in (
            ("2026-11-23", "2026-11-24", "2026-W48"),
            ("2026-11-30", "2026-12-01", "2026-W49"),
            ("2026-12-07", "2026-12-08", "2026-W50"),
        ):
            world.at(f"{monday}T08:17")
            world.run(config)
            world.at(f"{monday}T09:00")
            for login in logins[::2]:
                issue = world.checkin(login, week)
                assert issue is not None
                body = f"## Fires\n- {login} is blocked\n## Objectives\n- unblock {login}"
                world.sandbox.create_comment(REPO, issue["number"], body=body, user=login)
            target = world.checkin(logins[1], week)
            assert target is not None
            planted = "## Highlights\n- mallory's highlight"
            world.sandbox.create_comment(REPO, target["number"], body=planted, user="mallory")
            world.at(f"{tuesday}T09:17")
            if week == "2026-W50":
                break
            world.run(config)  # this week's digest, and the reminders
        return lambda resilience: world.run(config, gateway=world.gateway(resilience))

    def unauthorised(world: World) -> int:
        digests = [i for i in world.sandbox.issues(REPO) if i["title"].startswith("HPFO digest")]
        return sum("mallory's highlight" in (d["body"] or "") for d in digests)

    return Scenario(f"hpfo digest day ({members} members)", prepare, unauthorised)


def decision_to_close(*, log: bool = True) -> Scenario:
    """A decision started, approved, a concern raised and resolved, then the DRI's /decide is the
    run under test (with the decision log: a file, the closing PATCH and the summary comment).

    oscar, who can only read the repository, tries to decide first.
    """
    extra = "  log: docs/decisions/\n" if log else ""

    def prepare(world: World) -> BotRun:
        team = Team.seed(world)
        cfg = decision_config(extra)
        number = team.open_issue()
        team.run(team.label(number), cfg)
        for who, text in (
            ("bob", "/approve"),
            ("carol", "/concern there is no rollback plan"),
            (OUTSIDER, "/decide Use MySQL"),
            ("carol", "/resolve 1"),
        ):
            team.run(team.comment(number, who, text)[1], cfg)
        _, decide = team.comment(number, DRI, "/decide Use Postgres\nThe team knows it best.")
        return lambda resilience: world.run(cfg, decide, gateway=world.gateway(resilience))

    def unauthorised(world: World) -> int:
        (issue,) = world.sandbox.issues(REPO)
        records = [read_block(issue["body"], "decision") or ""]
        records += [
            c["body"]
            for c in world.sandbox.comments(REPO, issue["number"])
            if c["user"]["login"] == "github-actions[bot]"
            and any(m.kind == "decision-summary" for m in find_markers(c["body"]))
        ]
        records += [world.sandbox.file(REPO, path) or "" for path in _log_files(world)]
        return sum("MySQL" in record for record in records)

    return Scenario("decision to close" + (" (with log)" if log else ""), prepare, unauthorised)


def decision_start() -> Scenario:
    """The run under test is the one for the `decision` label: labels created, the start comment
    with the DRI and stakeholders, the block written into the body, the DRI assigned.

    An outsider had already commented `/approve` before the label: it must not count.
    """

    def prepare(world: World) -> BotRun:
        team = Team.seed(world)
        cfg = decision_config()
        number = team.open_issue()
        team.comment(number, OUTSIDER, "/approve")
        labelled = team.label(number)
        return lambda resilience: world.run(cfg, labelled, gateway=world.gateway(resilience))

    def unauthorised(world: World) -> int:
        (issue,) = world.sandbox.issues(REPO)
        block = read_block(issue["body"], "decision") or ""
        return int(OUTSIDER in block.replace("\u200b", ""))

    return Scenario("decision start (label)", prepare, unauthorised)


def _log_files(world: World) -> list[str]:
    repo = world.sandbox.state.repo(REPO)
    assert repo is not None
    with world.sandbox.state.lock:
        return sorted(path for path in repo.files if path.startswith("docs/decisions/"))
