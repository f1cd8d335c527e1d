"""Vendor the subset of GitHub's official REST description that the sandbox implements.

Reads the description shipped in the ``@octokit/openapi`` npm package (a mirror of
https://github.com/github/rest-api-description) and writes
``tests/data/openapi/github-subset.json``: for each implemented operation, its request body
schema and the JSON schema of every documented response status, plus the ``components`` those
schemas reference (closure of ``$ref``).

We read ``generated/api.github.com.json`` (the ``$ref`` form) rather than the ``.deref.json`` twin:
keeping the references makes the subset ~20x smaller and keeps ``discriminator.mapping`` targets
resolvable; the tests resolve ``$ref`` with ``jsonschema``'s registry.

Usage::

    python scripts/extract_openapi.py                 # installs the package into a temp dir
    python scripts/extract_openapi.py --package-dir node_modules/@octokit/openapi
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# (method, path) exactly as in the description; keep in step with ritual_bot.sandbox.routes.
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("get", "/rate_limit"),
    ("get", "/user"),
    ("get", "/users/{username}"),
    ("get", "/repos/{owner}/{repo}"),
    ("get", "/repos/{owner}/{repo}/issues"),
    ("post", "/repos/{owner}/{repo}/issues"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("patch", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("get", "/repos/{owner}/{repo}/issues/comments"),
    ("get", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("delete", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("get", "/repos/{owner}/{repo}/labels"),
    ("post", "/repos/{owner}/{repo}/labels"),
    ("get", "/repos/{owner}/{repo}/labels/{name}"),
    ("patch", "/repos/{owner}/{repo}/labels/{name}"),
    ("delete", "/repos/{owner}/{repo}/labels/{name}"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("put", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("delete", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/assignees"),
    ("delete", "/repos/{owner}/{repo}/issues/{issue_number}/assignees"),
    ("get", "/repos/{owner}/{repo}/collaborators"),
    ("get", "/repos/{owner}/{repo}/collaborators/{username}"),
    ("get", "/repos/{owner}/{repo}/collaborators/{username}/permission"),
    ("get", "/orgs/{org}/teams/{team_slug}/members"),
    ("get", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
    ("post", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/reactions"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/reactions"),
    ("get", "/repos/{owner}/{repo}/contents/{path}"),
    ("put", "/repos/{owner}/{repo}/contents/{path}"),
    ("get", "/repos/{owner}/{repo}/pulls"),
    ("get", "/repos/{owner}/{repo}/releases"),
)

# Prose and samples: not used for validation, and most of the file's weight.
_DROPPED_KEYS = frozenset({"description", "summary", "example", "examples"})
_DESCRIPTION = "generated/api.github.com.json"
_OUTPUT = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "openapi" / "github-subset.json"
)


def install_package(prefix: Path) -> Path:
    """``npm install`` the package into ``prefix`` and return the package directory."""
    subprocess.run(
        ["npm", "install", "--no-save", "--prefix", str(prefix), "@octokit/openapi"],
        check=True,
    )
    return prefix / "node_modules" / "@octokit" / "openapi"


def strip(node: Any) -> Any:
    """Copy ``node`` without prose keys (property *names* such as ``description`` survive)."""
    if isinstance(node, dict):
        return {
            key: (strip_properties(value) if key == "properties" else strip(value))
            for key, value in node.items()
            if key not in _DROPPED_KEYS
        }
    if isinstance(node, list):
        return [strip(item) for item in node]
    return node


def strip_properties(properties: dict[str, Any]) -> dict[str, Any]:
    return {name: strip(schema) for name, schema in properties.items()}


def extract_operation(operation: dict[str, Any]) -> dict[str, Any]:
    """Keep what a response/request check needs: JSON schemas and the docs URL."""
    out: dict[str, Any] = {
        "operationId": operation["operationId"],
        "docs": operation.get("externalDocs", {}).get("url"),
        "responses": {},
    }
    body = operation.get("requestBody", {})
    body_schema = body.get("content", {}).get("application/json", {}).get("schema")
    if body_schema is not None:
        out["requestBody"] = {"required": bool(body.get("required")), "schema": strip(body_schema)}
    for status, response in operation["responses"].items():
        out["responses"][status] = strip(response)
    return out


def collect_refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        mapping = node.get("mapping") if "propertyName" in node else None
        if isinstance(mapping, dict):
            found.update(value for value in mapping.values() if isinstance(value, str))
        for value in node.values():
            collect_refs(value, found)
    elif isinstance(node, list):
        for item in node:
            collect_refs(item, found)


def resolve_pointer(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def component_closure(document: dict[str, Any], roots: Any) -> dict[str, Any]:
    """Every ``#/components/...`` object reachable from ``roots``, nested as in the document."""
    components: dict[str, Any] = {}
    pending: set[str] = set()
    collect_refs(roots, pending)
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, section, name = ref.removeprefix("#/").split("/", 2)
        target = strip(resolve_pointer(document, ref))
        components.setdefault(section, {})[name] = target
        collect_refs(target, pending)
    return {section: dict(sorted(items.items())) for section, items in sorted(components.items())}


def build_subset(document: dict[str, Any], package_version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path in OPERATIONS:
        operation = document["paths"][path][method]
        paths.setdefault(path, {})[method] = extract_operation(operation)
    return {
        "source": f"@octokit/openapi@{package_version} {_DESCRIPTION}",
        "openapi": document["openapi"],
        "info": {"version": document["info"]["version"]},
        "paths": paths,
        "components": component_closure(document, paths),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--package-dir", type=Path, help="an installed @octokit/openapi")
    parser.add_argument("--output", type=Path, default=_OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package_dir: Path = args.package_dir or install_package(Path(tmp))
        version = json.loads((package_dir / "package.json").read_text())["version"]
        document = json.loads((package_dir / _DESCRIPTION).read_text())
    subset = build_subset(document, version)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(subset, indent=1, sort_keys=False) + "\n")
    print(f"wrote {args.output} from @octokit/openapi@{version}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
