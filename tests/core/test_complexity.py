"""CPU grows with the work, never faster (issue 11, point 5): pinned by counting, not timing.

Each step runs on n and 4n items built by ``benchmarks/cpu.py`` (the same scenarios it times).
What is counted is deterministic: lines of ritual-bot's code executed (``sys.settrace``) and
Markdown parses. Linear work grows about 4x from n to 4n; a quadratic step grows 16x, so a
bound of 4.5x catches one even where it is a small part of the total. No timing: CI is shared
and noisy.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import FrameType
from typing import Any

import pytest
from benchmarks import cpu

from ritual_bot import answers, markdown
from ritual_bot.model import User

LINEAR = 4.5  # the most that 4x the work may cost, as a factor
_OURS = f"{os.sep}ritual_bot{os.sep}"


def _clear_caches() -> None:
    """Each measure starts cold, so n and 4n pay for the same things."""
    markdown._tokens.cache_clear()
    answers._lookup.cache_clear()


def lines(work: Callable[[], object]) -> int:
    """How many lines of ritual-bot's own code ``work`` executes, loop iterations included
    (``sys.settrace`` line events; a one-line scan such as ``next(x for x in xs if …)``
    counts once per item). Libraries are not traced: a parse costs what its caller's line
    costs, so a loop of ours is not drowned by markdown-it's work."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        return local if _OURS in frame.f_code.co_filename else None

    _clear_caches()
    sys.settrace(tracer)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


@contextmanager
def counted_parses() -> Iterator[list[str]]:
    """Every text markdown-it parses while the block runs."""
    parsed: list[str] = []
    real = markdown._parser()

    class Counting:
        def parse(self, text: str) -> Any:
            parsed.append(text)
            return real.parse(text)

    _clear_caches()
    original = markdown._parser
    markdown._parser = lambda: Counting()  # type: ignore[assignment]
    try:
        yield parsed
    finally:
        markdown._parser = original
        _clear_caches()


def growth(build: Callable[[int], Callable[[], object]], n: int) -> float:
    small, large = build(n), build(4 * n)
    return lines(large) / lines(small)


@pytest.mark.parametrize(
    ("step", "n"),
    [
        (cpu.summary_step, 100),
        (cpu.close_step, 100),
        (cpu.answers_step, 100),
        (cpu.idle_step, 25),
        (cpu.monday_step, 25),
    ],
    ids=["summary", "close", "answers", "idle", "monday"],
)
def test_each_step_grows_linearly(step: Callable[[int], Callable[[], object]], n: int) -> None:
    assert growth(step, n) < LINEAR


def test_one_persons_long_thread_is_parsed_about_once_a_comment() -> None:
    """Summarising and closing a monologue: each comment's text parsed a bounded number of
    times (it was parsed by every pass over the thread, and compared with all later ones)."""
    size = 200
    summarise, close = cpu.summary_step(size), cpu.close_step(size)
    with counted_parses() as parsed:
        summarise()
    assert len(parsed) <= 2 * size  # its lines, then its prose (the same text: one parse)
    with counted_parses() as parsed:
        close()
    # Each comment once; then the first notes the gist needs, and the few lines it shortens.
    assert len(parsed) <= size + 25


def test_an_idle_run_parses_no_markdown() -> None:
    """Nothing due: whether a check-in needs a reminder or a /skip is known without a parse."""
    plan = cpu.idle_step(30)
    with counted_parses() as parsed:
        plan()
    assert parsed == []


def test_a_monday_plan_parses_a_bounded_number_of_texts_per_member() -> None:
    """Each thread once to close it, and each item the summaries and the digest shorten (about
    twenty a member in this scenario): a bound per member, whatever the team's size."""
    for members in (10, 40):
        plan = cpu.monday_step(members)
        with counted_parses() as parsed:
            plan()
        assert len(parsed) <= 25 * members


class Counted(tuple):  # type: ignore[type-arg]
    """A tuple that counts the items read by iterating it: a scan inside a loop shows."""

    reads = 0

    def __iter__(self) -> Iterator[Any]:
        for item in super().__iter__():
            Counted.reads += 1
            yield item


def scans(members: int, *, monday: bool) -> int:
    """Items read from the snapshot's issues and the config's members while planning."""
    run = cpu.team_run(members, monday=monday)
    config = replace(run.ctx.config, members=Counted(run.ctx.config.members))
    ctx = replace(run.ctx, config=config)
    snapshot = replace(run.snapshot, issues=Counted(run.snapshot.issues))
    Counted.reads = 0
    cpu.plan_run(cpu.Run(ctx, snapshot))
    return Counted.reads


@pytest.mark.parametrize("monday", [False, True], ids=["idle", "monday"])
def test_planning_reads_the_issues_and_members_a_bounded_number_of_times(monday: bool) -> None:
    """No look-up scans the team or the issues per member or per op (Config.member,
    Snapshot.issue, pending's markers were all scans): each is read a few times a run."""
    small, large = scans(20, monday=monday), scans(80, monday=monday)
    assert large / small < LINEAR
    assert large <= 40 * 80  # two issues a member: about a dozen passes over each


@pytest.mark.parametrize("step", [cpu.summary_step, cpu.close_step], ids=["summary", "close"])
def test_who_answered_whom_is_found_in_one_pass(
    step: Callable[[int], Callable[[], object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Open questions: comparing each comment's author with every later one was quadratic in
    one person's thread; the closing run of the last author is found from the end."""
    compared = 0
    same = User.same

    def counting(user: User, login: str) -> bool:
        nonlocal compared
        compared += 1
        return same(user, login)

    monkeypatch.setattr(User, "same", counting)
    counts = []
    for size in (100, 400):
        work = step(size)
        compared = 0
        work()
        counts.append(compared)
    assert counts[1] / counts[0] < LINEAR
    assert counts[1] <= 4 * 400
