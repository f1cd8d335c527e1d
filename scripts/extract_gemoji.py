"""Vendor GitHub's emoji shortcodes (gemoji) for the sandbox's Markdown.

GitHub turns ``:name:`` into an emoji for the names of its gemoji list
(https://docs.github.com/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax#using-emojis).
The npm package ``gemoji`` carries that list; this writes its ``nameToEmoji`` map, sorted, to
``src/ritual_bot/sandbox/static/gemoji.json`` and its licence next to it. Needs npm and node.

Usage::

    python scripts/extract_gemoji.py                   # the pinned version
    python scripts/extract_gemoji.py --version latest  # refresh, then update PINNED_VERSION
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "gemoji"
PINNED_VERSION = "8.1.0"
STATIC = Path(__file__).resolve().parents[1] / "src" / "ritual_bot" / "sandbox" / "static"


def extract(version: str) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="gemoji-") as folder:
        work = Path(folder)
        packed = subprocess.run(
            ["npm", "pack", "--silent", f"{PACKAGE}@{version}"],
            cwd=work,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        with tarfile.open(work / packed.splitlines()[-1]) as archive:
            archive.extractall(work, filter="data")
        index = (work / "package" / "index.js").as_uri()
        script = f"import {{nameToEmoji}} from {json.dumps(index)};"
        script += "process.stdout.write(JSON.stringify(nameToEmoji));"
        dumped = subprocess.run(
            ["node", "--input-type=module", "-e", script],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        licence = (work / "package" / "license").read_text(encoding="utf-8")
        (STATIC / "gemoji.LICENSE.txt").write_text(licence, encoding="utf-8")
    names: dict[str, str] = json.loads(dumped)
    return names


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=PINNED_VERSION, help="npm version or tag")
    args = parser.parse_args(argv)
    names = extract(args.version)
    text = json.dumps(names, ensure_ascii=False, sort_keys=True, indent=0) + "\n"
    (STATIC / "gemoji.json").write_text(text, encoding="utf-8")
    print(f"{len(names)} shortcodes from {PACKAGE}@{args.version} -> {STATIC / 'gemoji.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
