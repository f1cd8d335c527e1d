"""The reliability matrix (issue #6): scenarios x fault kinds x write points.

Run: .venv/bin/python benchmarks/reliability.py [members]   (default 40)
For each scenario it prints, per fault kind, how many runs were made (one per write of the run
under test), how many first runs failed (and were finished by a rerun), duplicates and lost
updates after the rerun. The test suite runs the same matrix at a reduced size.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests package, for the engine

from tests.reliability.convergence import (
    Matrix,
    decision_start,
    decision_to_close,
    hpfo_digest_day,
    hpfo_week,
    run_matrix,
)


def print_matrix(matrix: Matrix, seconds: float) -> None:
    print(f"\n{matrix.scenario}: {matrix.writes} writes in the run under test, {seconds:.1f}s")
    header = ("fault", "runs", "failed 1st", "duplicates", "lost", "unauthorised")
    print(f"{header[0]:<24}" + "".join(f"{h:>14}" for h in header[1:]))
    for fault, outcomes in matrix.by_fault().items():
        row = (
            len(outcomes),
            sum(o.first_run_failed for o in outcomes),
            sum(o.duplicates for o in outcomes),
            sum(o.lost for o in outcomes),
            sum(o.unauthorised for o in outcomes),
        )
        print(f"{fault:<24}" + "".join(f"{v:>14}" for v in row))
    totals = (
        matrix.runs,
        "",
        matrix.total_duplicates,
        matrix.lost_updates,
        matrix.unauthorised_effects,
    )
    print(f"{'total':<24}" + "".join(f"{v:>14}" for v in totals))


def main(argv: list[str]) -> None:
    members = int(argv[0]) if argv else 40
    scenarios = (
        hpfo_week(members),
        hpfo_digest_day(members),
        decision_start(),
        decision_to_close(),
    )
    for scenario in scenarios:
        started = time.perf_counter()
        matrix = run_matrix(scenario)
        print_matrix(matrix, time.perf_counter() - started)


if __name__ == "__main__":
    main(sys.argv[1:])
