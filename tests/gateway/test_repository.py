"""The repository read (visibility and last push), for the 60-day schedule warning."""

from __future__ import annotations

from datetime import timedelta

from tests.support import REPO, World


def test_the_repository_read_is_one_get_with_its_visibility_and_last_push(world: World) -> None:
    pushed = world.clock.now() - timedelta(days=55)
    with world.sandbox.state.lock:
        repo = world.sandbox._repo(REPO)
        repo.private, repo.pushed_at = False, pushed
    world.sandbox.clear_requests()
    gateway = world.gateway()
    found = gateway.repository()
    assert found.private is False
    assert found.pushed_at == pushed.replace(microsecond=0)
    assert [(r.method, r.path) for r in world.sandbox.requests] == [("GET", f"/repos/{REPO}")]
