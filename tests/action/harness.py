"""Run ``action.yml`` the way the Actions runner runs a composite action, without a runner.

The steps are parsed from ``action.yml`` (never copied) and executed in order:

- the job's environment is what the runner provides: ``GITHUB_*`` (``GITHUB_ACTIONS=true``,
  ``GITHUB_EVENT_NAME``, ``GITHUB_EVENT_PATH`` pointing at the payload file written here,
  ``GITHUB_REPOSITORY``, ``GITHUB_API_URL``, ``GITHUB_WORKSPACE``, ``GITHUB_ACTION_PATH``),
  ``RUNNER_TEMP`` and ``RUNNER_OS``;
- the caller's ``with:`` values become the ``inputs`` context, defaults filled in and evaluated.
  A composite action's ``run:`` steps get **no** ``INPUT_*`` variables (unlike JavaScript and Docker
  actions): inputs reach a step only through its ``env:`` mapping, which is what is evaluated here;
- each ``run:`` step runs as ``shell: bash`` does on the runner (``bash --noprofile --norc -eo
  pipefail FILE``) in the workspace, with its own ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY``
  files; its outputs feed ``steps.<id>.outputs`` for the steps after it and the action's outputs;
- a ``uses:`` step (setup-python) is not run: the test says what its outputs would be.

Only the expressions the action uses are supported — context property paths such as
``${{ inputs.config }}`` or ``${{ steps.install.outputs.bin }}``; anything else fails loudly, so
the harness never silently evaluates an expression differently from the runner.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ritual_bot.clock import SystemClock
from tests.support import REPO, World

ROOT = Path(__file__).resolve().parents[2]
ACTION_FILE = ROOT / "action.yml"

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_PROPERTY_PATH = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*")
_NOT_INHERITED = ("GITHUB_", "RUNNER_", "INPUT_", "ACTIONS_", "RITUAL_BOT_")


class UnsupportedExpression(ValueError):
    pass


def load_action(path: Path = ACTION_FILE) -> dict[str, Any]:
    action = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(action, dict)
    return action


def evaluate(text: str, contexts: Mapping[str, Any]) -> str:
    """``text`` with each ``${{ context.path }}`` replaced as the runner would (missing → "")."""

    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if not _PROPERTY_PATH.fullmatch(expression):
            raise UnsupportedExpression(expression)
        if expression.split(".")[0] not in contexts:  # the runner: "Unrecognized named-value"
            raise UnsupportedExpression(f"unknown context in {expression}")
        found: Any = contexts
        for key in expression.split("."):
            found = found.get(key) if isinstance(found, Mapping) else None
        if found is None:
            return ""
        if isinstance(found, bool):
            return "true" if found else "false"
        return found if isinstance(found, str) else json.dumps(found)

    return _EXPRESSION.sub(value, text)


def parse_output_file(text: str) -> dict[str, str]:
    """Read a ``GITHUB_OUTPUT`` file: ``name=value`` lines and ``name<<DELIM`` heredocs."""
    outputs: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body: list[str] = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            else:
                raise ValueError(f"output {name!r}: delimiter {delimiter!r} never closed")
            outputs[name] = "\n".join(body)
        else:
            name, _, rest = line.partition("=")
            outputs[name] = rest
    return outputs


@dataclass
class StepRun:
    name: str
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""


@dataclass
class ActionRun:
    steps: list[StepRun]
    outputs: dict[str, str]

    @property
    def ok(self) -> bool:
        return all(step.returncode == 0 for step in self.steps)

    @property
    def stdout(self) -> str:
        return "".join(step.stdout for step in self.steps)

    @property
    def summary(self) -> str:
        return "".join(step.summary for step in self.steps)

    def explain(self) -> str:
        return "\n".join(
            f"--- {s.name}: exit {s.returncode}\n{s.stdout}\n{s.stderr}" for s in self.steps
        )


@dataclass
class Runner:
    """One job's runner: where files go, and the ``github`` context the action sees."""

    workspace: Path
    temp: Path
    api_url: str
    repository: str
    token: str
    action_dir: Path = ROOT
    base_env: Mapping[str, str] = field(default_factory=dict)

    def run(
        self,
        event_name: str,
        payload: Mapping[str, Any],
        *,
        with_: Mapping[str, str] | None = None,
        uses_outputs: Mapping[str, Mapping[str, str]] | None = None,
        action: Mapping[str, Any] | None = None,
    ) -> ActionRun:
        action = action or load_action(self.action_dir / "action.yml")
        event_path = self.temp / "event.json"
        event_path.write_text(json.dumps(payload), encoding="utf-8")
        github = {
            "action_path": str(self.action_dir),
            "api_url": self.api_url,
            "event_name": event_name,
            "event_path": str(event_path),
            "repository": self.repository,
            "token": self.token,
            "workspace": str(self.workspace),
            "event": payload,
        }
        contexts: dict[str, Any] = {"github": github, "runner": {"temp": str(self.temp)}}
        contexts["inputs"] = _inputs(action, with_ or {}, contexts)
        job_env = {
            **host_environment(),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTION_PATH": str(self.action_dir),
            "GITHUB_API_URL": self.api_url,
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": self.repository,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_WORKSPACE": str(self.workspace),
            "RUNNER_OS": "Linux",
            "RUNNER_TEMP": str(self.temp),
            **self.base_env,
        }
        steps: dict[str, dict[str, Any]] = {}
        contexts["steps"] = steps
        done: list[StepRun] = []
        for index, step in enumerate(action["runs"]["steps"]):
            step_id = step.get("id", f"__{index}")
            name = step.get("name", step_id)
            if "uses" in step:
                # Evaluate `with:` anyway, so a broken expression there fails the test too.
                {k: evaluate(str(v), contexts) for k, v in step.get("with", {}).items()}
                given = dict((uses_outputs or {}).get(step_id, {}))
                steps[step_id] = {"outputs": given}
                continue
            ran = self._run_step(index, name, step, job_env, contexts)
            done.append(ran)
            steps[step_id] = {"outputs": ran.outputs}
            if ran.returncode != 0:
                break
        outputs = {
            key: evaluate(str(spec.get("value", "")), contexts)
            for key, spec in action.get("outputs", {}).items()
        }
        return ActionRun(done, outputs)

    def _run_step(
        self,
        index: int,
        name: str,
        step: Mapping[str, Any],
        job_env: Mapping[str, str],
        contexts: Mapping[str, Any],
    ) -> StepRun:
        assert step.get("shell") == "bash", f"step {name!r}: only shell: bash is emulated"
        script = self.temp / f"step-{index}.sh"
        script.write_text(str(step["run"]), encoding="utf-8")
        output_file = self.temp / f"output-{index}"
        summary_file = self.temp / f"summary-{index}"
        output_file.touch()
        summary_file.touch()
        env = dict(job_env)
        env.update({k: evaluate(str(v), contexts) for k, v in step.get("env", {}).items()})
        env["GITHUB_OUTPUT"] = str(output_file)
        env["GITHUB_STEP_SUMMARY"] = str(summary_file)
        process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        return StepRun(
            name,
            process.returncode,
            process.stdout,
            process.stderr,
            parse_output_file(output_file.read_text(encoding="utf-8")),
            summary_file.read_text(encoding="utf-8"),
        )


def host_environment() -> dict[str, str]:
    """The machine's environment, as a runner passes its own to every step (PATH, HOME, proxy
    and CA settings), less anything that would leak this process's runner or token variables."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(_NOT_INHERITED) and name not in {"GH_TOKEN", "CI"}
    }


def _inputs(
    action: Mapping[str, Any], given: Mapping[str, str], contexts: Mapping[str, Any]
) -> dict[str, str]:
    declared = action.get("inputs", {})
    unknown = set(given) - set(declared)
    assert not unknown, f"inputs not declared in action.yml: {sorted(unknown)}"
    return {
        name: given[name] if name in given else evaluate(str(spec.get("default", "")), contexts)
        for name, spec in declared.items()
    }


def job_runner(world: World, tmp_path: Path, config: str, team: Sequence[str]) -> Runner:
    """A runner whose checkout holds ``config``, talking to the world's sandbox as the bot, with
    the package already installed in this interpreter (one separate test installs it for real)."""
    assert (Path(sys.prefix) / "bin" / "ritual-bot").exists(), (
        "install the package: pip install -e ."
    )
    world.add_members(list(team))
    world.clock.set(SystemClock().now())  # the program runs on the real clock: keep them equal
    workspace = tmp_path / "workspace"
    (workspace / ".github").mkdir(parents=True)
    (workspace / ".github" / "rituals.yml").write_text(config)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    return Runner(
        workspace=workspace,
        temp=temp,
        api_url=world.url,
        repository=REPO,
        token=world.bot_token,
        base_env={"RITUAL_BOT_VENV": sys.prefix},
    )
