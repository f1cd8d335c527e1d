"""The action's docs cannot drift: the config reference is generated from the schema, and the
usage page lists exactly the action's inputs, outputs and the workflow `init` writes."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from ritual_bot.init import published_action, workflow_text
from tests.action.harness import load_action
from tests.action.tools import ROOT

DOCS = ROOT / "docs"
USAGE = (DOCS / "action.md").read_text(encoding="utf-8")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("config_reference", DOCS / "config_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _table(heading: str) -> dict[str, list[str]]:
    """Rows of the Markdown table whose header starts with ``| heading |``, by first cell."""
    block = USAGE[USAGE.index(f"| {heading} |") :].split("\n\n")[0]
    rows = [line.strip("|").split(" | ") for line in block.splitlines()[2:]]
    return {row[0].strip().strip("`"): [cell.strip() for cell in row[1:]] for row in rows}


def test_the_config_reference_is_generated_from_the_current_schema() -> None:
    generator = _generator()
    expected = generator.render(generator.load_schema())
    assert (DOCS / "config-reference.md").read_text(encoding="utf-8") == expected, (
        "regenerate with: .venv/bin/python docs/config_reference.py"
    )


def test_the_config_reference_has_a_row_for_every_key_of_the_starter_config() -> None:
    reference = (DOCS / "config-reference.md").read_text(encoding="utf-8")
    keys = set(re.findall(r"^\| `([\w.\[\]]+)` \|", reference, re.M))
    assert {"version", "members", "hpfo.digest.day", "members[].away", "decisions.log"} <= keys


def test_the_usage_page_lists_every_input_with_its_default() -> None:
    inputs = load_action()["inputs"]
    documented = _table("input")
    assert set(documented) == set(inputs)
    for name, spec in inputs.items():
        assert documented[name][0] == f"`{spec['default']}`", name


def test_the_usage_page_lists_every_output() -> None:
    assert set(_table("output")) == set(load_action()["outputs"])


@pytest.mark.parametrize("page", [DOCS / "action.md", ROOT / "README.md"], ids=lambda p: p.name)
def test_the_docs_show_the_workflow_init_writes(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    shown = re.search(r"```yaml\n# \.github/workflows/rituals\.yml\n(.*?)```", text, re.S)
    assert shown is not None
    written = yaml.safe_load(workflow_text(published_action()))
    assert yaml.safe_load(shown.group(1)) == written


def test_links_between_the_docs_resolve() -> None:
    for target in re.findall(r"\]\(([\w./-]+\.md)\)", USAGE):
        assert (DOCS / target).is_file(), target
