"""The thin edge that speaks the GitHub Actions runner protocol.

Implements https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions :
workflow commands on stdout (``::error file=…::message``, ``::group::``, ``::add-mask::``) and the
environment files (``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``). Escaping follows @actions/core's
``command.ts`` (the reference client) and the runner's ``ActionCommand.cs`` (which unescapes it).

Nothing here reads ``os.environ`` or writes ``sys.stdout`` by itself: an :class:`ActionsRuntime` is
built from an env mapping and a text stream, so tests pass their own and import has no side effects.
Outside Actions (the local CLI) annotations print as plain text and the env files are left alone.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

AnnotationLevel = Literal["error", "warning", "notice"]

#: Env vars that may carry a token; each one set is masked before anything else is written (§6).
TOKEN_ENV_VARS = (
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "INPUT_GITHUB-TOKEN",
    "INPUT_GITHUB_TOKEN",
    "RITUAL_BOT_LIVE_TOKEN",
)

#: GitHub shows at most 1 MiB of step summary per step; beyond that the whole summary is dropped.
SUMMARY_LIMIT_BYTES = 1024 * 1024
_SUMMARY_TRUNCATED = "\n\n_(summary truncated: GitHub shows at most 1 MiB per step)_\n"

# Output names end up as `steps.<id>.outputs.<name>`; anything else could also break the file
# format (a newline, or `=` / `<<` which the runner uses to tell the two line forms apart).
_OUTPUT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

_DATA_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def escape_data(value: str) -> str:
    """Escape a command's message so it stays on one line (command.ts ``escapeData``)."""
    return value.translate(_DATA_ESCAPES)


def escape_property(value: str) -> str:
    """Escape a property value; `:` and `,` would otherwise end the property list."""
    return value.translate(_PROPERTY_ESCAPES)


def format_command(command: str, properties: Mapping[str, object], message: str) -> str:
    """One workflow command line, without the newline: ``::name k=v,k=v::message``.

    Properties that are ``None`` are left out, as @actions/core does for unset ones.
    """
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    head = f"{command} {props}" if props else command
    return f"::{head}::{escape_data(message)}"


def new_delimiter() -> str:
    """A heredoc delimiter in the same shape @actions/core uses."""
    return f"ghadelimiter_{uuid.uuid4()}"


class ActionsRuntime:
    """Workflow commands, outputs and step summary for one run.

    Every text it writes goes through :meth:`redact` first, so a masked value never leaves the
    process even when not running in Actions (where no runner would mask it for us).
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        in_actions: bool,
        output_path: Path | None = None,
        summary_path: Path | None = None,
        delimiter_factory: Callable[[], str] = new_delimiter,
    ) -> None:
        self._stream = stream
        self._in_actions = in_actions
        self._output_path = output_path
        self._summary_path = summary_path
        self._new_delimiter = delimiter_factory
        self._secrets: set[str] = set()

    @classmethod
    def from_env(cls, env: Mapping[str, str], stream: TextIO) -> ActionsRuntime:
        """Build from runner variables; tokens found in ``env`` are masked before returning."""
        runtime = cls(
            stream,
            in_actions=env.get("GITHUB_ACTIONS") == "true",
            output_path=_path_or_none(env.get("GITHUB_OUTPUT")),
            summary_path=_path_or_none(env.get("GITHUB_STEP_SUMMARY")),
        )
        # Masking first is the guarantee: nothing can be written before the runner knows the token.
        for name in TOKEN_ENV_VARS:
            runtime.add_mask(env.get(name, ""))
        return runtime

    def __repr__(self) -> str:
        # Deliberately no secrets, paths only: reprs end up in tracebacks and logs (§6).
        return (
            f"ActionsRuntime(in_actions={self._in_actions}, output_path={self._output_path!r}, "
            f"summary_path={self._summary_path!r}, masked={len(self._secrets)})"
        )

    @property
    def in_actions(self) -> bool:
        return self._in_actions

    # -- masking ------------------------------------------------------------------------------

    def add_mask(self, value: str) -> None:
        """Ask the runner to mask ``value`` in logs, and redact it from our own output too.

        The runner masks line by line, so a multi-line secret is registered one line at a time.
        Blank values are ignored: masking whitespace would garble the whole log.
        """
        for part in dict.fromkeys([value, *value.splitlines()]):
            if part.strip() and part not in self._secrets:
                self._secrets.add(part)
                if self._in_actions:
                    # Written unredacted on purpose: the runner must see the value to mask it.
                    self._write_raw(format_command("add-mask", {}, part))

    def redact(self, text: str) -> str:
        """``text`` with every masked value replaced by ``***``, as the runner shows it."""
        # Longest first, so a secret containing a shorter one is replaced whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    # -- log commands -------------------------------------------------------------------------

    def debug(self, message: str) -> None:
        """A debug line; the runner shows it only with step debug logging, locally it is dropped."""
        if self._in_actions:
            self._command("debug", {}, message)

    def notice(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        col: int | None = None,
        title: str | None = None,
    ) -> None:
        self.annotate("notice", message, file=file, line=line, col=col, title=title)

    def warning(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        col: int | None = None,
        title: str | None = None,
    ) -> None:
        self.annotate("warning", message, file=file, line=line, col=col, title=title)

    def error(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        col: int | None = None,
        title: str | None = None,
    ) -> None:
        self.annotate("error", message, file=file, line=line, col=col, title=title)

    def annotate(
        self,
        level: AnnotationLevel,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        col: int | None = None,
        end_line: int | None = None,
        end_col: int | None = None,
        title: str | None = None,
    ) -> None:
        """An annotation shown on the run (and on the file, when ``file`` is in the repository)."""
        props: dict[str, object] = {
            "file": file,
            "line": line,
            "endLine": end_line,
            "col": col,
            "endColumn": end_col,
            "title": title,
        }
        if self._in_actions:
            self._command(level, props, message)
        else:
            self._write_line(_plain_annotation(level, message, file, line, col, title))

    def echo(self, text: str) -> None:
        """Print text that may come from users without letting it run workflow commands.

        A comment body containing ``::add-mask::`` or ``::error`` would otherwise be obeyed by the
        runner; ``stop-commands`` with a random token turns command processing off around it.
        """
        if self._in_actions and any(ln.lstrip().startswith("::") for ln in text.splitlines()):
            token = uuid.uuid4().hex
            self._write_line(format_command("stop-commands", {}, token))
            self._write_line(text)
            self._write_line(f"::{token}::")
        else:
            self._write_line(text)

    @contextmanager
    def group(self, title: str) -> Iterator[None]:
        """A collapsible log group; always closed, even when the body raises."""
        self._write_line(format_command("group", {}, title) if self._in_actions else title)
        try:
            yield
        finally:
            if self._in_actions:
                self._write_line("::endgroup::")

    # -- environment files --------------------------------------------------------------------

    def set_output(self, name: str, value: str) -> None:
        """Append a step output to ``GITHUB_OUTPUT`` in heredoc form; no-op outside Actions."""
        if not _OUTPUT_NAME.fullmatch(name):
            raise ValueError(f"output name {name!r} must match {_OUTPUT_NAME.pattern}")
        if self._output_path is None:
            return
        value = self.redact(value)
        delimiter = self._new_delimiter()
        # A value containing the delimiter would end the heredoc early and let the rest of the
        # value inject further outputs; a fresh uuid4 makes a second collision hopeless.
        while delimiter in value or delimiter in name:
            delimiter = self._new_delimiter()
        _append(self._output_path, f"{name}<<{delimiter}\n{value}\n{delimiter}\n")

    def append_summary(self, markdown: str) -> None:
        """Append Markdown to the step summary; no-op when ``GITHUB_STEP_SUMMARY`` is unset."""
        if self._summary_path is None:
            return
        used = self._summary_path.stat().st_size if self._summary_path.exists() else 0
        text = self.redact(markdown)
        if not text.endswith("\n"):
            text += "\n"
        _append(self._summary_path, _fit_summary(text, used))

    # -- internals ----------------------------------------------------------------------------

    def _command(self, command: str, properties: Mapping[str, object], message: str) -> None:
        redacted = {k: None if v is None else self.redact(str(v)) for k, v in properties.items()}
        self._write_line(format_command(command, redacted, self.redact(message)))

    def _write_line(self, line: str) -> None:
        self._write_raw(self.redact(line))

    def _write_raw(self, line: str) -> None:
        self._stream.write(_encodable(line) + "\n")
        # Flush so commands interleave correctly with subprocess and stderr output.
        self._stream.flush()


def _path_or_none(value: str | None) -> Path | None:
    return Path(value) if value else None


def _append(path: Path, text: str) -> None:
    # newline="" keeps "\n" as written: the runner reads LF files on every platform.
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(_encodable(text))


def _encodable(text: str) -> str:
    """``text`` with lone surrogates (which JSON payloads can carry) replaced by ``?``.

    They cannot be encoded as UTF-8, and a crash while reporting would hide the real result.
    """
    return text.encode("utf-8", errors="replace").decode("utf-8")


def _fit_summary(text: str, used_bytes: int) -> str:
    """``text``, shortened so the summary file stays under GitHub's per-step limit."""
    room = SUMMARY_LIMIT_BYTES - used_bytes
    if len(text.encode("utf-8")) <= room:
        return text
    budget = room - len(_SUMMARY_TRUNCATED.encode("utf-8"))
    if budget <= 0:
        return ""
    kept = text.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    return kept + _SUMMARY_TRUNCATED


def _plain_annotation(
    level: AnnotationLevel,
    message: str,
    file: str | None,
    line: int | None,
    col: int | None,
    title: str | None,
) -> str:
    """The local-terminal form of an annotation: ``error: path:3:5: title: message``."""
    where = ":".join(str(part) for part in (file, line, col) if part is not None)
    parts = [f"{level}:", f"{where}:" if where else "", f"{title}:" if title else "", message]
    return " ".join(part for part in parts if part)


# -- step summary Markdown ---------------------------------------------------------------------


class Markdown(str):
    """Text that is already Markdown: builders insert it as is instead of escaping it."""

    __slots__ = ()


# Backslash-escaping these keeps user text (issue titles, reasons) literal in rendered Markdown;
# CommonMark allows a backslash before any ASCII punctuation, so over-escaping is harmless.
# Escaped anywhere, they also stop the block constructs that start with them (headings `#`, quotes
# `>`, HTML blocks `<`, fences ``` and ~~~, link reference definitions `[x]: y`, `*`/`_` rules and
# `*` bullets, `|` tables); `$` is GitHub's math.
_MD_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~#&!$"})
# Markdown's line endings (CommonMark §2.1: \n, \r\n, \r; no Unicode line separators).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# The block constructs that start with characters harmless elsewhere on a line: `-`/`+` bullets,
# `1.`/`1)` items, `---` rules and setext underlines (`---`, `===`). Only the first character, or
# the `.`/`)` after leading digits, needs its backslash.
_BLOCK_START = re.compile(r"^(?:[-+=]|[0-9]+[.)])")


def escape_text(text: str) -> str:
    """Plain text made safe to place in Markdown where a block may start (a paragraph, a heading,
    a list item) or inline (a link's text): it renders as itself, on one line.

    Newlines become spaces, so nothing after them can start a block either; leading spaces and
    tabs are dropped, since four of them make a code block and Markdown trims them anyway.
    """
    line = _LINE_BREAK.sub(" ", text.translate(_MD_SPECIALS)).lstrip(" \t")
    return _BLOCK_START.sub(lambda start: start[0][:-1] + "\\" + start[0][-1], line)


# What can end a link destination or change it (CommonMark §6.3): spaces and ASCII controls (line
# breaks among them, which would also end the block), `<`/`>`, parentheses, and backslash escapes.
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f<>()\\]")


def link(text: str, url: str) -> Markdown:
    """A Markdown link; the text is escaped, what would end or alter the URL percent-encoded."""
    safe_url = _URL_UNSAFE.sub(lambda unsafe: f"%{ord(unsafe[0]):02X}", url)
    return Markdown(f"[{escape_text(text)}]({safe_url})")


def _inline(fragment: str) -> str:
    return fragment if isinstance(fragment, Markdown) else escape_text(fragment)


def _cell(fragment: str) -> str:
    """One table cell: pipes escaped (unless already) and line breaks as ``<br>``."""
    if isinstance(fragment, Markdown):
        fragment = re.sub(r"(?<!\\)\|", r"\\|", fragment)
    else:
        fragment = fragment.translate(_MD_SPECIALS)
    return _LINE_BREAK.sub("<br>", fragment) or " "


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


class StepSummary:
    """Builds step-summary Markdown block by block; plain ``str`` arguments are escaped,
    :class:`Markdown` ones (e.g. from :func:`link`) are inserted as they are."""

    def __init__(self) -> None:
        self._blocks: list[str] = []

    def heading(self, text: str, level: int = 2) -> StepSummary:
        if not 1 <= level <= 6:
            raise ValueError("heading level must be 1 to 6")
        self._blocks.append(f"{'#' * level} {_inline(text)}")
        return self

    def paragraph(self, text: str) -> StepSummary:
        self._blocks.append(_inline(text))
        return self

    def bullets(self, items: Iterable[str]) -> StepSummary:
        lines = [f"- {_inline(item)}" for item in items]
        if lines:
            self._blocks.append("\n".join(lines))
        return self

    def table(self, header: Sequence[str], rows: Iterable[Sequence[str]]) -> StepSummary:
        lines = [_row(header), "|" + "---|" * len(header)]
        for cells in rows:
            if len(cells) != len(header):
                raise ValueError(f"table row has {len(cells)} cells, header has {len(header)}")
            lines.append(_row(cells))
        self._blocks.append("\n".join(lines))
        return self

    def raw(self, markdown: str) -> StepSummary:
        self._blocks.append(markdown)
        return self

    def render(self) -> str:
        return "\n\n".join(self._blocks) + "\n" if self._blocks else ""

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class Change:
    """Something the run did (or would do, in a dry run) to an issue."""

    verb: str  # "opened", "updated", "closed", "commented on" …
    title: str
    url: str


@dataclass(frozen=True)
class Skip:
    """Something the run left alone, and why (shown so users are not left guessing)."""

    subject: str
    reason: str


def run_summary(
    changes: Sequence[Change],
    skips: Sequence[Skip],
    *,
    requests: int,
    rate_remaining: int | None,
    dry_run: bool = False,
    failed: Sequence[Skip] = (),
) -> str:
    """The step summary of one run: what failed (first: it is why the run is red), what changed
    with links, what was skipped, the API budget."""
    summary = StepSummary().heading(
        "ritual-bot" + (" (dry run: nothing written)" if dry_run else "")
    )
    if failed:
        summary.heading("Failed (the next run retries them)", 3).bullets(
            Markdown(f"{escape_text(s.subject)}: {escape_text(s.reason)}") for s in failed
        )
    if changes:
        summary.table(
            ["action", "issue"],
            [(change.verb, link(change.title, change.url)) for change in changes],
        )
    else:
        summary.paragraph("Nothing to do.")
    if skips:
        summary.heading("Skipped", 3).bullets(
            Markdown(f"{escape_text(s.subject)}: {escape_text(s.reason)}") for s in skips
        )
    remaining = "unknown" if rate_remaining is None else str(rate_remaining)
    summary.paragraph(f"{requests} API requests; rate limit remaining: {remaining}.")
    return summary.render()
