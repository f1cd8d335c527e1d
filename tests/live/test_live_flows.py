"""The gateway flows against real GitHub, writing tests/data/cassettes/live (see README.md here).

Skipped unless RITUAL_BOT_LIVE_TOKEN and RITUAL_BOT_LIVE_REPO are set. The checks are the
sandbox's: the same model values, request counts and statuses, so a live run that passes says the
sandbox and GitHub agree on everything the gateway reads; the cassette diff shows the rest.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.flows import FLOWS, Flow
from tests.live.live import SKIP_REASON, Live, configured

pytestmark = [pytest.mark.live, pytest.mark.skipif(not configured(), reason=SKIP_REASON)]


@pytest.mark.vcr
@pytest.mark.parametrize("flow", FLOWS, ids=str)
def test_live_flow(flow: Flow, live: Live, vcr: Any) -> None:
    flow.run(live.target)
    assert [r["status"]["code"] for r in vcr.responses] == list(flow.statuses)
