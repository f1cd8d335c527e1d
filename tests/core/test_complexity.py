"""CPU grows with the work, never faster (issue 11, point 5): pinned by counting, not timing.

Each step runs on n and 4n items built by ``benchmarks/cpu.py`` (the same scenarios it times).
What is counted is deterministic: Python function calls (``sys.setprofile``, C calls included)
and Markdown parses. Linear work grows about 4x from n to 4n; a quadratic step grows 16x, so a
bound of 4.5x catches one even where it is a small part of the total. No timing: CI is shared
and noisy.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest
from benchmarks import cpu

from ritual_bot import answers, markdown

LINEAR = 4.5  # the most that 4x the work may cost, as a factor


def _clear_caches() -> None:
    """Each measure starts cold, so n and 4n pay for the same things."""
    markdown._tokens.cache_clear()
    answers._lookup.cache_clear()


def calls(work: Callable[[], object]) -> int:
    """How many Python and C functions ``work`` calls (generator resumptions included)."""
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    _clear_caches()
    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
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
    return calls(large) / calls(small)


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
    # Each comment once; then the notes joined, and the few lines the summary shortens.
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
