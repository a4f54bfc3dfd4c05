"""NetSuite's REST error envelope and the errors the emulator raises with it."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from sandbox.emulator import json_response

_TYPES = {
    400: ("https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1", "Bad Request"),
    401: ("https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2", "Unauthorized"),
    403: ("https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.4", "Forbidden"),
    404: ("https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5", "Not Found"),
    405: ("https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.6", "Method Not Allowed"),
    429: ("https://www.rfc-editor.org/rfc/rfc6585.html#section-4", "Too Many Requests"),
    500: ("https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.1", "Internal Server Error"),
    502: ("https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.3", "Bad Gateway"),
    503: ("https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.4", "Service Unavailable"),
    504: ("https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.5", "Gateway Timeout"),
}

INVALID_LOGIN_DETAIL = (
    "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at "
    "Setup > Users/Roles > User Management > View Login Audit Trail."
)
NONEXISTENT_ID_DETAIL = "The record instance does not exist. Provide a valid record instance ID."
SEARCH_ERROR_PREFIX = "Invalid search query. Detailed unprocessed description follows. "


class NetSuiteError(Exception):
    """A request NetSuite refuses, answered with its error envelope.

    Args:
        status: HTTP status.
        code: The `o:errorCode`, such as `INVALID_CONTENT`.
        detail: The human-readable `detail`.
        path: The `o:errorPath` into the request body, if the error is there.
        query_param: The `o:errorQueryParam`, if a query parameter is at fault.
    """

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        path: str | None = None,
        query_param: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.path = path
        self.query_param = query_param

    def response(self) -> Response:
        """The error as NetSuite sends it."""
        item: dict[str, Any] = {"detail": self.detail}
        if self.query_param:
            item["o:errorQueryParam"] = self.query_param
        if self.path:
            item["o:errorPath"] = self.path
        item["o:errorCode"] = self.code
        return error_response(self.status, [item])


def error_response(
    status: int, details: list[dict[str, Any]], headers: dict[str, str] | None = None
) -> Response:
    """The standard envelope: `type`, `title`, `status` and `o:errorDetails`."""
    kind, title = _TYPES.get(status, _TYPES[500])
    return json_response(
        {"type": kind, "title": title, "status": status, "o:errorDetails": details},
        status,
        headers,
    )


def invalid_login() -> NetSuiteError:
    """The 401 every failed authentication answers, whatever failed."""
    return NetSuiteError(401, "INVALID_LOGIN", INVALID_LOGIN_DETAIL)


def nonexistent_id() -> NetSuiteError:
    """The 404 of a record id or external id that does not exist."""
    return NetSuiteError(404, "NONEXISTENT_ID", NONEXISTENT_ID_DETAIL)


def search_error(message: str) -> NetSuiteError:
    """The 400 of a SuiteQL query NetSuite cannot run."""
    return NetSuiteError(400, "INVALID_PARAMETER", SEARCH_ERROR_PREFIX + message, query_param="q")


def invalid_field_value(value: Any, field: str, path: str) -> NetSuiteError:
    """The 400 of a reference to a record that does not exist."""
    return NetSuiteError(
        400,
        "INVALID_CONTENT",
        "Error while accessing resource: You have entered an Invalid Field Value "
        f"{value} for the following field: {field}",
        path=path,
    )
