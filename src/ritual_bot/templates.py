"""Rendering the bot's Markdown from Jinja2 templates.

Defaults ship inside the package (``ritual_bot/templates/<language>/``, from the repository's
top-level ``templates/``); a repository overrides any of them in ``.github/rituals/templates/``
(``<language>/name`` or plain ``name``). The environment is sandboxed and strict: a template can
only format the values it is given, and untrusted text (comments, titles) is passed in as *data*,
never compiled as template code, so ``{{ }}`` typed by a user stays literal text.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment

from ritual_bot.errors import TemplateError
from ritual_bot.markdown import neutralize_mentions, safe_inline, shorten

OVERRIDE_DIR = Path(".github/rituals/templates")
# Filters every template may use on untrusted text: ``inline`` for a list item or table cell,
# ``neutralize`` for quoted prose, ``shorten(n)`` for a one-line gist.
DEFAULT_FILTERS: dict[str, Callable[..., Any]] = {
    "inline": safe_inline,
    "neutralize": neutralize_mentions,
    "shorten": shorten,
}


def package_templates_dir() -> Path:
    return Path(str(files("ritual_bot") / "templates"))


class Templates:
    def __init__(
        self,
        language: str = "en",
        override_dir: Path | None = None,
        filters: dict[str, Callable[..., Any]] | None = None,
    ) -> None:
        search: list[str] = []
        if override_dir is not None and override_dir.is_dir():
            search += [str(override_dir / language), str(override_dir)]
        search.append(str(package_templates_dir() / language))
        self.language = language
        self._env = SandboxedEnvironment(
            loader=ChoiceLoader([FileSystemLoader(search)]),
            undefined=StrictUndefined,
            autoescape=False,  # Markdown, not HTML: untrusted values are made safe by filters
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters.update({**DEFAULT_FILTERS, **(filters or {})})

    def render(self, name: str, **context: Any) -> str:
        try:
            return self._env.get_template(name).render(**context)
        except JinjaError as error:
            where = getattr(error, "filename", None) or name
            line = getattr(error, "lineno", None)
            position = f":{line}" if line else ""
            raise TemplateError(
                f"template {where}{position}: {error.message or error}. "
                f"Fix or remove the override in {OVERRIDE_DIR}/."
            ) from error
