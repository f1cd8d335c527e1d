"""Repository files on the default branch, with git-compatible object ids.

https://docs.github.com/rest/repos/contents#create-or-update-file-contents — creating needs no
``sha``; replacing a file needs the blob ``sha`` being replaced (missing: 422, stale: 409).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from ritual_bot.sandbox import errors
from ritual_bot.sandbox.state import Commit, FileEntry, Repo


def blob_sha(content: bytes) -> str:
    """The git blob id: sha1 of ``blob <size>\\0<content>``."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def _tree_sha(repo: Repo) -> str:
    listing = "".join(f"{path}\0{f.sha}\n" for path, f in sorted(repo.files.items()))
    return hashlib.sha1(f"tree {listing}".encode()).hexdigest()


def put_file(
    repo: Repo,
    path: str,
    content: bytes,
    *,
    sha: str | None,
    message: str,
    author: str,
    now: datetime,
) -> tuple[FileEntry, Commit, bool]:
    """Create or replace ``path``; returns the entry, the new commit and whether it was created."""
    existing = repo.files.get(path)
    if existing is not None and sha is None:
        raise errors.not_supplied("sha")
    if existing is not None and sha != existing.sha:
        raise errors.ApiError(409, f"{path} does not match {sha}")
    entry = FileEntry(path, content, blob_sha(content))
    repo.files[path] = entry
    parent = repo.commits[-1].sha if repo.commits else None
    seed = f"{parent}\0{path}\0{entry.sha}\0{message}\0{author}\0{now.isoformat()}"
    commit = Commit(
        sha=hashlib.sha1(f"commit {seed}".encode()).hexdigest(),
        tree_sha=_tree_sha(repo),
        message=message,
        author=author,
        at=now,
        parent=parent,
    )
    repo.commits.append(commit)
    repo.committers.add(author.casefold())
    return entry, commit, existing is None


def directory(repo: Repo, path: str) -> tuple[list[FileEntry], list[str]] | None:
    """Files directly in ``path`` and names of its subdirectories; None if no such directory."""
    prefix = f"{path.strip('/')}/" if path.strip("/") else ""
    files: list[FileEntry] = []
    dirs: set[str] = set()
    for name, entry in repo.files.items():
        if not name.startswith(prefix):
            continue
        rest = name[len(prefix) :]
        if "/" in rest:
            dirs.add(rest.split("/", 1)[0])
        else:
            files.append(entry)
    if not files and not dirs and prefix:
        return None
    return sorted(files, key=lambda f: f.path), sorted(dirs)
