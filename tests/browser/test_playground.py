"""A person in the playground, in real headless Chromium: reads the digest with its chart drawn,
approves a decision as a stakeholder, and lives a week in a click."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ritual_bot.sandbox.bot import open_playground


@pytest.fixture
def site() -> Iterator[str]:
    playground = open_playground(story=True)  # the demo's two weeks, lived from 2026-11-23
    with playground.sandbox.serve() as url:
        yield url


def _drawn(page: Any) -> None:
    """Every page says when its Mermaid charts are drawn (playground.js)."""
    page.wait_for_selector("body[data-mermaid=done]", timeout=20_000)


def test_read_the_digest_approve_a_decision_and_live_a_week(
    browser: Any, site: str, screenshots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # A script error or a Content-Security-Policy refusal shows in the console.
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/acme/team/issues")
    page.screenshot(path=screenshots / "1-issues.png", full_page=True)

    # The digest, with its participation chart drawn as an SVG by the vendored Mermaid.
    page.get_by_role("link", name="HPFO digest 2026-W49").click()  # this week's, provisional
    _drawn(page)
    assert page.locator("pre.mermaid svg").count() == 1
    assert "mermaid" not in page.locator("article#issue-body .markdown").inner_text().lower()
    page.screenshot(path=screenshots / "2-digest.png", full_page=True)

    # alice (the first person, an admin) opens a decision from the shipped issue form.
    page.goto(f"{site}/acme/team/issues/new")
    page.get_by_role("link", name="Decision").click()
    page.get_by_label("Title").fill("Adopt trunk-based development")
    page.get_by_label("Context").fill("Long-lived branches keep hurting us.")
    page.get_by_role("button", name="Open issue as alice").click()
    _drawn(page)
    bob_row = page.locator("#issue-body li.task-list-item", has_text="bob")
    assert bob_row.locator("input[checked]").count() == 0

    # bob is a stakeholder: he switches identity and approves; the checklist ticks him off.
    page.get_by_label("You are").select_option("bob")
    page.get_by_role("button", name="Switch").click()
    page.get_by_label("Comment as bob").fill("/approve\nShort-lived branches, yes.")
    page.get_by_role("button", name="Comment", exact=True).click()
    _drawn(page)
    assert bob_row.locator("input[checked]").count() == 1
    assert "issue_comment.created by bob" in page.locator("aside").inner_text()
    page.screenshot(path=screenshots / "3-decision-approved.png", full_page=True)

    # A week later: week 49 has closed with its summary, week 50 is open.
    page.get_by_role("button", name="+1 week").click()
    page.goto(f"{site}/acme/team/issues?state=all")
    page.get_by_role("link", name="HPFO 2026-W49 · @alice").click()
    _drawn(page)
    assert page.locator(".state.closed").count() == 1
    assert "Summary" in page.locator("#issue-body").inner_text()
    page.screenshot(path=screenshots / "4-week-closed.png", full_page=True)
    page.goto(f"{site}/acme/team/issues")
    assert page.get_by_role("link", name="HPFO 2026-W50 · @alice").count() == 1
    assert errors == []
