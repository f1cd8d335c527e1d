"""The token never appears in output: the session-wide guard, and the places that could print it."""

from __future__ import annotations

from ritual_bot.gateway import Gateway, Secret
from tests.support import leaks


def test_the_leak_finder_sees_a_token_anywhere_in_the_text() -> None:
    token = "ghs_0123456789abcdefghij"
    assert leaks(f"error: bad {token} here", {token}) == [token]
    assert leaks("nothing here", {token}) == []
    assert leaks("ab", {"ab"}) == []  # too short to be a token: would match by chance


def test_secrets_and_gateways_never_show_the_token_in_reprs() -> None:
    token = "ghp_averysecrettokenvalue123"
    secret = Secret(token)
    gateway = Gateway("acme/team", secret, api_url="http://127.0.0.1:9")
    for shown in (repr(secret), str(secret), repr(gateway), str(gateway), f"{gateway!r}"):
        assert token not in shown
