"""Fixtures for the sandbox tests: a seeded sandbox served over HTTP, a tiny JSON client, and a
conformance check that validates every API response against GitHub's vendored description.

The description is OpenAPI 3.0 (``tests/data/openapi/github-subset.json``, written by
``scripts/extract_openapi.py``); ``to_json_schema`` translates its dialect to JSON Schema 2020-12
without loosening anything: ``nullable`` becomes a ``null`` alternative, a ``$ref``'s siblings are
ignored (as OpenAPI 3.0 says), and a ``discriminator`` selects the mapped schema by its property.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ritual_bot.clock import FixedClock
from ritual_bot.sandbox import Request, Response, Sandbox

SUBSET = Path(__file__).resolve().parents[1] / "data" / "openapi" / "github-subset.json"
SUBSET_URI = "urn:ritual-bot:github-subset"
START = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
_RAW_KEYWORDS = frozenset({"enum", "default", "example", "const", "required"})


# -- OpenAPI 3.0 -> JSON Schema 2020-12 ---------------------------------------------------------


def to_json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return {"$ref": node["$ref"]}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("nullable", "discriminator") or key.startswith("x-"):
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: to_json_schema(schema) for name, schema in value.items()}
        elif key in _RAW_KEYWORDS:
            out[key] = value
        else:
            out[key] = to_json_schema(value)
    discriminator = node.get("discriminator")
    if isinstance(discriminator, dict) and "oneOf" in out:
        out = _discriminated(out, discriminator)
    if node.get("nullable") is True:
        out = {"anyOf": [{"type": "null"}, out]}
    return out


def _discriminated(schema: dict[str, Any], discriminator: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI: the discriminator property picks the schema, so alternatives may overlap."""
    prop = discriminator["propertyName"]
    alternatives = schema.pop("oneOf")
    rules: list[dict[str, Any]] = [{"if": {"type": "object"}, "then": {"required": [prop]}}]
    for value, ref in discriminator.get("mapping", {}).items():
        selector = {"type": "object", "properties": {prop: {"const": value}}, "required": [prop]}
        rules.append({"if": selector, "then": {"$ref": ref}})
    return {**schema, "anyOf": alternatives, "allOf": rules}


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass
class OpenApi:
    document: dict[str, Any]
    registry: Registry[Any]
    formats: FormatChecker

    @property
    def ambiguous(self) -> dict[tuple[str, str, int], str]:
        return AMBIGUOUS_ONE_OF

    def operation(self, template: str, method: str) -> dict[str, Any]:
        found: dict[str, Any] = self.document["paths"][template][method.lower()]
        return found

    def documents(self, template: str, method: str, status: int) -> bool:
        return str(status) in self.operation(template, method)["responses"]

    def response_pointer(self, template: str, method: str, status: int) -> str | None:
        """JSON pointer to the documented JSON schema of that response, or None if undocumented."""
        responses = self.operation(template, method)["responses"]
        if str(status) not in responses:
            return None
        base = _pointer("paths", template, method.lower(), "responses", str(status))
        response = responses[str(status)]
        if "$ref" in response:
            base = response["$ref"].removeprefix("#")
            name = base.rsplit("/", 1)[-1]
            response = self.document["components"]["responses"][name]
        if "application/json" not in response.get("content", {}):
            return None
        return base + _pointer("content", "application/json", "schema")

    def errors(self, pointer: str, instance: Any) -> list[str]:
        validator = Draft202012Validator(
            {"$ref": f"{SUBSET_URI}#{pointer}"}, registry=self.registry, format_checker=self.formats
        )
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"[:300]
            for e in validator.iter_errors(instance)
        ]

    def request_errors(self, template: str, method: str, body: Any) -> list[str]:
        if "requestBody" not in self.operation(template, method):
            return []
        return self.errors(
            _pointer("paths", template, method.lower(), "requestBody", "schema"), body
        )


_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _formats() -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("date-time")
    def _date_time(value: object) -> bool:
        return not isinstance(value, str) or bool(_DATE_TIME.match(value))

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc)

    return checker


# Known inaccuracies of the description, each confirmed against GitHub's answers in an issue on
# github/rest-api-description, as (JSON pointer inside the vendored subset, correction to merge).
# Only ever loosen what GitHub is shown to send; a test checks each still differs from the subset.
CORRECTIONS: dict[str, dict[str, Any]] = {
    # A label without a description lists as ``"description": null`` in "List pull requests",
    # as everywhere else (https://github.com/github/rest-api-description/issues/1812).
    "/components/schemas/pull-request-simple/properties/labels/items/properties/description": {
        "nullable": True
    },
}


def corrected(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(raw))
    for pointer, fix in CORRECTIONS.items():
        node = out
        for part in pointer.strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        node.update(fix)
    return out


@pytest.fixture(scope="session")
def openapi() -> OpenApi:
    raw = json.loads(SUBSET.read_text())
    document = to_json_schema(corrected(raw))
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SUBSET_URI, resource)
    return OpenApi(document, registry, _formats())


# -- conformance hook ---------------------------------------------------------------------------

# Responses whose documented schema is ``oneOf`` alternatives that overlap for every object (both
# have no required fields), so no body can ever match exactly one. GitHub sends the first
# alternative (Basic Error) there; we validate against that alternative rather than skip the body.
AMBIGUOUS_ONE_OF: dict[tuple[str, str, int], str] = {
    ("put", "/repos/{owner}/{repo}/contents/{path}", 409): "basic-error",
}


@dataclass
class Conformance:
    """Validates each API response against its documented schema; remembers what it checked."""

    openapi: OpenApi
    problems: list[str] = field(default_factory=list)
    checked: set[tuple[str, str, int]] = field(default_factory=set)

    def __call__(self, request: Request, response: Response) -> None:
        template = self._template(request)
        if template is None or response.raw is not None:
            return None
        method = request.method.lower()
        body = json.loads(response.payload()) if response.payload() else None
        pointer = self.openapi.response_pointer(template, method, response.status)
        override = AMBIGUOUS_ONE_OF.get((method, template, response.status))
        if override is not None:
            pointer = _pointer("components", "schemas", override)
        if self.openapi.documents(template, method, response.status):
            self.checked.add((method, template, response.status))
        if pointer is None:
            # Undocumented statuses (401 everywhere, 403 on some reads) still send Basic Error.
            if response.status >= 400 and body is not None:
                pointer = _pointer("components", "schemas", "basic-error")
            else:
                return None
        for problem in self.openapi.errors(pointer, body):
            self.problems.append(f"{request.method} {request.path} {response.status}: {problem}")
        return None

    def _template(self, request: Request) -> str | None:
        path = urlsplit(request.path).path.removeprefix("/api/v3")
        paths = self.openapi.document["paths"]
        found = [
            t
            for t in paths
            if _template_regex(t).match(path) and request.method.lower() in paths[t]
        ]
        # Literal segments win over parameters: /issues/comments is not issue "comments".
        return max(found, key=lambda t: len(re.sub(r"\{[a-z_]+\}", "", t)), default=None)


def _template_regex(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(path|name)\\\}$", ".*", re.escape(template))
    pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", pattern)
    return re.compile(f"^{pattern}/?$")


# -- the world ----------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def conformance(openapi: OpenApi) -> Iterator[Conformance]:
    check = Conformance(openapi)
    yield check
    assert not check.problems, "responses that break GitHub's description:\n" + "\n".join(
        check.problems
    )


@pytest.fixture
def sandbox(clock: FixedClock, conformance: Conformance) -> Sandbox:
    """acme (org) owns acme/team; alice admin, bob write, carol read; eng = alice + bob;
    dave is a private org member without a direct role; mallory has no access at all."""
    sb = Sandbox(clock=clock)
    sb.add_org("acme", members=["dave"])
    sb.add_user("alice", name="Alice A.")
    sb.add_team("acme", "eng", members=["alice", "bob"])
    sb.add_repo("acme/team")
    sb.set_permission("acme/team", "alice", "admin")
    sb.set_permission("acme/team", "bob", "write")
    sb.set_permission("acme/team", "carol", "read")
    sb.add_user("mallory")
    sb.after_request.append(conformance)
    return sb


@pytest.fixture
def url(sandbox: Sandbox) -> Iterator[str]:
    with sandbox.serve() as base:
        yield base


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: Any

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Client:
    """A minimal JSON client over urllib, to see raw statuses, headers and bodies."""

    base: str
    token: str | None = None

    def as_(self, token: str | None) -> Client:
        return Client(self.base, token)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        target = path if path.startswith("http") else self.base + path
        if query:
            target += "?" + urlencode(query)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(target, data=data, method=method)
        request.add_header("Accept", "application/vnd.github+json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return _reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return _reply(error.code, dict(error.headers), error.read())

    def get(self, path: str, **query: str) -> Reply:
        return self.call("GET", path, query=query or None)

    def post(self, path: str, body: Any) -> Reply:
        return self.call("POST", path, body)

    def patch(self, path: str, body: Any) -> Reply:
        return self.call("PATCH", path, body)

    def put(self, path: str, body: Any) -> Reply:
        return self.call("PUT", path, body)

    def delete(self, path: str, body: Any = None) -> Reply:
        return self.call("DELETE", path, body)


def _reply(status: int, headers: dict[str, str], payload: bytes) -> Reply:
    lowered = {k.lower(): v for k, v in headers.items()}
    if payload and lowered.get("content-type", "").startswith("application/json"):
        return Reply(status, lowered, json.loads(payload))
    return Reply(status, lowered, payload.decode() if payload else None)


@pytest.fixture
def bot(sandbox: Sandbox, url: str) -> Client:
    """The Actions token of acme/team."""
    return Client(url, sandbox.actions_token("acme/team"))


@pytest.fixture
def alice(sandbox: Sandbox, url: str) -> Client:
    return Client(url, sandbox.user_token("alice"))


@pytest.fixture
def carol(sandbox: Sandbox, url: str) -> Client:
    return Client(url, sandbox.user_token("carol"))
