"""The reliability matrix (issue #6): scenarios x fault kinds x write points.

Run: .venv/bin/python benchmarks/reliability.py [members]   (default 40)
For each scenario it prints, per fault kind, how many runs were made (one per write of the run
under test), how many first runs failed (and were finished by a rerun), duplicates and lost
updates after the rerun. Then the isolation matrix: per item kind (member, check-in, label,
decision, log file), writes applied around one refused item, failures reported, duplicates, and
whether the next run converged. The test suite runs both at a reduced size.
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
from tests.reliability.isolation_matrix import cases, print_rows, run_case


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
    # Fault isolation (issue #10): one poisoned item per kind among healthy ones.
    print("\nisolation matrix: one item refused with a 422, then a rerun without the fault")
    print_rows([run_case(case) for case in cases(members)])


if __name__ == "__main__":
    main(sys.argv[1:])
