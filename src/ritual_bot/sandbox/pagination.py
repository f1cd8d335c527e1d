"""Pagination as GitHub does it.

https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api — ``per_page``
defaults to 30 and caps at 100; the ``Link`` header lists ``prev``, ``next``, ``last``, ``first`` in
that order, keeps the request's other query parameters, and addresses repository resources as
``/repositories/{id}/...``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlencode

from ritual_bot.sandbox.api import Ctx

T = TypeVar("T")

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


def _int(value: str | None, default: int) -> int:
    try:
        parsed = int(value) if value is not None else default
    except ValueError:
        return default
    return parsed if parsed >= 1 else default


def paginate(ctx: Ctx, items: Sequence[T]) -> tuple[list[T], dict[str, str]]:
    per_page = min(_int(ctx.query.get("per_page"), DEFAULT_PER_PAGE), MAX_PER_PAGE)
    page = _int(ctx.query.get("page"), 1)
    last = max(1, -(-len(items) // per_page))
    chunk = list(items[(page - 1) * per_page : page * per_page])
    links: list[str] = []
    if page > 1:
        links.append(_link(ctx, min(page - 1, last), "prev"))
    if page < last:
        links.append(_link(ctx, page + 1, "next"))
        links.append(_link(ctx, last, "last"))
    if page > 1:
        links.append(_link(ctx, 1, "first"))
    return chunk, ({"Link": ", ".join(links)} if links else {})


def _link(ctx: Ctx, page: int, rel: str) -> str:
    pairs = [(k, v) for k, v in ctx.query_pairs if k != "page"] + [("page", str(page))]
    path = ctx.path
    if ctx.repo_or_none is not None:
        prefix = f"/repos/{ctx.repo.full_name}"
        if path.casefold().startswith(prefix.casefold()):
            path = f"/repositories/{ctx.repo.id}{path[len(prefix) :]}"
    return f'<{ctx.urls.api}{path}?{urlencode(pairs)}>; rel="{rel}"'
