"""The review team in the sandbox: alice, bob, carol and dave, each with write access."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import REPO, World, served_world


@pytest.fixture
def world() -> Iterator[World]:
    with served_world() as world:
        for login in ("alice", "bob", "carol", "dave"):
            world.sandbox.add_user(login)
            world.sandbox.set_permission(REPO, login, "write")
        yield world
