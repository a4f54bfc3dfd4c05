"""WordPress REST errors as WooCommerce answers them: `{"code", "message", "data": {"status"}}`."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from sandbox.emulator import json_response


class WooCommerceError(Exception):
    """A `WP_Error` on its way to the client.

    Args:
        code: The machine-readable error code, such as `woocommerce_rest_product_invalid_id`.
        message: The human-readable message, as WooCommerce words it.
        status: The HTTP status.
        extra: More members of the error's `data` object.
    """

    def __init__(self, code: str, message: str, status: int = 400, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra

    @property
    def data(self) -> dict[str, Any]:
        """The error's `data` member."""
        return {"status": self.status, **self.extra}

    def as_json(self) -> dict[str, Any]:
        """The error envelope."""
        return {"code": self.code, "message": self.message, "data": self.data}

    def response(self) -> Response:
        """The error as an HTTP answer."""
        return json_response(self.as_json(), self.status)


def invalid_param(name: str, message: str, reason: str = "rest_invalid_param") -> WooCommerceError:
    """A request argument that fails its schema, as `WP_REST_Request::has_valid_params` answers.

    Args:
        name: The argument's name.
        message: Why it is invalid, e.g. "per_page must be between 1 (inclusive) and 100
            (inclusive)".
        reason: The code of the underlying validation error (`rest_out_of_bounds`,
            `rest_invalid_type`, `rest_not_in_enum`, ...), shown under `data.details`.
    """
    return WooCommerceError(
        "rest_invalid_param",
        f"Invalid parameter(s): {name}",
        400,
        params={name: message},
        details={
            name: {
                "code": reason,
                "message": message,
                # WordPress names the argument only in its type errors.
                "data": {"param": name} if reason == "rest_invalid_type" else None,
            }
        },
    )


def invalid_id(resource: str, status: int) -> WooCommerceError:
    """An id that names no record of this kind, e.g. `woocommerce_rest_product_invalid_id`."""
    return WooCommerceError(f"woocommerce_rest_{resource}_invalid_id", "Invalid ID.", status)


#: How an endpoint refuses an anonymous caller, by kind of action (always 401).
PERMISSION_ERRORS = {
    "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
    "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "delete": (
        "woocommerce_rest_cannot_delete",
        "Sorry, you are not allowed to delete this resource.",
    ),
    "batch": (
        "woocommerce_rest_cannot_batch",
        "Sorry, you are not allowed to batch manipulate this resource.",
    ),
}
