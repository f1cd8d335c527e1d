"""How a run tells people what it did, on the terminal (the step summary reads the same report)."""

from __future__ import annotations

from collections.abc import Callable

from ritual_bot.ops import AddComment, CreateIssue, Op, UpdateIssue
from ritual_bot.runner import RunReport

Echo = Callable[[str], object]


def op_details(op: Op) -> str:
    """The exact content an op would write, for --dry-run."""
    lines = [f"- {op.describe()}"]
    if isinstance(op, CreateIssue | AddComment) or (isinstance(op, UpdateIssue) and op.body):
        body = op.body or ""
        lines += [f"    | {line}" for line in body.splitlines()]
    return "\n".join(lines)


def print_report(report: RunReport, echo: Echo) -> None:
    rituals = ", ".join(report.rituals) or "none"
    echo(f"event: {report.event} (rituals: {rituals})")
    if report.dry_run:
        echo(f"dry run: {len(report.planned)} operation(s) planned, nothing written")
        for op in report.planned:
            echo(op_details(op))
    else:
        echo(f"{len(report.applied)} operation(s) applied")
        for applied in report.applied:
            link = f" {applied.html_url}" if applied.html_url else ""
            echo(f"- {applied.op.describe()}{link}")
    left = report.rate_remaining
    remaining = "" if left is None else f", rate limit left {left}"
    echo(f"requests: {report.requests} ({report.writes} writes{remaining})")
