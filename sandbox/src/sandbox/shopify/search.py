"""Shopify's search syntax (`query:` argument) translated to SQL conditions.

The syntax: terms `field:value`, with comparators `field:>value`, `:>=`, `:<`, `:<=`;
values bare or quoted with single or double quotes; a trailing `*` is a prefix match; terms
joined by spaces or `AND` (both mean AND), `OR`, negated by `NOT` or a leading `-`, grouped
with parentheses. A bare word searches the resource's default text field. Fields the resource
does not know are ignored, as Shopify ignores them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sandbox.shopify.store import parse_gid, stamp

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<open>\()|(?P<close>\))|
        (?P<field>[A-Za-z_][\w.]*):(?P<op><=|>=|<|>)?
            (?P<fvalue>'[^']*'|"[^"]*"|[^\s()]*)|
        (?P<word>'[^']*'|"[^"]*"|[^\s()]+)
    )""",
    re.VERBOSE,
)

Condition = tuple[str, list[object]]


@dataclass(frozen=True)
class SearchField:
    """How one search field of a resource becomes SQL.

    Attributes:
        sql: An expression with `{cmp}` where the comparison goes, such as `v.sku {cmp}`.
        kind: `text`, `time`, `int`, `id` or `enum` (comma-separated values, upper-cased).
    """

    sql: str
    kind: str = "text"


class SearchSyntaxError(ValueError):
    """The query string cannot be parsed."""


def compile_search(
    query: str | None,
    fields: dict[str, SearchField | Callable[[str, str], Condition]],
    default_field: str,
    time_zone: str = "UTC",
) -> Condition:
    """The SQL condition (and its parameters) a search query stands for.

    Args:
        query: The `query:` argument; None or blank matches everything.
        fields: The resource's search fields by name.
        default_field: The field a bare word searches.
        time_zone: The shop's time zone, which dates without a time are read in.
    """
    if not query or not query.strip():
        return "1", []
    tokens = _tokenize(query)
    parser = _Parser(tokens, fields, default_field, ZoneInfo(time_zone))
    condition = parser.parse_or()
    return condition


def _tokenize(query: str) -> list[tuple[str, ...]]:
    tokens: list[tuple[str, ...]] = []
    position = 0
    while position < len(query):
        if query[position:].strip() == "":
            break
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            raise SearchSyntaxError(f"cannot read the search query at {position}")
        position = match.end()
        if match["open"]:
            tokens.append(("(",))
        elif match["close"]:
            tokens.append((")",))
        elif match["field"]:
            tokens.append(("term", match["field"], match["op"] or "", _unquote(match["fvalue"])))
        else:
            word = match["word"]
            if word in ("AND", "OR", "NOT"):
                tokens.append((word,))
            elif word.startswith("-") and len(word) > 1:
                tokens.append(("NOT",))
                tokens.extend(_tokenize(word[1:]))
            else:
                tokens.append(("word", _unquote(word)))
    return tokens


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


class _Parser:
    def __init__(
        self,
        tokens: list[tuple[str, ...]],
        fields: dict[str, SearchField | Callable[[str, str], Condition]],
        default_field: str,
        zone: ZoneInfo,
    ) -> None:
        self.tokens = tokens
        self.index = 0
        self.fields = fields
        self.default_field = default_field
        self.zone = zone

    def _peek(self) -> tuple[str, ...] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def parse_or(self) -> Condition:
        parts = [self.parse_and()]
        while self._peek() == ("OR",):
            self.index += 1
            parts.append(self.parse_and())
        return _join(parts, " OR ")

    def parse_and(self) -> Condition:
        parts = [self.parse_unary()]
        while True:
            token = self._peek()
            if token is None or token in (("OR",), (")",)):
                break
            if token == ("AND",):
                self.index += 1
            parts.append(self.parse_unary())
        return _join(parts, " AND ")

    def parse_unary(self) -> Condition:
        token = self._peek()
        if token is None:
            raise SearchSyntaxError("the search query ends too early")
        self.index += 1
        if token == ("NOT",):
            sql, params = self.parse_unary()
            return f"NOT ({sql})", params
        if token == ("(",):
            inner = self.parse_or()
            if self._peek() == (")",):
                self.index += 1
            return inner
        if token[0] == "term":
            return self._term(token[1], token[2], token[3])
        if token[0] == "word":
            return self._term(self.default_field, "", token[1])
        return "1", []

    def _term(self, name: str, op: str, value: str) -> Condition:
        spec = self.fields.get(name.lower())
        if spec is None:
            return "1", []
        if callable(spec):
            return spec(op, value)
        comparator = {"": "=", ">": ">", ">=": ">=", "<": "<", "<=": "<="}[op]
        if spec.kind == "time":
            return spec.sql.format(cmp=f"{comparator} ?"), [self._time(value)]
        if spec.kind in ("int", "id"):
            number = parse_gid(value) if value.startswith("gid://") else _int(value)
            return spec.sql.format(cmp=f"{comparator} ?"), [number]
        if spec.kind == "enum":
            values = [part.strip().upper() for part in value.split(",") if part.strip()]
            marks = ", ".join("?" for _ in values) or "NULL"
            return spec.sql.format(cmp=f"IN ({marks})"), list(values)
        if value.endswith("*"):
            return spec.sql.format(cmp="LIKE ? ESCAPE '\\'"), [_like_prefix(value[:-1])]
        if op:
            return spec.sql.format(cmp=f"{comparator} ?"), [value]
        return spec.sql.format(cmp="= ? COLLATE NOCASE"), [value]

    def _time(self, value: str) -> str:
        try:
            if len(value) == 10:
                moment = datetime.fromisoformat(value).replace(tzinfo=self.zone)
            else:
                moment = datetime.fromisoformat(value)
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=self.zone)
        except ValueError as error:
            raise SearchSyntaxError(f"not a date: {value}") from error
        return stamp(moment.astimezone(UTC))


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError as error:
        raise SearchSyntaxError(f"not a number: {value}") from error


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _join(parts: list[Condition], glue: str) -> Condition:
    if len(parts) == 1:
        return parts[0]
    sql = glue.join(f"({part[0]})" for part in parts)
    params: list[object] = [param for part in parts for param in part[1]]
    return sql, params
