"""Vendor the subset of GitHub's published GraphQL schema that the sandbox and the gateway use.

Reads ``schema.graphql`` from the ``@octokit/graphql-schema`` npm package (GitHub's public schema,
https://docs.github.com/graphql/overview/public-schema) and writes
``tests/data/graphql/github-subset.graphql``: the types and fields listed in ``KEEP``, with
GitHub's own descriptions, argument lists and type modifiers untouched. Interfaces an object
implements are kept only when they are in the subset too, so the result is a valid schema that
``graphql.build_schema`` accepts. The whole SDL is ~1.2 MB; the subset is a few KB.

Usage::

    python scripts/extract_graphql.py                     # npm-packs the package into a temp dir
    python scripts/extract_graphql.py --schema path/to/schema.graphql
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from graphql import (
    DocumentNode,
    FieldDefinitionNode,
    InterfaceTypeDefinitionNode,
    NamedTypeNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    TypeDefinitionNode,
    assert_valid_schema,
    build_ast_schema,
    parse,
    print_ast,
)

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "graphql" / "github-subset.graphql"
PACKAGE = "@octokit/graphql-schema"

# type name -> the fields kept (None: a scalar, kept whole). Keep in step with the sandbox's
# schema (ritual_bot.sandbox.graphql.SDL): a test checks the sandbox's is a subset of this one.
COMMENT_FIELDS = (
    "author",
    "body",
    "createdAt",
    "editor",
    "id",
    "includesCreatedEdit",
    "lastEditedAt",
    "updatedAt",
    "userContentEdits",
)
KEEP: dict[str, tuple[str, ...] | None] = {
    "Query": ("id", "node", "nodes"),  # GitHub's Query implements Node
    "Node": ("id",),
    "Comment": COMMENT_FIELDS,
    "Issue": (*COMMENT_FIELDS, "number"),
    "IssueComment": COMMENT_FIELDS,
    "Actor": ("login",),
    "User": ("id", "login"),
    "Bot": ("id", "login"),
    "Organization": ("id", "login"),
    "Mannequin": ("id", "login"),
    "UserContentEdit": (
        "createdAt",
        "deletedAt",
        "deletedBy",
        "diff",
        "editedAt",
        "editor",
        "id",
        "updatedAt",
    ),
    "UserContentEditConnection": ("nodes", "pageInfo", "totalCount"),
    "PageInfo": ("endCursor", "hasNextPage", "hasPreviousPage", "startCursor"),
    "DateTime": None,
}


def subset(document: DocumentNode) -> DocumentNode:
    kept: list[TypeDefinitionNode] = []
    for definition in document.definitions:
        if not isinstance(definition, TypeDefinitionNode) or definition.name.value not in KEEP:
            continue
        name = definition.name.value
        if isinstance(definition, ScalarTypeDefinitionNode):
            kept.append(definition)
            continue
        assert isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode)
        wanted = KEEP[name] or ()
        fields: tuple[FieldDefinitionNode, ...] = tuple(
            f for f in definition.fields or () if f.name.value in wanted
        )
        missing = set(wanted) - {f.name.value for f in fields}
        if missing:
            raise SystemExit(f"{name} has no field(s) {sorted(missing)} in GitHub's schema")
        interfaces: tuple[NamedTypeNode, ...] = tuple(
            i for i in definition.interfaces or () if i.name.value in KEEP
        )
        kept.append(dataclasses.replace(definition, fields=fields, interfaces=interfaces))
    found = {d.name.value for d in kept}
    if found != set(KEEP):
        raise SystemExit(f"not in GitHub's schema: {sorted(set(KEEP) - found)}")
    kept.sort(key=lambda d: d.name.value)
    return DocumentNode(definitions=tuple(kept))


def _npm_schema(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True)
    tarball = next(workdir.glob("*.tgz"))
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package" / "schema.graphql"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", type=Path, help="a local copy of the package's schema.graphql")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = args.schema or _npm_schema(Path(tmp))
        document = parse(source.read_text(encoding="utf-8"), no_location=True)
        manifest = source.parent / "package.json"
        version = ""
        if manifest.is_file():
            version = "@" + json.loads(manifest.read_text(encoding="utf-8"))["version"]
    small = subset(document)
    assert_valid_schema(build_ast_schema(small))  # the subset must be a valid schema on its own
    header = (
        f"# Subset of GitHub's public GraphQL schema ({PACKAGE}{version}), written by\n"
        "# scripts/extract_graphql.py: do not edit by hand.\n\n"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(header + print_ast(small) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
