"""The web page: html_urls open it, user text is escaped, anyone can comment as any user."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from ritual_bot.sandbox import Sandbox


def _fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode()


def test_index_lists_repos_and_issues(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="Weekly HPFO", user="alice")
    status, _, page = _fetch(url + "/")
    assert status == 200 and "acme/team" in page
    status, _, listing = _fetch(url + "/acme/team/issues")
    assert status == 200 and "#1 Weekly HPFO" in listing


def test_html_url_opens_the_issue_page_with_escaped_text(sandbox: Sandbox, url: str) -> None:
    issue = sandbox.create_issue(
        "acme/team", title="<script>alert(1)</script>", body="a & <b>b</b>", user="alice"
    )
    comment = sandbox.create_comment(
        "acme/team", 1, body="<img src=x onerror=alert(1)>", user="bob"
    )
    status, _, page = _fetch(issue["html_url"])
    assert status == 200
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "a &amp; &lt;b&gt;b&lt;/b&gt;" in page
    assert f"id='issuecomment-{comment['id']}'" in page


def test_comment_form_posts_as_the_chosen_user(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    form = urlencode({"repo": "acme/team", "number": "1", "user": "carol", "body": "P: <done>"})
    status, landed, page = _fetch(url + "/_sandbox/comment", form.encode())
    assert status == 200 and "/acme/team/issues/1" in landed
    assert "P: &lt;done&gt;" in page
    [comment] = sandbox.comments("acme/team", 1)
    assert comment["user"]["login"] == "carol" and comment["body"] == "P: <done>"
    assert sandbox.requests == []  # the web page is not API traffic


def test_cross_site_posts_are_refused(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    form = urlencode({"repo": "acme/team", "number": "1", "user": "bob", "body": "x"})
    status, _, _ = _fetch(
        url + "/_sandbox/comment", form.encode(), {"Origin": "http://evil.example"}
    )
    assert status == 403
    assert sandbox.comments("acme/team", 1) == []


def test_unknown_pages_and_raw_files(sandbox: Sandbox, url: str) -> None:
    assert _fetch(url + "/acme/team/issues/9")[0] == 404
    sandbox.put_file("acme/team", "docs/a.md", "# A\n", user="alice")
    token = sandbox.actions_token("acme/team")
    request = urllib.request.Request(
        url + "/repos/acme/team/contents/docs/a.md", headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        download = json.loads(response.read())["download_url"]
    assert _fetch(download)[2] == "# A\n"
