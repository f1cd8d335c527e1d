"""Real headless Chromium (Debian's ``chromium``) driven by Playwright for Python.

Playwright's own browser download cannot run here (and is not wanted): it launches the system
binary. Outside CI a machine without Chromium or Playwright skips these tests and says why; in CI
(``CI=true``, which GitHub Actions sets) a missing browser fails them, so they never pass by
being skipped. ``.ci/run`` installs Chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
# What works on a closed network: without the background-networking flags Chromium keeps trying
# to reach Google's hosts (/work/.library/env/machines/python.md, "chromium").
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def chromium_path() -> str | None:
    """``RITUAL_BOT_CHROMIUM`` when set (and only it), else Debian's ``chromium``."""
    chosen = (
        os.environ.get("RITUAL_BOT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    )
    return chosen if Path(chosen).is_file() else None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        _unavailable("no Chromium found (apt-get install chromium, or set RITUAL_BOT_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as driver:
        # Playwright gives each launch a fresh, empty profile directory.
        launched = driver.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"playground screenshots: {SCREENSHOTS}")
