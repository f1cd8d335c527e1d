"""How fast the playground's pages render (issue 13: the issue list and a 500-comment issue in
under 200 ms on the test machine). A benchmark, not a timed test.

Run: .venv/bin/python benchmarks/playground_render.py [--issues N] [--comments N]

Builds the playground (the demo team, decisions on), adds N issues with labels, and one issue
with N comments of varied Markdown (tables, task lists, mentions, emoji, a Mermaid block); then
renders each page in-process (``web.handle``, the same code the HTTP server calls, with the side
panel holding a full list of bot runs) and prints the median and worst of several renders in ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime

from ritual_bot.sandbox import gfm, web
from ritual_bot.sandbox.api import Request
from ritual_bot.sandbox.bot import open_playground
from ritual_bot.sandbox.playground import KEPT_RUNS, BotRun

TARGET_MS = 200.0
REPEATS = 7
COMMENT = """\
**H:** pairing with @carol on the search index :tada:
**P:** search index v2 merged, ~~old one~~ gone

| step | state |
|---|---|
| index | done |

- [x] reviewed
- [ ] rolled out to 10%

<details><summary>Numbers</summary>

p95 went from 900 ms to 120 ms.<!-- hidden -->
</details>
"""
CHART = "```mermaid\nxychart-beta\n  x-axis [W48, W49]\n  bar [3, 4]\n```\n"


def _time(box: object, path: str, query: dict[str, str] | None = None) -> list[float]:
    """The first render (nothing cached: each text parsed) and the next ones."""
    request = Request(method="GET", path=path, query=query or {}, headers={}, body=b"")
    out = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = web.handle(box, request)  # type: ignore[arg-type]
        out.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, (path, response.status)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=300)
    parser.add_argument("--comments", type=int, default=500)
    args = parser.parse_args(argv)
    playground = open_playground(now=datetime(2026, 11, 23, 7, 0, tzinfo=UTC))
    box = playground.sandbox
    summary = "## ritual-bot\n\n| action | issue |\n|---|---|\n| opened | [x](http://x) |\n"
    for n in range(KEPT_RUNS):  # the side panel at its fullest
        run = BotRun(f"schedule {n}", box.clock.now(), ("event: schedule",) * 5, summary, (), 1)
        playground.runs.append(run)
    for n in range(args.issues):
        box.create_issue(
            "acme/team", title=f"Issue {n}", body=COMMENT, user="alice", labels=["hpfo", "x"]
        )
    long = box.create_issue("acme/team", title="Long thread", body=CHART, user="alice")
    for n in range(args.comments):
        who = ("alice", "bob", "carol", "dave")[n % 4]
        body = f"{COMMENT}\nComment {n}."  # each its own text: none is served from the cache
        box.create_comment("acme/team", long["number"], body=body, user=who)
    gfm._cached.cache_clear()  # the first render of each page parses every text
    pages = {
        f"issue list ({args.issues} issues, all)": _time(
            box, "/acme/team/issues", {"state": "all"}
        ),
        "issue list filtered by label": _time(box, "/acme/team/issues", {"label": "hpfo"}),
        f"issue with {args.comments} comments": _time(box, f"/acme/team/issues/{long['number']}"),
        f"same, all {args.comments} shown (?all=1)": _time(
            box, f"/acme/team/issues/{long['number']}", {"all": "1"}
        ),
    }
    worst = 0.0
    for name, times in pages.items():
        first, rest = times[0], statistics.median(times[1:])
        if "?all=1" not in name:
            worst = max(worst, first, rest)
        print(f"{name:42} first {first:7.1f} ms   then (median) {rest:7.1f} ms")
    verdict = "under" if worst < TARGET_MS else "OVER"
    print(f"slowest page (list, and the issue as it opens): {worst:.1f} ms, {verdict} the")
    print(f"{TARGET_MS:.0f} ms target (the ?all=1 page is not held to it)")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
