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

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, meta, nodes
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
        self.override_dir = override_dir if override_dir and override_dir.is_dir() else None
        if self.override_dir is not None:
            search += [str(self.override_dir / language), str(self.override_dir)]
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
            raise self._explain(error, name) from error

    def check(self) -> None:
        """Compile every override before anything is read or written, so a broken or misnamed
        template stops the run with a clear error instead of half-way through (SPEC §7)."""
        if self.override_dir is None:
            return
        known = {p.name for p in (package_templates_dir() / self.language).iterdir()}
        for path in sorted(self.override_dir.rglob("*.j2")):
            relative = path.relative_to(self.override_dir)
            if relative.parts[0] not in (self.language, path.name):
                continue  # another language's override
            if path.name not in known:
                raise TemplateError(
                    f"{self._shown(path)}: no default template is called {path.name!r}; "
                    f"overrides use the default names: {', '.join(sorted(known))}.",
                    path=self._shown(path),
                )
            try:
                tree = self._env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
            except JinjaError as error:
                raise self._explain(error, path.name) from error
            self._check_names(path, tree)

    def _check_names(self, path: Path, tree: nodes.Template) -> None:
        """An override may use only the values ritual-bot gives that template: the names its
        default uses. ``{{ nosuchvar }}`` would otherwise pass here and fail the run later."""
        default = package_templates_dir() / self.language / path.name
        given = meta.find_undeclared_variables(
            self._env.parse(default.read_text(encoding="utf-8"), path.name, str(default))
        )
        unknown = sorted(meta.find_undeclared_variables(tree) - given - set(self._env.globals))
        if unknown:
            names = ", ".join(f"`{n}`" for n in unknown)
            raise TemplateError(
                f"{self._shown(path)}: uses {names}, which ritual-bot does not give "
                f"{path.name}; it gives: {', '.join(sorted(given)) or 'nothing'}. "
                f"Fix or remove the override in {OVERRIDE_DIR}/.",
                path=self._shown(path),
            )

    def _override_of(self, name: str) -> Path | None:
        """The repository's override of template ``name``, if it has one."""
        if self.override_dir is None:
            return None
        for candidate in (self.override_dir / self.language / name, self.override_dir / name):
            if candidate.is_file():
                return candidate
        return None

    def _shown(self, path: Path | str) -> str:
        """A path as a person finds it in their repository (relative to the checkout)."""
        text = str(path)
        if self.override_dir is not None:
            root = self.override_dir.parents[len(OVERRIDE_DIR.parts) - 1]
            if text.startswith(str(root) + "/"):
                return text[len(str(root)) + 1 :]
        return text

    def _explain(self, error: JinjaError, name: str) -> TemplateError:
        filename = getattr(error, "filename", None)
        line = getattr(error, "lineno", None)
        overridden = self.override_dir is not None and (
            (bool(filename) and str(self.override_dir) in str(filename))
            or self._override_of(name) is not None
        )
        if overridden and not filename:
            filename = str(self._override_of(name))
        where = self._shown(filename) if overridden and filename else name
        position = f":{line}" if line else ""
        advice = (
            f"Fix or remove the override in {OVERRIDE_DIR}/."
            if overridden
            else "This is a bug in ritual-bot's default template: please report it."
        )
        return TemplateError(
            f"template {where}{position}: {error.message or error}. {advice}",
            path=where if overridden else None,
            line=line,
        )
