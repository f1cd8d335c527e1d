"""The shape DESIGN.md asks for, checked on the source: one gateway, one clock seam, one package
per ritual with the shared machinery below them."""

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


def imported_modules(path: Path) -> set[str]:
    """Every absolute module a file imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


RITUALS = SRC / "rituals"


def ritual_packages() -> list[str]:
    """The ritual packages: every folder under rituals/ with a ``ritual.py``. Shared machinery
    (signoff/, keyresults/) has none."""
    return sorted(p.name for p in RITUALS.iterdir() if (p / "ritual.py").is_file())


def ritual_imported_by(path: Path) -> set[str]:
    prefix = "ritual_bot.rituals."
    return {
        name.removeprefix(prefix).split(".")[0]
        for name in imported_modules(path)
        if name.startswith(prefix)
    } & set(ritual_packages())


def test_each_ritual_is_a_package_and_the_registry_lists_them_all() -> None:
    from ritual_bot.rituals.registry import RITUALS as REGISTERED

    assert ritual_packages() == ["decisions", "hpfo", "okrs", "onboarding", "review"]
    listed = {ritual.__module__.split(".")[2] for ritual in REGISTERED}
    assert listed == set(ritual_packages())


def test_a_ritual_package_imports_no_other_ritual_only_shared_modules() -> None:
    crossing = {
        p.relative_to(SRC).as_posix(): sorted(ritual_imported_by(p) - {p.parent.name})
        for name in ritual_packages()
        for p in sorted((RITUALS / name).rglob("*.py"))
    }
    assert {path: found for path, found in crossing.items() if found} == {}


def test_only_the_registry_and_the_edges_import_a_ritual_package() -> None:
    # Shared machinery (rituals/base.py, signoff/, mermaid.py, the pure modules, the runner) sits
    # below the rituals; the CLI, ``init`` and the demo name a ritual's parts on purpose.
    # ``config.py`` composes each ritual's config section into the one typed ``Config``.
    allowed = {"rituals/registry.py", "config.py", "cli.py", "init.py", "demo/story.py"}
    importers = {
        p.relative_to(SRC).as_posix()
        for p in modules()
        if ritual_imported_by(p) and not _inside_a_ritual(p)
    }
    assert importers <= allowed, importers - allowed


def test_the_generic_config_loader_imports_no_ritual_and_not_the_composed_config() -> None:
    # A ritual's config module imports the loader: the loader importing back would be a cycle.
    found = imported_modules(SRC / "config_loader.py")
    assert {m for m in found if m.startswith(("ritual_bot.rituals", "ritual_bot.config."))} == set()


def test_a_ritual_config_module_imports_only_the_shared_loader() -> None:
    # ``ritual_bot.config`` imports these modules to compose ``Config``; anything of the ritual
    # (its ritual.py imports ``Config``) or of ``ritual_bot.config`` would close a cycle.
    imports = {
        name: sorted(m for m in imported_modules(RITUALS / name / "config.py") if "ritual_bot" in m)
        for name in ritual_packages()
        if (RITUALS / name / "config.py").is_file()
    }
    assert set(imports) == {"decisions", "hpfo", "okrs", "onboarding", "review"}
    outside = {
        name: [m for m in found if not m.startswith("ritual_bot.config_loader.")]
        for name, found in imports.items()
    }
    assert outside == {
        "decisions": [],
        "hpfo": [],
        "okrs": [],
        "onboarding": [],
        "review": [],
    }


def _inside_a_ritual(path: Path) -> bool:
    return path.is_relative_to(RITUALS) and path.relative_to(RITUALS).parts[0] in ritual_packages()


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
