"""The gateway's key conversations with GitHub, replayed from cassettes recorded on the sandbox.

Each flow (``flows.py``) goes through the real Gateway and PyGithub; only the socket is replaced
by the cassette. Re-record with ``--record-mode=rewrite`` (``tests/live/README.md``).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.flows import FLOWS, Flow, Target


@pytest.mark.vcr
@pytest.mark.parametrize("flow", FLOWS, ids=str)
def test_flow(flow: Flow, target: Target, vcr: Any) -> None:
    flow.run(target)
    assert [r["status"]["code"] for r in vcr.responses] == list(flow.statuses)
