"""The isolation matrix (issue #10): per item kind, one poisoned item among healthy ones.

For each kind, the run under test of a convergence scenario is made with one request refused
(a 422, through the sandbox's fault injection) on the path of one item. It must apply every
healthy item, report the poisoned one, and duplicate nothing; once the fault is gone the next
run must reach the fault-free state. Shared by tests/reliability (reduced) and
``benchmarks/reliability.py`` (full sizes).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ritual_bot.runner import RunReport
from ritual_bot.sandbox.faults import FaultKind, Faults
from tests.decisions.helpers import Team
from tests.decisions.helpers import config as decision_config
from tests.reliability.convergence import (
    BotRun,
    Scenario,
    _fresh,
    canonical_state,
    decision_to_close,
    duplicates,
    hpfo_week,
    reference,
)
from tests.support import REPO, World, team_config

ISSUES = rf"^/repos/{REPO}/issues"


@dataclass(frozen=True)
class Case:
    kind: str  # the item kind poisoned
    scenario: Callable[[], Scenario]
    fault: dict[str, Any]  # Faults.add options: method, path, nth


@dataclass(frozen=True)
class Row:
    kind: str
    applied: int  # writes of the faulty run that were applied
    expected: int  # writes of the fault-free run
    reported: int  # failures the faulty run reported
    duplicates: int
    converged: bool  # the next run, fault gone, reached the fault-free state


def first_week(members: int) -> Scenario:
    """The team's first run: the labels are created, then every check-in is opened."""
    logins = [f"m{i:02d}" for i in range(members)]

    def prepare(world: World) -> BotRun:
        world.add_members(logins)
        world.at("2026-11-23T08:17")
        return lambda resilience: world.run(team_config(logins), gateway=world.gateway(resilience))

    return Scenario(f"first week ({members} members)", prepare, lambda world: 0)


PROPOSALS = Path(__file__).parents[1] / "data" / "decisions" / "proposal.md"


def two_proposals() -> Scenario:
    """A scheduled run that opens two proposal files of the checkout as decision issues."""

    def prepare(world: World) -> BotRun:
        Team.seed(world)
        checkout = Path(tempfile.mkdtemp(prefix="ritual-bot-proposals-"))
        folder = checkout / ".github" / "decisions"
        folder.mkdir(parents=True)
        text = PROPOSALS.read_text()
        (folder / "a-trunk.md").write_text(text)
        (folder / "b-flags.md").write_text(text.replace("Adopt trunk-based", "Adopt feature-flag"))
        cfg = decision_config()
        return lambda resilience: world.run(
            cfg, workspace=checkout, gateway=world.gateway(resilience)
        )

    return Scenario("two proposals", prepare, lambda world: 0)


def cases(members: int) -> list[Case]:
    checkin = rf"{ISSUES}/(\d+)$"
    return [
        # A member whose check-in cannot be opened (the third creation is refused).
        Case(
            "member",
            lambda: hpfo_week(members),
            {"method": "POST", "path": rf"{ISSUES}$", "nth": 3},
        ),
        # Last week's check-in whose closing (summary + close, one PATCH) is refused.
        Case(
            "check-in", lambda: hpfo_week(members), {"method": "PATCH", "path": checkin, "nth": 2}
        ),
        # The digest's label, created on the first digest day.
        Case(
            "label",
            lambda: first_week(members),
            {"method": "POST", "path": rf"^/repos/{REPO}/labels$"},
        ),
        # The decision's summary comment: its close is held back, the log file still goes.
        Case("decision", decision_to_close, {"method": "POST", "path": rf"{ISSUES}/\d+/comments$"}),
        # The first of two proposal files: its issue is refused, the second still opens.
        Case("proposal", two_proposals, {"method": "POST", "path": rf"{ISSUES}$", "nth": 1}),
        # The decision log file (a 422 on the contents API): the decision is still recorded.
        Case(
            "log file", decision_to_close, {"method": "PUT", "path": rf"^/repos/{REPO}/contents/"}
        ),
    ]


def run_case(case: Case) -> Row:
    scenario = case.scenario()
    expected_state, expected_writes = reference(scenario)
    with _fresh(scenario) as (world, run, fake):
        faults = Faults(world.sandbox)
        faults.add(FaultKind.REJECT, status=422, **case.fault)
        report = run(fake.resilience())
        assert isinstance(report, RunReport)
        faults.clear()
        applied, dup = len(report.applied), duplicates(world.sandbox)
        run(fake.resilience())
        # Issues, comments and files as in the fault-free run. A label whose creation failed is
        # created by GitHub with the first issue that carries it, in the default colour, and
        # is then left alone (it exists): only its colour may differ.
        converged = canonical_state(world)[0] == expected_state[0]
        return Row(case.kind, applied, expected_writes, len(report.failures), dup, converged)


def print_rows(rows: list[Row]) -> None:
    header = ("item kind", "applied", "of", "reported", "duplicates", "converged")
    print(f"{header[0]:<12}" + "".join(f"{h:>12}" for h in header[1:]))
    for r in rows:
        values = (r.applied, r.expected, r.reported, r.duplicates, "yes" if r.converged else "NO")
        print(f"{r.kind:<12}" + "".join(f"{v:>12}" for v in values))
