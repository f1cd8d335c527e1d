"""The JSON Schema of ``.github/rituals.yml``, shipped as package data (spec §2).

Editors can point at ``rituals.schema.json``; :mod:`ritual_bot.config` validates with it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "rituals.schema.json"


@cache
def schema_text() -> str:
    """The schema as shipped (JSON text), read once from the package."""
    return resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def config_schema() -> dict[str, Any]:
    """A fresh copy of the schema, so callers cannot alter the one validation uses."""
    schema: dict[str, Any] = json.loads(schema_text())
    return schema
