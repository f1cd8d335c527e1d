"""How a run tells people what it did, on the terminal (the step summary reads the same report)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime

from ritual_bot.actions_runtime import ActionsRuntime, Change, Skip, run_summary
from ritual_bot.ops import AddComment, CreateIssue, Op, UpdateComment, UpdateIssue
from ritual_bot.resilience import CREATES_PER_HOUR, WritePacer
from ritual_bot.runner import RunReport

Echo = Callable[[str], object]


def op_details(op: Op) -> str:
    """The exact content an op would write, for --dry-run."""
    lines = [f"- {op.describe()}"]
    if isinstance(op, CreateIssue | AddComment | UpdateComment) or (
        isinstance(op, UpdateIssue) and op.body
    ):
        body = op.body or ""
        lines += [f"    | {line}" for line in body.splitlines()]
    return "\n".join(lines)


def print_report(report: RunReport, echo: Echo) -> None:
    rituals = ", ".join(report.rituals) or "none"
    echo(f"event: {report.event} (rituals: {rituals})")
    if report.ignored:
        echo(f"nothing to do: {report.ignored}")
    if report.dry_run:
        echo(f"dry run: {len(report.planned)} operation(s) planned, nothing written")
        for op in report.planned:
            echo(op_details(op))
    else:
        echo(f"{len(report.applied)} operation(s) applied")
        for applied in report.applied:
            link = f" {applied.html_url}" if applied.html_url else ""
            refused = f" — not written: {applied.refused}" if applied.refused else ""
            echo(f"- {applied.op.describe()}{link}{refused}")
    if report.stopped:
        count = len(report.left)
        echo(f"stopped early ({report.stopped}); {count} operation(s) left for the next run:")
        for op in report.left:
            echo(f"- {op.describe()}")
    for failure in report.failures:
        echo(f"failed: {failure}")
    if report.held:
        echo(f"held back with their failed item: {len(report.held)} operation(s)")
    for notice in report.notices:
        echo(f"note: {notice}")
    left = report.rate_remaining
    remaining = "" if left is None else f", rate limit left {left}"
    echo(f"requests: {report.requests} ({report.writes} writes{remaining})")


def opening_batches(planned: Sequence[Op]) -> list[list[CreateIssue]]:
    """The issues each run opens, this one first: a run applies its ops in order and stops at
    its write budget (``WritePacer``: ``CREATES_PER_HOUR`` new issues, 500 writes), leaving the
    rest, issues to open included, to the next run, which plans them again. One write per op."""
    batches: list[list[CreateIssue]] = []
    remaining = list(planned)
    while remaining:
        pacer, done = WritePacer(), 0
        for op in remaining:
            creating = isinstance(op, CreateIssue)
            if pacer.exhausted(creating):
                break
            pacer.record(0.0, creating)
            done += 1
        done = max(done, 1)  # a fresh budget always takes one op: never loop forever
        batches.append([op for op in remaining[:done] if isinstance(op, CreateIssue)])
        remaining = remaining[done:]
    while len(batches) > 1 and not batches[-1]:
        batches.pop()  # runs that would only write, opening nothing
    return batches


def opening_plan(planned: Sequence[Op], now: datetime, runs: Sequence[datetime]) -> list[str]:
    """For --dry-run: how many issues this run opens, which wait, and the run (UTC) that opens
    them, from ``rituals.hpfo.moments.runs_to_come``, so a member can tell when their check-in
    opens."""
    batches = opening_batches(planned)
    total = sum(len(batch) for batch in batches)
    if not total:
        return []
    first = len(batches[0])
    waiting = total - first
    head = f"opening plan: {total} issue(s) to open, {first} in this run"
    if waiting:
        head += (
            f", {waiting} wait for the next runs (about {CREATES_PER_HOUR} issue creations "
            "an hour are allowed)"
        )
    lines = [head]
    for k, batch in enumerate(batches):
        if k == 0:
            when = f"this run ({now:%a %Y-%m-%d %H:%M} UTC)"
        elif k - 1 < len(runs):
            when = f"the run at {runs[k - 1]:%a %Y-%m-%d %H:%M} UTC"
        else:
            when = "a later run (start one by hand from the Actions tab)"
        names = ", ".join(_who(op) for op in batch)
        lines.append(f"- {when}: {len(batch)}")
        lines += textwrap.wrap(names, 96, initial_indent="    ", subsequent_indent="    ")
    return lines


def _who(op: CreateIssue) -> str:
    member = op.marker.get("member")
    return f"@{member}" if member else repr(op.title)


# --- The Actions edge: outputs and step summary ---------------------------------------------------


def _verb(op: Op) -> str:
    if isinstance(op, CreateIssue):
        return "opened"
    if isinstance(op, AddComment):
        return "commented on"
    if isinstance(op, UpdateIssue) and op.state == "closed":
        return "closed"
    if isinstance(op, UpdateIssue) and op.state == "open":
        return "reopened"
    return "updated"


def changes(report: RunReport) -> list[Change]:
    """What the run did (or, in a dry run, would do) to issues, for the step summary."""
    if report.dry_run:
        return [Change(_verb(op), op.describe(), "") for op in report.planned if _touches(op)]
    return [
        Change(_verb(a.op), a.op.describe(), a.html_url or "")
        for a in report.applied
        if _touches(a.op) and not a.refused
    ]


def _touches(op: Op) -> bool:
    return isinstance(op, CreateIssue | AddComment | UpdateIssue)


def outputs(report: RunReport) -> dict[str, str]:
    """The action's outputs: issue numbers as JSON lists, and the request count."""
    numbers: dict[str, list[int]] = {"opened": [], "closed": [], "commented": []}
    for applied in report.applied:
        verb = _verb(applied.op)
        key = {"opened": "opened", "closed": "closed", "commented on": "commented"}.get(verb)
        if key and applied.number is not None and applied.number not in numbers[key]:
            numbers[key].append(applied.number)
    values = {key: json.dumps(found) for key, found in numbers.items()}
    values["requests"] = str(report.requests)
    return values


def skips(report: RunReport) -> list[Skip]:
    """What the run left alone, and why: an ignored event, or ops left for the next run."""
    found = [Skip(f"{report.event} event", report.ignored)] if report.ignored else []
    reason = f"left for the next run: {report.stopped}"
    found += [Skip(op.describe(), reason) for op in report.left]
    found += [
        Skip(a.op.describe(), f"not written: {a.refused}") for a in report.applied if a.refused
    ]
    return found + [_notice(text) for text in report.notices]


def _notice(text: str) -> Skip:
    subject, _, reason = text.partition(": ")
    return Skip(subject, reason) if reason else Skip("note", text)


def failed(report: RunReport) -> list[Skip]:
    """Each item the run could not settle, with the step and GitHub's answer."""
    found = [
        Skip(f.item, f"{f.step} failed{_status(f.status)}: {f.message}") for f in report.failures
    ]
    if report.held:
        held = "; ".join(op.describe() for op in report.held)
        found.append(Skip("held back with their failed item", held))
    return found


def _status(status: int | None) -> str:
    return "" if status is None else f" ({status})"


def publish(report: RunReport, runtime: ActionsRuntime) -> None:
    """Write the outputs, an error annotation per failed item, and the step summary (all no-ops
    outside Actions)."""
    for name, value in outputs(report).items():
        runtime.set_output(name, value)
    for failure in report.failures:
        runtime.error(str(failure), title="ritual-bot: an item failed; the next run retries it")
    runtime.append_summary(
        run_summary(
            changes(report),
            skips(report),
            requests=report.requests,
            rate_remaining=report.rate_remaining,
            dry_run=report.dry_run,
            failed=failed(report),
        )
    )
