"""Cold start of the action: a fresh virtualenv install of the package, then the first run.

Run: .venv/bin/python benchmarks/cold_start.py [--repeat N]   (needs PyPI; a few minutes at most)

For each installer it creates a new virtualenv, installs this repository's package into it with
no download cache (as on a fresh runner), and times the first ``ritual-bot run --dry-run`` of a
``workflow_dispatch`` event against the seeded sandbox (acme/team, 4 members: it plans the
week's check-ins). Rows:

- ``pip``: ``python -m venv`` + ``pip install`` (what a plain composite action would do);
- ``uv (action.yml)``: the install step of action.yml itself, run as the runner runs it (pip
  fetches the pinned uv, uv installs the package);
- ``uv (already on the runner)``: the same without fetching uv, e.g. on a runner image with uv.

Prints seconds (install, first run, total) and the installed size in MiB (the virtualenv, plus
uv itself where it is downloaded). Not a test: figures depend on the network and the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the runner emulation lives with the tests

from ritual_bot.demo.team import REPO, seeded_sandbox  # noqa: E402
from tests.action.harness import Runner, host_environment, load_action  # noqa: E402

CONFIG = ROOT / ".github" / "rituals.yml"  # the demo team, as the self-test uses it
MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    install: float
    first_run: float
    size: int  # bytes


@dataclass(frozen=True)
class Sandbox:
    url: str
    token: str


def size_of(*paths: Path) -> int:
    return sum(f.stat().st_size for p in paths if p.exists() for f in p.rglob("*") if f.is_file())


def clean_env() -> dict[str, str]:
    """The machine's environment without download caches (a fresh runner has none)."""
    env = host_environment()
    env.update({"PIP_NO_CACHE_DIR": "1", "UV_NO_CACHE": "1", "PYTHONDONTWRITEBYTECODE": ""})
    return env


def timed(command: list[str], env: Mapping[str, str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=dict(env), cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def first_run(bin_dir: Path, sandbox: Sandbox) -> float:
    env = {
        **host_environment(),
        "GITHUB_TOKEN": sandbox.token,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": sandbox.url,
        "GITHUB_EVENT_NAME": "workflow_dispatch",
    }
    command = [str(bin_dir / "ritual-bot"), "run", "--config", str(CONFIG), "--dry-run"]
    return timed(command, env)


def with_pip(work: Path, sandbox: Sandbox) -> Sample:
    venv = work / "venv"
    env = clean_env()
    install = timed([sys.executable, "-m", "venv", str(venv)], env)
    install += timed([str(venv / "bin" / "pip"), "install", "--quiet", str(ROOT)], env)
    return Sample(install, first_run(venv / "bin", sandbox), size_of(venv))


def with_action_step(work: Path, sandbox: Sandbox) -> Sample:
    """The install step parsed from action.yml, executed as the runner would."""
    action = load_action()
    steps = action["runs"]["steps"]
    install_only = {**action, "runs": {**action["runs"], "steps": steps[:2]}, "outputs": {}}
    (work / "workspace").mkdir()
    runner = Runner(
        workspace=work / "workspace",
        temp=work,
        api_url=sandbox.url,
        repository=REPO,
        token=sandbox.token,
        base_env={"PIP_NO_CACHE_DIR": "1", "UV_NO_CACHE": "1"},
    )
    started = time.perf_counter()
    result = runner.run(
        "workflow_dispatch",
        {},
        uses_outputs={"python": {"python-path": sys.executable}},
        action=install_only,
    )
    install = time.perf_counter() - started
    if not result.ok:
        raise RuntimeError(result.explain())
    bin_dir = Path(result.steps[0].outputs["bin"])
    return Sample(install, first_run(bin_dir, sandbox), size_of(work / "ritual-bot"))


def with_uv_present(work: Path, sandbox: Sandbox) -> Sample:
    uv = shutil.which("uv", path=os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin"]))
    if uv is None:
        raise RuntimeError("uv is not installed next to this interpreter (pip install uv)")
    venv = work / "venv"
    env = clean_env()
    install = timed([sys.executable, "-m", "venv", "--without-pip", str(venv)], env)
    python = str(venv / "bin" / "python")
    install += timed([uv, "pip", "install", "--quiet", "--python", python, str(ROOT)], env)
    return Sample(install, first_run(venv / "bin", sandbox), size_of(venv))


@contextmanager
def served_sandbox() -> Iterator[Sandbox]:
    box, tokens = seeded_sandbox()
    with box.serve() as url:
        yield Sandbox(url, tokens["github-actions[bot]"])


VARIANTS: dict[str, Callable[[Path, Sandbox], Sample]] = {
    "pip": with_pip,
    "uv (action.yml)": with_action_step,
    "uv (already on the runner)": with_uv_present,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per variant (median shown)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {args.repeat} run(s) per variant, no download cache")
    print(f"{'installer':<28}{'install s':>10}{'1st run s':>11}{'total s':>9}{'size MiB':>10}")
    with served_sandbox() as sandbox:
        for name, measure in VARIANTS.items():
            samples = []
            for _ in range(args.repeat):
                with tempfile.TemporaryDirectory(prefix="ritual-bot-cold-") as work:
                    samples.append(measure(Path(work), sandbox))
            install = statistics.median(s.install for s in samples)
            run = statistics.median(s.first_run for s in samples)
            size = statistics.median(s.size for s in samples) / MIB
            print(f"{name:<28}{install:>10.1f}{run:>11.2f}{install + run:>9.1f}{size:>10.1f}")


if __name__ == "__main__":
    main()
