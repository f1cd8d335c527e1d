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

from tests.reliability.convergence import Matrix, hpfo_week, run_matrix


def print_matrix(matrix: Matrix, seconds: float) -> None:
    print(f"\n{matrix.scenario}: {matrix.writes} writes in the run under test, {seconds:.1f}s")
    print(f"{'fault':<24}{'runs':>6}{'failed 1st':>12}{'duplicates':>12}{'lost':>6}")
    for fault, outcomes in matrix.by_fault().items():
        failed = sum(o.first_run_failed for o in outcomes)
        dups = sum(o.duplicates for o in outcomes)
        lost = sum(o.lost for o in outcomes)
        print(f"{fault:<24}{len(outcomes):>6}{failed:>12}{dups:>12}{lost:>6}")
    print(
        f"{'total':<24}{matrix.runs:>6}{'':>12}{matrix.total_duplicates:>12}{matrix.lost_updates:>6}"
    )


def main(argv: list[str]) -> None:
    members = int(argv[0]) if argv else 40
    started = time.perf_counter()
    matrix = run_matrix(f"hpfo-week ({members} members)", hpfo_week(members))
    print_matrix(matrix, time.perf_counter() - started)


if __name__ == "__main__":
    main(sys.argv[1:])
