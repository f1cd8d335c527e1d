"""How gateway conversations become cassettes: what is kept, what is rewritten, how it is stored.

Shared by the sandbox cassette tests (``tests/gateway``) and live mode (``tests/live``), so both
cassette sets are written by the same rules and can be compared file by file:

- requests match on method + path + query + body (JSON bodies compared parsed), never on host or
  port, so a replay can point the gateway at any base URL;
- ``authorization`` is dropped from every recorded request, and any token-looking string left
  anywhere fails ``find_secrets`` (a test scans the committed cassettes with it);
- only the response headers the bot or a reader cares about are kept (``x-ratelimit-*``,
  content type, pagination, GitHub's media type and accepted permissions); dates, request ids,
  ETags and lengths are dropped, so re-recording the sandbox gives the same bytes;
- ``Rewrite`` rules turn run-specific strings (the sandbox's port, a live repository, a login,
  a per-run tag) into the fixed names of the sandbox world (``acme/team``, ``alice``);
- JSON bodies are stored indented as YAML block scalars, so a cassette diff reads line by line.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from vcr.serializers import yamlserializer

CASSETTES = Path(__file__).resolve().parents[1] / "data" / "cassettes"
SANDBOX_CASSETTES = CASSETTES / "sandbox"
LIVE_CASSETTES = CASSETTES / "live"

# Where replays point the gateway: a reserved name that never resolves (RFC 6761), so a replay
# that escaped the cassette could not reach anything. Sandbox recordings are rewritten to it.
FAKE_API_URL = "http://github-sandbox.invalid"

MATCH_ON = ("method", "path", "query", "body")

KEPT_REQUEST_HEADERS = frozenset({"accept", "content-type"})
KEPT_RESPONSE_HEADERS = frozenset(
    {
        "content-type",
        "link",
        "location",
        "x-accepted-github-permissions",
        "x-accepted-oauth-scopes",
        "x-github-api-version-selected",
        "x-github-media-type",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-ratelimit-resource",
        "x-ratelimit-used",
    }
)

# Classic, fine-grained, OAuth, Actions/App installation and refresh tokens
# (https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/).
TOKEN_LOOKING = re.compile(r"\b(gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,})")


@dataclass(frozen=True)
class Rewrite:
    """Replace ``pattern`` (a regex) with ``replacement`` in every recorded string."""

    pattern: str
    replacement: str
    flags: int = 0

    def apply(self, text: str) -> str:
        return re.sub(self.pattern, lambda _: self.replacement, text, flags=self.flags)

    @classmethod
    def literal(cls, text: str, replacement: str, *, ignore_case: bool = False) -> Rewrite:
        return cls(re.escape(text), replacement, re.IGNORECASE if ignore_case else 0)

    @classmethod
    def word(cls, text: str, replacement: str) -> Rewrite:
        """A login-like word: not when it is part of a longer login, name or path segment."""
        return cls(rf"(?<![\w.-]){re.escape(text)}(?![\w-])", replacement, re.IGNORECASE)


# The sandbox serves on a random loopback port; its URLs (API and html_url) become FAKE_API_URL.
SANDBOX_REWRITES = (Rewrite(r"http://127\.0\.0\.1:\d+", FAKE_API_URL),)


def rewrite_all(text: str, rewrites: Iterable[Rewrite]) -> str:
    for rule in rewrites:
        text = rule.apply(text)
    return text


def find_secrets(text: str) -> list[str]:
    """Token-looking strings and credentials headers in a cassette's text."""
    found = [match.group(0)[:8] + "…" for match in TOKEN_LOOKING.finditer(text)]
    found += [f"header {m.group(0).strip()}" for m in re.finditer(r"(?im)^\s*authorization:", text)]
    found += [f"{m.group(0)}…" for m in re.finditer(r"(?i)\b(bearer|token) [A-Za-z0-9_]{16}", text)]
    return found


# --- the record hooks ----------------------------------------------------------------------------


def _text(body: bytes | str | None) -> str | None:
    if body is None:
        return None
    if isinstance(body, str):
        return body
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _pretty(text: str) -> str:
    """JSON indented for reading (same document, same key order); anything else unchanged."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    return json.dumps(parsed, indent=2, ensure_ascii=False)


def _kept_headers(
    headers: Mapping[str, Any], kept: frozenset[str], rewrites: Sequence[Rewrite]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in sorted(headers, key=str.lower):
        if name.lower() not in kept:
            continue
        value = headers[name]
        if isinstance(value, list):
            out[name.lower()] = [rewrite_all(str(v), rewrites) for v in value]
        else:
            out[name.lower()] = rewrite_all(str(value), rewrites)
    return out


def scrub_request(rewrites: Sequence[Rewrite]) -> Callable[[Any], Any]:
    """vcrpy ``before_record_request``: vcrpy hands it a copy of the request."""

    def hook(request: Any) -> Any:
        request.uri = rewrite_all(request.uri, rewrites)
        request.headers = _kept_headers(request.headers, KEPT_REQUEST_HEADERS, rewrites)
        text = _text(request.body)
        if text:
            request.body = _pretty(rewrite_all(text, rewrites))
        return request

    return hook


def scrub_response(rewrites: Sequence[Rewrite]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """vcrpy ``before_record_response``: works on a copy, so the client still gets the real one."""

    def hook(response: dict[str, Any]) -> dict[str, Any]:
        response = copy.deepcopy(response)
        response["headers"] = _kept_headers(response["headers"], KEPT_RESPONSE_HEADERS, rewrites)
        text = _text(response["body"]["string"])
        if text is not None:
            response["body"]["string"] = _pretty(rewrite_all(text, rewrites)).encode("utf-8")
        return response

    return hook


def vcr_options(rewrites: Sequence[Rewrite]) -> dict[str, Any]:
    """The ``vcr_config`` both cassette sets are recorded and replayed with."""
    return {
        "filter_headers": ["authorization"],  # also dropped by the whitelist: belt and braces
        "match_on": MATCH_ON,
        "decode_compressed_response": True,
        "before_record_request": scrub_request(rewrites),
        "before_record_response": scrub_response(rewrites),
    }


# --- storage -------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (the indented JSON bodies) as ``|`` blocks; keys in insertion order."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(tuple, yaml.SafeDumper.represent_list)


class ReadableYaml:
    """A vcrpy serializer: the standard (safe) loader, a dumper that keeps bodies readable."""

    @staticmethod
    def serialize(cassette_dict: dict[str, Any]) -> str:
        return yaml.dump(
            cassette_dict, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
        )

    @staticmethod
    def deserialize(cassette_string: str) -> dict[str, Any]:
        loaded: dict[str, Any] = yamlserializer.deserialize(cassette_string)
        return loaded


def configure(vcr: Any) -> None:
    """Register the readable serializer under vcrpy's default name, so files stay ``*.yaml``."""
    vcr.register_serializer("yaml", ReadableYaml())


def interactions(path: Path) -> list[dict[str, Any]]:
    """A cassette file's interactions, each ``{"request": …, "response": …}``."""
    data = ReadableYaml.deserialize(path.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = data["interactions"]
    return found


def cassette_name(node: Any) -> str:
    """pytest-recording's ``default_cassette_name`` for both sets: a flow's cassette is named after
    the flow (so sandbox and live files pair up by name); a ``default_cassette`` mark wins."""
    marker = node.get_closest_marker("default_cassette")
    if marker is not None:
        return str(marker.args[0])
    callspec = getattr(node, "callspec", None)
    flow = callspec.params.get("flow") if callspec is not None else None
    name = getattr(flow, "name", None)
    return name if isinstance(name, str) else str(node.name)


def make_vcr(directory: Path, rewrites: Sequence[Rewrite], record_mode: str = "none") -> Any:
    """A VCR configured like the pytest-recording one, for tests that drive cassettes directly."""
    from vcr import VCR

    vcr = VCR(cassette_library_dir=str(directory), record_mode=record_mode, **vcr_options(rewrites))
    configure(vcr)
    return vcr
