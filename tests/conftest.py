"""Fixtures shared by every test folder: a fixed clock and a GitHub sandbox served on loopback;
and the hypothesis profile every property test runs under."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from ritual_bot import gateway as gateway_module
from ritual_bot.clock import FixedClock
from tests.support import ISSUED_TOKENS, World, leaks, served_world

# Property tests must give every run the same answer (issue 10). No example database, anywhere: a
# failure found once was saved in .hypothesis/ and replayed first on every later run, so one
# unlucky draw broke a newcomer's checkout for good. No deadline and no too-slow health check:
# both depend on the machine's speed. Under CI (`CI=true bash .ci/run`) the examples are also
# derandomized, drawn from a seed fixed by each test's source; locally they stay random, to keep
# finding new cases, and a failure prints its example and a `@reproduce_failure` blob. Run
# `pytest --hypothesis-profile=ci` to get CI's examples, or `--hypothesis-profile=dev` under CI.
settings.register_profile(
    "dev",
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("ci", settings.get_profile("dev"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() not in ("", "0", "false") else "dev")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test's own ``@settings`` builds on the profile; none may take back what it turned off."""
    profile = settings()  # the loaded profile, as every test sees it
    loose = []
    for item in items:
        test: Any = getattr(item, "obj", None)
        if not getattr(test, "is_hypothesis_test", False):
            continue
        own = test._hypothesis_internal_use_settings  # set by @given, @settings or not
        if own.database is not None or (profile.derandomize and not own.derandomize):
            loose.append(item.nodeid)
    if loose:
        raise pytest.UsageError(
            "these property tests set a database or randomness that the hypothesis profile"
            " turns off (see tests/conftest.py): " + ", ".join(loose)
        )


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


@pytest.fixture(autouse=True)
def _virtual_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A gateway built without a Resilience (the CLI's) spaces writes with ``time``: in tests it
    gets a virtual clock that sleeping moves, so nothing really waits."""
    now = [time.time()]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr(gateway_module, "time", SimpleNamespace(sleep=sleep, time=lambda: now[0]))
