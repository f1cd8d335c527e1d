"""Cassette fixtures for the gateway flows (pytest-recording on vcrpy).

Default, record mode ``none``: the gateway points at ``FAKE_API_URL`` and every answer comes from
``tests/data/cassettes/sandbox``; a request that is not in the cassette fails the test, and so
does a cassette not played to the end. With ``--record-mode=rewrite`` a fresh sandbox is served
for each flow and its cassette is written again (see ``tests/live/README.md``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.gateway import recording
from tests.gateway.flows import Target, replay_target, sandbox_target


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    recording.configure(vcr)


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(recording.SANDBOX_CASSETTES)


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return recording.vcr_options(recording.SANDBOX_REWRITES)


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    return recording.cassette_name(request.node)


@pytest.fixture
def target(record_mode: str) -> Iterator[Target]:
    if record_mode == "none":
        yield replay_target()
    else:
        with sandbox_target() as served:
            yield served


@pytest.fixture(autouse=True)
def _cassette_played_to_the_end(vcr: Any, record_mode: str) -> Iterator[None]:
    # PyGithub's own replay tests check the recording is used up: a request the gateway stopped
    # making is as much a change in the conversation as a new one.
    yield
    if vcr is not None and record_mode == "none":
        assert vcr.all_played, f"{vcr.play_count} of {len(vcr)} recorded requests were made"
