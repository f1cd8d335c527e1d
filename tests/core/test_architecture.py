"""The shape DESIGN.md asks for, checked on the source: one gateway, one clock seam."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[2] / "src" / "ritual_bot"


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_the_gateway_imports_pygithub() -> None:
    importers = [p.relative_to(SRC).as_posix() for p in modules() if "github" in imported_roots(p)]
    assert importers == ["gateway.py"]


def test_only_the_clock_reads_the_current_date_and_time() -> None:
    reads = re.compile(r"datetime\.(now|utcnow|today)\(|date\.today\(")
    readers = [
        p.relative_to(SRC).as_posix() for p in modules() if reads.search(p.read_text("utf-8"))
    ]
    assert readers == ["clock.py"]


def test_importing_every_module_has_no_side_effects() -> None:
    names = [
        ".".join(("ritual_bot", *p.relative_to(SRC).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for p in modules()
    ]
    script = (
        "import importlib, threading\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
