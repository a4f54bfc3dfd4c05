"""What every record of the record API shares: links, references, body checks, collections.

The collection filter `q` (`GET /record/v1/customer?q=email IS "ada@example.com"`) takes
NetSuite's `field OPERATOR value` conditions joined by AND / OR; operators are translated to
SQL over the record's SuiteQL table.
"""

from __future__ import annotations

import json
import shlex
import sqlite3
from enum import Enum
from typing import Any

from werkzeug.wrappers import Request

from sandbox.netsuite.errors import NetSuiteError

SINGULAR = "application/vnd.oracle.resource+json; type=singular-resource"
COLLECTION = "application/vnd.oracle.resource+json; type=collection"
_OPERATORS = {
    "IS": "= ?",
    "IS_NOT": "!= ?",
    "EQUAL": "= ?",
    "NOT_EQUAL": "!= ?",
    "GREATER": "> ?",
    "GREATER_OR_EQUAL": ">= ?",
    "LESS": "< ?",
    "LESS_OR_EQUAL": "<= ?",
    "AFTER": "> ?",
    "BEFORE": "< ?",
    "ON_OR_AFTER": ">= ?",
    "ON_OR_BEFORE": "<= ?",
    "CONTAIN": "LIKE ?",
    "DOES_NOT_CONTAIN": "NOT LIKE ?",
    "START_WITH": "LIKE ?",
    "END_WITH": "LIKE ?",
}


class FieldValidation(Enum):
    """What `X-NetSuite-PropertyNameValidation` asks for an unknown body field."""

    IGNORE = "ignore"
    WARNING = "warning"
    ERROR = "error"

    @classmethod
    def of(cls, request: Request) -> FieldValidation:
        """The validation a request asks for; NetSuite ignores unknown fields by default."""
        value = request.headers.get("X-NetSuite-PropertyNameValidation", "").strip().lower()
        return cls(value) if value in {"ignore", "warning", "error"} else cls.IGNORE


def link(href: str) -> list[dict[str, str]]:
    """A record's `links`: its own address."""
    return [{"rel": "self", "href": href}]


def sublist_link(href: str) -> dict[str, Any]:
    """A sublist not expanded: only the link to fetch it."""
    return {"links": link(href)}


def reference(base: str, record_type: str, record_id: Any, name: str | None) -> dict[str, Any]:
    """A reference field: `{"links": [...], "id": "107", "refName": "..."}`."""
    value: dict[str, Any] = {
        "links": link(f"{base}/record/v1/{record_type}/{record_id}"),
        "id": str(record_id),
    }
    if name is not None:
        value["refName"] = name
    return value


def to_flag(value: Any, field: str) -> str:
    """A JSON boolean as NetSuite stores it: 'T' or 'F'."""
    if isinstance(value, bool):
        return "T" if value else "F"
    if value in {"T", "F"}:
        return str(value)
    raise NetSuiteError(
        400,
        "INVALID_CONTENT",
        f"Error while accessing resource: Invalid value for the field: {field}",
        path=field,
    )


def read_body(request: Request) -> dict[str, Any]:
    """The JSON object of a write.

    Raises:
        NetSuiteError: The body is not a JSON object.
    """
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
    except ValueError as error:
        raise NetSuiteError(
            400,
            "INVALID_CONTENT",
            "Invalid content in the request body. The request body is not a valid JSON "
            f"document: {error.msg} at line {error.lineno} column {error.colno}.",
        ) from error
    if not isinstance(body, dict):
        raise NetSuiteError(
            400, "INVALID_CONTENT", "Invalid content in the request body: expected an object."
        )
    return body


def check_fields(body: dict[str, Any], known: set[str], validation: FieldValidation) -> None:
    """Refuse unknown fields when the request asked for strict property-name validation."""
    if validation is not FieldValidation.ERROR:
        return
    for name in body:
        if name not in known:
            raise NetSuiteError(
                400,
                "NONEXISTENT_FIELD",
                f"Request body contains a field that does not exist on the record: {name}.",
                path=name,
            )


def reference_id(value: Any, field: str) -> int:
    """The internal id in a reference (`{"id": "107"}`; a bare id is accepted too).

    Raises:
        NetSuiteError: INVALID_CONTENT when the id is not a number.
    """
    raw = value.get("id") if isinstance(value, dict) else value
    try:
        return int(str(raw))
    except ValueError as error:
        raise NetSuiteError(
            400,
            "INVALID_CONTENT",
            "Error while accessing resource: You have entered an Invalid Field Value "
            f"{raw} for the following field: {field.split('.')[-1]}",
            path=field,
        ) from error


def filter_sql(query: str, columns: dict[str, str]) -> tuple[str, list[Any]]:
    """The SQL WHERE clause of a record collection's `q` filter.

    Args:
        query: The filter, e.g. `email IS "ada@example.com" AND isInactive IS false`.
        columns: camelCase field -> column of the record's table.

    Raises:
        NetSuiteError: The filter does not parse or names an unknown field.
    """
    try:
        tokens = shlex.split(query)
    except ValueError as error:
        raise _bad_filter(query) from error
    sql: list[str] = []
    params: list[Any] = []
    position = 0
    while position < len(tokens):
        if sql:
            joiner = tokens[position].upper()
            if joiner not in {"AND", "OR"}:
                raise _bad_filter(query)
            sql.append(joiner)
            position += 1
        if position + 1 >= len(tokens):
            raise _bad_filter(query)
        field, operator = tokens[position], tokens[position + 1].upper()
        column = columns.get(field)
        if column is None:
            raise _bad_filter(query)
        if operator in {"EMPTY", "EMPTY_NOT"}:
            sql.append(f'"{column}" IS {"NOT " if operator == "EMPTY_NOT" else ""}NULL')
            position += 2
            continue
        if operator not in _OPERATORS or position + 2 >= len(tokens):
            raise _bad_filter(query)
        sql.append(f'"{column}" {_OPERATORS[operator]}')
        params.append(_filter_value(tokens[position + 2], operator))
        position += 3
    return " ".join(sql), params


def _filter_value(raw: str, operator: str) -> Any:
    value: Any = {"true": "T", "false": "F"}.get(raw.lower(), raw)
    if operator in {"CONTAIN", "DOES_NOT_CONTAIN"}:
        return f"%{value}%"
    if operator == "START_WITH":
        return f"{value}%"
    if operator == "END_WITH":
        return f"%{value}"
    return value


def _bad_filter(query: str) -> NetSuiteError:
    return NetSuiteError(
        400,
        "INVALID_PARAMETER",
        f"Invalid query parameter value: {query}. Provide a valid search expression.",
        query_param="q",
    )


def collection(
    db: sqlite3.Connection,
    table: str,
    record_type: str,
    where: str,
    params: list[Any],
    base: str,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """A page of a record collection: ids with their links, as `GET /record/v1/{type}`."""
    condition = f"WHERE {where}" if where else ""
    total = db.execute(f'SELECT COUNT(*) FROM "{table}" {condition}', params).fetchone()[0]
    rows = db.execute(
        f'SELECT id FROM "{table}" {condition} ORDER BY id LIMIT ? OFFSET ?',
        [*params, limit, offset],
    ).fetchall()
    href = f"{base}/record/v1/{record_type}"
    items = [{"links": link(f"{href}/{row[0]}"), "id": str(row[0])} for row in rows]
    links = []
    if offset + len(items) < total:
        links.append({"rel": "next", "href": f"{href}?limit={limit}&offset={offset + limit}"})
    links.append({"rel": "self", "href": f"{href}?limit={limit}&offset={offset}"})
    return {
        "links": links,
        "count": len(items),
        "hasMore": offset + len(items) < total,
        "items": items,
        "offset": offset,
        "totalResults": total,
    }
