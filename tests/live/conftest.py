"""Live mode fixtures: record the gateway flows against real GitHub into cassettes/live.

Everything here is inert unless ``RITUAL_BOT_LIVE_TOKEN`` and ``RITUAL_BOT_LIVE_REPO`` are set:
the live tests are skipped (with the reason) before any fixture runs.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from ritual_bot.clock import SystemClock
from tests.gateway import recording
from tests.live.live import SKIP_REASON, Live, connect, settings_from


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    recording.configure(vcr)


@pytest.fixture(scope="session")
def live() -> Live:
    # Session-scoped, so the preflight (GET /user, GET /repos/…) runs before any cassette opens
    # and is never recorded.
    settings = settings_from(os.environ)
    if settings is None:
        pytest.skip(SKIP_REASON)
    return connect(settings, SystemClock().now())


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(recording.LIVE_CASSETTES)


@pytest.fixture
def vcr_config(live: Live) -> dict[str, Any]:
    # "all": always talk to GitHub and overwrite, whatever --record-mode says.
    return {**recording.vcr_options(live.rewrites), "record_mode": "all"}


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    return recording.cassette_name(request.node)
