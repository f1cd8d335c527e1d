"""One exception tree for the whole tool.

Each error knows its exit code (spec §6: 0 done, 1 GitHub or runtime failure, 2 bad config or usage)
and carries a message that tells the user how to fix the problem. ``cli.py`` maps them to exits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class RitualBotError(Exception):
    """Base of every error the tool raises on purpose."""

    exit_code = 1


class UsageError(RitualBotError):
    """The command line or environment is incomplete (missing repository, token …)."""

    exit_code = 2


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in a config file, with the position of the offending YAML node (1-based)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class ConfigError(RitualBotError):
    """The config file is invalid; carries every problem found, not just the first."""

    exit_code = 2

    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        self.problems = tuple(problems)
        self.annotated = False  # shown as Actions annotations: not printed a second time
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(RitualBotError):
    """A (possibly repo-overridden) template failed to load or render."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        super().__init__(message)


class GitHubError(RitualBotError):
    """GitHub answered with an error we cannot recover from in this run."""

    exit_code = 1

    def __init__(self, message: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class ItemsFailed(RitualBotError):
    """Some items failed and were reported; every other item was applied (SPEC §7)."""

    exit_code = 1

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(
            f"{count} item(s) failed (see above and the step summary); every other item was "
            "applied, and the next run retries the failed ones"
        )
