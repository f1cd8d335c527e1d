"""Files read from the workflow's checkout instead of the contents API.

A scheduled run checks out the default branch (``actions/checkout`` in the workflow), so files
such as decision proposals are already on disk: reading them there costs no request, which keeps
an idle scheduled run within its budget of 3 (SPEC §7). Blob shas are computed the way git does,
so they match what the contents API would report.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from ritual_bot.model import RepoFile

MAX_FILE_BYTES = 1_000_000  # the contents API serves files up to 1 MB; so do we


def blob_sha(data: bytes) -> str:
    """git's object id for a blob (``git hash-object``)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _inside(self, path: str) -> Path | None:
        # Repository paths are relative and posix; anything escaping the checkout is refused.
        candidate = (self.root / PurePosixPath(path.strip("/"))).resolve()
        return candidate if candidate.is_relative_to(self.root) else None

    def list_folder(self, path: str) -> tuple[RepoFile, ...]:
        folder = self._inside(path)
        if folder is None or not folder.is_dir():
            return ()
        found = []
        for entry in sorted(folder.iterdir()):
            if entry.is_file() and not entry.is_symlink():
                relative = entry.relative_to(self.root).as_posix()
                found.append(RepoFile(relative, blob_sha(entry.read_bytes())))
        return tuple(found)

    def get_file(self, path: str) -> RepoFile | None:
        file = self._inside(path)
        if file is None or not file.is_file() or file.is_symlink():
            return None
        data = file.read_bytes()
        if len(data) > MAX_FILE_BYTES:
            return None
        return RepoFile(path, blob_sha(data), data.decode("utf-8", "replace"))
