"""Fixtures for the decision scenarios."""

from __future__ import annotations

import pytest

from tests.decisions.helpers import Team
from tests.support import World


@pytest.fixture
def team(world: World) -> Team:
    world.at("2026-11-23T09:00")  # Monday 10:00 in Paris
    return Team.seed(world)
