"""A faithful, stateful local emulation of the GitHub REST API subset ritual-bot uses.

See ``core.Sandbox``. Importing this package has no side effects: nothing listens until
``Sandbox.serve()`` or ``Sandbox.serve_forever()``.
"""

from __future__ import annotations

from ritual_bot.sandbox.api import (
    DROP,
    AfterHook,
    BeforeHook,
    Drop,
    Request,
    RequestRecord,
    Response,
)
from ritual_bot.sandbox.core import Sandbox
from ritual_bot.sandbox.errors import ApiError

__all__ = [
    "DROP",
    "AfterHook",
    "ApiError",
    "BeforeHook",
    "Drop",
    "Request",
    "RequestRecord",
    "Response",
    "Sandbox",
]
