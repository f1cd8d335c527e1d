"""Vendor GitHub's real ``issues`` and ``issue_comment`` webhook payloads as test data.

Reads the examples shipped in the ``@octokit/webhooks-examples`` npm package (collected from real
deliveries by https://github.com/octokit/webhooks) and writes each one, unmodified, to
``tests/data/webhooks/<event>.<action>[.<n>].json``: the first example of an action has no number,
further ones are ``.2``, ``.3`` … in the package's order. A ``README.md`` next to them records the
package version and which payloads concern pull requests.

Usage::

    python scripts/extract_webhook_examples.py                  # the pinned version
    python scripts/extract_webhook_examples.py --version latest # refresh
    python scripts/extract_webhook_examples.py --package-dir node_modules/@octokit/webhooks-examples
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE = "@octokit/webhooks-examples"
PINNED_VERSION = "7.6.1"
EVENTS = ("issues", "issue_comment")
# What the workflow in SPEC.md §1 subscribes to: the README flags any of these without an example.
SUBSCRIBED = {
    "issues": ("opened", "labeled", "unlabeled", "reopened", "closed", "edited"),
    "issue_comment": ("created", "edited", "deleted"),
}
# The package also carries GHES variants (ghes-3x/); the bot targets github.com first.
_EXAMPLES = "api.github.com/index.json"
_OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "webhooks"


@dataclass(frozen=True)
class Example:
    event: str
    action: str
    filename: str
    payload: Mapping[str, Any]

    @property
    def on_pull_request(self) -> bool:
        """Issue events and comments on a pull request carry ``issue.pull_request``."""
        issue = self.payload.get("issue")
        return isinstance(issue, dict) and "pull_request" in issue


def install_package(prefix: Path, version: str) -> Path:
    """``npm install`` the package into ``prefix`` and return the package directory."""
    subprocess.run(
        ["npm", "install", "--no-save", "--prefix", str(prefix), f"{PACKAGE}@{version}"],
        check=True,
    )
    return prefix / "node_modules" / "@octokit" / "webhooks-examples"


def examples(definitions: Iterable[Mapping[str, Any]]) -> Iterator[Example]:
    """The examples of :data:`EVENTS`, named ``<event>.<action>[.<n>].json``."""
    seen: Counter[tuple[str, str]] = Counter()
    for definition in definitions:
        event = definition["name"]
        if event not in EVENTS:
            continue
        for payload in definition["examples"]:
            action = payload["action"]
            seen[event, action] += 1
            n = seen[event, action]
            suffix = "" if n == 1 else f".{n}"
            yield Example(event, action, f"{event}.{action}{suffix}.json", payload)


def write_examples(found: list[Example], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # Clear the old set first so an example dropped upstream does not linger as a stale file.
    for event in EVENTS:
        for stale in out.glob(f"{event}.*.json"):
            stale.unlink()
    for example in found:
        text = json.dumps(example.payload, indent=2, ensure_ascii=False) + "\n"
        (out / example.filename).write_text(text, encoding="utf-8")


def readme(found: list[Example], version: str) -> str:
    on_prs = [e.filename for e in found if e.on_pull_request]
    pr_lines = [f"- `{name}`" for name in on_prs] or ["- (none)"]
    comments_on_prs = [e for e in found if e.event == "issue_comment" and e.on_pull_request]
    lines = [
        "# Real webhook payloads",
        "",
        f"Every `issues` and `issue_comment` example from the npm package `{PACKAGE}`",
        f"version **{version}** (`{_EXAMPLES}`), written unmodified by",
        "`scripts/extract_webhook_examples.py`. Do not edit these files by hand.",
        "",
        "Names are `<event>.<action>[.<n>].json`: the first example of an action has no number,",
        "further ones are numbered from 2 in the package's order.",
        "",
        "Refresh with:",
        "",
        "```sh",
        "python scripts/extract_webhook_examples.py --version latest",
        "```",
        "",
        "then update the pinned version in the script and rerun `pytest tests/actions`.",
        "",
        "## Payloads about pull requests (`issue.pull_request` present)",
        "",
        *pr_lines,
        "",
    ]
    if not comments_on_prs:
        lines += [
            "No `issue_comment` example is a comment on a pull request: tests that need one must",
            "build it (GitHub sends the same shape, with `issue.pull_request` set).",
            "",
        ]
    return "\n".join(lines + _gaps(found))


def _gaps(found: list[Example]) -> list[str]:
    """What the examples do not cover, so nobody assumes they do."""
    present = {(e.event, e.action) for e in found}
    missing = [
        f"`{ev}.{a}`" for ev, acts in SUBSCRIBED.items() for a in acts if (ev, a) not in present
    ]
    unlabelled = [f"`{e.filename}`" for e in found if "labels" not in e.payload.get("issue", {})]
    empty_changes = [f"`{e.filename}`" for e in found if e.payload.get("changes") == {}]
    senders = sorted({str(e.payload.get("sender", {}).get("type")) for e in found})
    return [
        "## Gaps to keep in mind",
        "",
        f"- Subscribed actions (SPEC.md §1) with no example: {', '.join(missing) or 'none'}.",
        f"- Payloads whose `issue` has no `labels`: {', '.join(unlabelled) or 'none'}.",
        f"- `sender.type` values present: {', '.join(senders)} (build bot senders in tests).",
        f"- `edited` payloads whose `changes` is empty: {', '.join(empty_changes) or 'none'}.",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=PINNED_VERSION, help="npm version or tag to install")
    parser.add_argument("--package-dir", type=Path, help="use an already installed package")
    parser.add_argument("--out", type=Path, default=_OUTPUT)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        package_dir = args.package_dir or install_package(Path(tmp), args.version)
        manifest = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
        definitions = json.loads((package_dir / _EXAMPLES).read_text(encoding="utf-8"))

    found = list(examples(definitions))
    write_examples(found, args.out)
    (args.out / "README.md").write_text(readme(found, manifest["version"]), encoding="utf-8")
    print(f"wrote {len(found)} payloads from {PACKAGE}@{manifest['version']} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
