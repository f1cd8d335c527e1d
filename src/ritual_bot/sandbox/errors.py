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
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.errors = errors
        self.docs = docs
        self.headers = headers or {}
        self.empty = empty

    def body(self, docs: str) -> dict[str, Any] | None:
        if self.empty:
            return None
        out: dict[str, Any] = {"message": self.message}
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
