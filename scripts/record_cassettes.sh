#!/usr/bin/env bash
# Re-record the gateway cassettes (tests/live/README.md).
#
#   scripts/record_cassettes.sh          rewrite tests/data/cassettes/sandbox from a fresh sandbox
#                                        and replay them
#   RITUAL_BOT_LIVE_TOKEN=… RITUAL_BOT_LIVE_REPO=owner/scratch scripts/record_cassettes.sh
#                                        also re-record tests/data/cassettes/live against GitHub
#                                        and print the structural diff of the two sets
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/python -m pytest -q tests/gateway --record-mode=rewrite
.venv/bin/python -m pytest -q tests/gateway

if [[ -n "${RITUAL_BOT_LIVE_TOKEN:-}" && -n "${RITUAL_BOT_LIVE_REPO:-}" ]]; then
  .venv/bin/python -m pytest -q tests/live -m live
  status=0
  .venv/bin/python -m tests.live.diff_cassettes || status=$?
  echo "diff_cassettes exit status: ${status} (0 same structure, 1 differences)"
else
  echo "live mode skipped: RITUAL_BOT_LIVE_TOKEN and RITUAL_BOT_LIVE_REPO are not both set"
fi

git status --short tests/data/cassettes
