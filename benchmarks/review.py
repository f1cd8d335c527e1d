"""What a business review costs (issue 16): the weekly opening of 4 areas and 10 metrics.

Run: .venv/bin/python benchmarks/review.py

The review of a week opens in one scheduled run: the listings it needs (the reviews of the last
weeks, the issues closed with each area's shipped labels, merged pull requests, releases), the
metric files (from the API here; from the workflow's checkout they cost nothing), the comments of
the review it closes, then its writes. Printed: each request by operation, the reads beyond the
week's review listing (issue 16 asks at most 8), and the writes.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the review's scenario (tests)
from tests.review.test_review import four_areas


def main() -> None:
    requests = four_areas(datetime(2026, 11, 23, 13, 5, tzinfo=UTC))
    reads = [r for r in requests if not r.is_write]
    writes = [r for r in requests if r.is_write]
    print("opening run of a review with 4 areas and 10 metrics")
    print("(2 CSV files through the API, 2 shipped labels, 1 experiments label)")
    print("(HPFO and decisions off: only the review's own requests)")
    counted = Counter((r.method, r.operation) for r in requests)
    for (method, operation), count in sorted(counted.items()):
        print(f"  {count:>3} x {method:<6} {operation}")
    print(f"reads: {len(reads)} ({len(reads) - 1} beyond the week's review listing; at most 8)")
    print(f"writes: {len(writes)}")


if __name__ == "__main__":
    main()
