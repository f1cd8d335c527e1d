"""Fixtures shared by every test folder: a fixed clock and a GitHub sandbox served on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from ritual_bot.clock import FixedClock
from tests.support import World, served_world


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 6, 0, tzinfo=UTC))  # Monday of 2026-W48


@pytest.fixture
def world(clock: FixedClock) -> Iterator[World]:
    with served_world(clock) as served:
        yield served
