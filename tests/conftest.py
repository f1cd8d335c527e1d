"""Fixtures shared by every test folder: a fixed clock and a GitHub sandbox served on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from ritual_bot.clock import FixedClock
from tests.support import ISSUED_TOKENS, World, leaks, served_world

_LEAKS: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Look for any issued token in everything each test printed or logged."""
    captured = "\n".join((report.capstdout, report.capstderr, report.caplog))
    for secret in leaks(captured, ISSUED_TOKENS):
        _LEAKS.append(f"{report.nodeid} ({report.when}) printed a token ending in {secret[-4:]}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _LEAKS:
        print("\nTOKEN LEAKS:\n" + "\n".join(_LEAKS))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 6, 0, tzinfo=UTC))  # Monday of 2026-W48


@pytest.fixture
def world(clock: FixedClock) -> Iterator[World]:
    with served_world(clock) as served:
        yield served
