"""Error responses exactly as GitHub sends them.

https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api — every error body has
``message``, ``documentation_url`` and (since 2023) ``status`` as a string; 422 adds ``errors``.
"""

from __future__ import annotations

import json
from typing import Any

GENERIC_DOCS = "https://docs.github.com/rest"
RATE_LIMIT_DOCS = (
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
    "#about-the-primary-rate-limit"
)


class ApiError(Exception):
    """Raised anywhere in a handler; the pipeline turns it into a response."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        docs: str | None = None,
        headers: dict[str, str] | None = None,
        empty: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.errors = errors
        self.docs = docs
        self.headers = headers or {}
        self.empty = empty
        self.extra = extra or {}

    def body(self, docs: str) -> dict[str, Any] | None:
        if self.empty:
            return None
        out: dict[str, Any] = {"message": self.message, **self.extra}
        if self.errors is not None:
            out["errors"] = self.errors
        out["documentation_url"] = self.docs or docs
        out["status"] = str(self.status)
        return out


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def bad_credentials() -> ApiError:
    return ApiError(401, "Bad credentials", docs=GENERIC_DOCS)


def requires_authentication() -> ApiError:
    return ApiError(401, "Requires authentication")


def not_accessible_by_integration(accepted: str | None = None) -> ApiError:
    """The Actions GITHUB_TOKEN lacks the permission; GitHub names the one it wanted."""
    headers = {"x-accepted-github-permissions": accepted} if accepted else None
    return ApiError(403, "Resource not accessible by integration", headers=headers)


def must_have_push_access() -> ApiError:
    return ApiError(403, "Must have push access to repository")


def validation_failed(*errors: dict[str, Any]) -> ApiError:
    return ApiError(422, "Validation Failed", errors=list(errors))


def invalid_request(detail: str) -> ApiError:
    """Schema-level rejection, as GitHub words it: ``Invalid request.\\n\\n<detail>``."""
    return ApiError(422, f"Invalid request.\n\n{detail}")


def not_supplied(field: str) -> ApiError:
    return invalid_request(f'"{field}" wasn\'t supplied.')


def wrong_type(field: str, value: Any, expected: str) -> ApiError:
    return invalid_request(f"For 'properties/{field}', {json.dumps(value)} is not {expected}.")


def too_long(resource: str, field: str, maximum: int) -> ApiError:
    return validation_failed(
        {
            "resource": resource,
            "code": "custom",
            "field": field,
            "message": f"{field} is too long (maximum is {maximum} characters)",
        }
    )


def problems_parsing_json() -> ApiError:
    return ApiError(400, "Problems parsing JSON")


# An issue holds at most 2,500 comments; past that GitHub refuses every new one, for good
# (cockpit-project/cockpit#8417, digitaldrywood/detent#1540 quote the answer verbatim).
COMMENT_LIMIT = 2500


def commenting_disabled() -> ApiError:
    return ApiError(
        403,
        f"Commenting is disabled on issues with more than {COMMENT_LIMIT} comments",
        docs="https://docs.github.com/rest/issues/comments#create-an-issue-comment",
    )


def moved_permanently(location: str) -> ApiError:
    """A transferred issue: https://docs.github.com/rest/issues/issues#get-an-issue ("The API
    returns a 301 Moved Permanently status if the issue was transferred to another repository");
    the body names the new URL, as for a renamed repository (gidgethub/gidgethub#214)."""
    return ApiError(
        301,
        "Moved Permanently",
        headers={"Location": location},
        extra={"url": location},
        docs="https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects",
    )


def protected_branch(kind: str) -> ApiError:
    """A write to a branch that only takes pull requests. Classic branch protection answers 409
    "Could not update file: … Changes must be made through a pull request." (quoted from
    BobAnkh/auto-generate-changelog#78); a ruleset words it "Repository rule violations found"
    with the rule ("Changes must be made through a pull request.", as GitHub lists it in
    GH013 rejections, e.g. mastra-ai/mastra#20609, satisfactory-factories/application#67)."""
    if kind == "ruleset":
        return ApiError(
            409,
            "Repository rule violations found\n\nChanges must be made through a pull request.\n\n",
            docs="https://docs.github.com/rest/repos/contents#create-or-update-file-contents",
        )
    return ApiError(
        409,
        "Could not update file: Changes must be made through a pull request.",
        docs="https://docs.github.com/articles/about-protected-branches",
    )
