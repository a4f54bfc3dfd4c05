"""SuiteQL: Oracle-flavoured SELECT statements run on the account's SQLite tables.

sqlglot parses the query as Oracle SQL; the parts SQLite lacks are rewritten (ROWNUM,
BUILTIN.CF and BUILTIN.DF, TO_CHAR, TO_TIMESTAMP / TO_DATE, SYSDATE, TRUNC) and the rest is
qualified against the account's schema, which is how an unknown column is caught and named
the way NetSuite names it. Translations are cached by query text.

Adding or subtracting days to a time (`SYSDATE - 7`, `x.lastmodifieddate + 1/24`) is
translated; other date arithmetic (`ADD_MONTHS`, subtracting two dates) is not.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import OptimizeError, ParseError, SqlglotError
from sqlglot.optimizer.qualify import qualify

from sandbox.netsuite.errors import search_error
from sandbox.netsuite.schema import DATE_COLUMNS, AccountTime

_STATUS_NAMES = {
    "A": "Pending Approval",
    "B": "Pending Fulfillment",
    "C": "Cancelled",
    "D": "Partially Fulfilled",
    "E": "Pending Billing/Partially Fulfilled",
    "F": "Pending Billing",
    "G": "Billed",
    "H": "Closed",
}
_TYPE_NAMES = {"SalesOrd": "Sales Order"}
#: What `BUILTIN.DF` shows for a reference column: the referenced table and its name column.
_DISPLAY_FIELDS = {
    "item": ("item", "itemid"),
    "parent": ("item", "itemid"),
    "location": ("location", "name"),
    "entity": ("customer", "entityid"),
    "currency": ("currency", "name"),
    "pricelevel": ("pricelevel", "name"),
}
_ORACLE_FORMAT = re.compile(
    r'"[^"]*"|YYYY|YY|MONTH|MON|MM|DD|HH24|HH12|HH|MI|SS|AM|PM|FF\d?|DY|DAY|D', re.IGNORECASE
)
_STRFTIME = {
    "YYYY": "%Y",
    "YY": "%y",
    "MONTH": "%B",
    "MON": "%b",
    "MM": "%m",
    "DD": "%d",
    "HH24": "%H",
    "HH12": "%I",
    "HH": "%I",
    "MI": "%M",
    "SS": "%S",
    "AM": "%p",
    "PM": "%p",
    "DY": "%a",
    "DAY": "%A",
    "D": "%w",
}
_CACHE_SIZE = 512


def register_functions(connection: sqlite3.Connection, time: AccountTime) -> None:
    """Give SQLite the functions the translated queries call."""
    functions: dict[str, tuple[int, Callable[..., Any]]] = {
        "ns_to_char": (2, _to_char),
        "ns_to_timestamp": (2, _to_timestamp),
        "ns_date": (1, _date_preference),
        "ns_sysdate": (0, time.now),
        "ns_trunc": (1, _trunc),
        "ns_add_days": (2, _add_days),
        "ns_status_cf": (2, _status_cf),
        "ns_status_df": (2, _status_df),
    }
    for name, (arity, function) in functions.items():
        connection.create_function(name, arity, function, deterministic=name != "ns_sysdate")


def _parse_stored(value: str) -> datetime:
    return datetime.fromisoformat(value[:19])


@functools.lru_cache(maxsize=64)
def _strftime_pattern(oracle_format: str) -> str:
    """An Oracle date format model (`YYYY-MM-DD HH24:MI:SS`) as a strftime pattern."""

    def token(match: re.Match[str]) -> str:
        text = match.group(0)
        if text.startswith('"'):
            return text[1:-1].replace("%", "%%")
        if text.upper().startswith("FF"):
            return "000000"[: int(text[2:] or 6)]
        return _STRFTIME[text.upper()]

    return _ORACLE_FORMAT.sub(token, oracle_format)


def _to_char(value: Any, oracle_format: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return render_scalar(value)
    if oracle_format is None:
        return value
    return _parse_stored(value).strftime(_strftime_pattern(oracle_format))


def _to_timestamp(value: str | None, python_format: str | None) -> str | None:
    if value is None:
        return None
    moment = datetime.strptime(value, python_format or "%d-%b-%y")
    return moment.strftime(AccountTime.FORMAT)


def _date_preference(value: Any) -> Any:
    """A date or time as the default date preference shows it: `12/3/2026`."""
    if not isinstance(value, str) or len(value) < 10:
        return value
    return f"{int(value[5:7])}/{int(value[8:10])}/{value[:4]}"


def _trunc(value: Any) -> Any:
    if isinstance(value, str):
        return value[:10] + " 00:00:00"
    if isinstance(value, float):
        return float(int(value))
    return value


def _add_days(value: str | None, days: float | None) -> str | None:
    if value is None or days is None:
        return None
    moment = _parse_stored(value) + timedelta(days=days)
    return moment.isoformat(" ", "seconds")


def _status_cf(kind: str | None, status: str | None) -> str | None:
    return None if status is None else f"{kind}:{status}"


def _status_df(kind: str | None, status: str | None) -> str | None:
    if status is None:
        return None
    return f"{_TYPE_NAMES.get(kind or '', kind)} : {_STATUS_NAMES.get(status, status)}"


def render_scalar(value: Any) -> str:
    """A value as SuiteQL sends it: always a string, `"107"`, `"125.5"`, `"-2"`."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


@dataclass(frozen=True)
class Translation:
    """A SuiteQL query in SQLite: the rows, and a cheaper statement that counts them."""

    sql: str
    count_sql: str


class SuiteQLTranslator:
    """Turns SuiteQL text into SQLite SQL, caching by query text and schema version.

    Args:
        schema: Reads the current schema (table -> column -> type).
    """

    def __init__(self, schema: Callable[[], dict[str, dict[str, str]]]) -> None:
        self._schema_reader = schema
        self._schema: dict[str, dict[str, str]] | None = None
        self._cache: OrderedDict[str, Translation] = OrderedDict()
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Forget translations and the schema after a custom field is defined."""
        with self._lock:
            self._schema = None
            self._cache.clear()

    def translate(self, query: str) -> Translation:
        """The SQLite statement answering a SuiteQL query.

        Raises:
            NetSuiteError: The query is not a SELECT, does not parse or names an unknown
                table or column.
        """
        with self._lock:
            cached = self._cache.get(query)
            if cached is not None:
                self._cache.move_to_end(query)
                return cached
            if self._schema is None:
                self._schema = self._schema_reader()
            schema = self._schema

        translation = self._translate(query, schema)
        with self._lock:
            self._cache[query] = translation
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return translation

    def _translate(self, query: str, schema: dict[str, dict[str, str]]) -> Translation:
        try:
            statements = sqlglot.parse(query, read="oracle")
        except (ParseError, SqlglotError) as error:
            raise search_error(f"Search error occurred: {_first_line(error)}") from error
        if len(statements) != 1 or not isinstance(statements[0], exp.Query):
            raise search_error("Search error occurred: Invalid or unsupported search.")
        tree = statements[0]

        for table in tree.find_all(exp.Table):
            name = table.name.lower()
            if name not in schema and not _is_cte(tree, name):
                raise search_error(f"Invalid search type: {table.name}.")
        _name_unaliased_projections(tree)
        tree = _rewrite_rownum(tree)
        tree = tree.transform(_rewrite_function).transform(_rewrite_date_arithmetic)

        try:
            tree = qualify(tree, schema=schema, dialect="sqlite")
        except OptimizeError as error:
            raise search_error(_unknown_identifier(error, tree)) from error
        tree = _render_dates(tree)
        try:
            sql = tree.sql(dialect="sqlite", unsupported_level=sqlglot.ErrorLevel.RAISE)
            counted = _counting_form(tree)
        except SqlglotError as error:
            raise search_error(f"Search error occurred: {_first_line(error)}") from error
        return Translation(sql=sql, count_sql=f"SELECT COUNT(*) FROM ({counted or sql})")


def _counting_form(tree: exp.Expression) -> str | None:
    """The query without its projections and order, when that keeps its row count."""
    if not isinstance(tree, exp.Select):
        return None
    if any(tree.args.get(arg) for arg in ("group", "having", "distinct", "limit", "offset")):
        return None
    if any(p.find(exp.AggFunc, exp.Window) for p in tree.expressions):
        return None
    counted = tree.copy()
    counted.set("expressions", [exp.Literal.number(1)])
    counted.set("order", None)
    return counted.sql(dialect="sqlite")


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _is_cte(tree: exp.Expression, name: str) -> bool:
    return any(cte.alias_or_name.lower() == name for cte in tree.find_all(exp.CTE))


def _unknown_identifier(error: OptimizeError, tree: exp.Expression) -> str:
    match = re.search(r"Column '([^']+)' could not be resolved", str(error))
    tables = sorted({t.name.lower() for t in tree.find_all(exp.Table)})
    available = ", ".join(f"{table}={table}" for table in tables)
    if match:
        identifier = match.group(1).strip('"')
        return (
            f"Search error occurred: Unknown identifier '{identifier}'. "
            f"Available identifiers are: {{{available}}}."
        )
    return f"Search error occurred: {_first_line(error)}"


def _outer_selects(tree: exp.Expression) -> list[exp.Select]:
    if isinstance(tree, exp.Select):
        return [tree]
    if isinstance(tree, exp.SetOperation):
        return _outer_selects(tree.left) + _outer_selects(tree.right)
    if isinstance(tree, exp.Subquery):
        return _outer_selects(tree.this)
    return []


def _name_unaliased_projections(tree: exp.Expression) -> None:
    """Name computed columns as NetSuite does: `expr1`, `expr2`, ..."""
    for select in _outer_selects(tree):
        position = 0
        named: list[exp.Expression] = []
        for projection in select.expressions:
            if isinstance(projection, exp.Alias | exp.Column | exp.Star):
                named.append(projection)
                continue
            position += 1
            named.append(exp.alias_(projection, f"expr{position}"))
        select.set("expressions", named)


def _rewrite_rownum(tree: exp.Expression) -> exp.Expression:
    """`WHERE ROWNUM <= n` becomes a row limit; ROWNUM elsewhere counts rows."""
    for select in list(tree.find_all(exp.Select)):
        where = select.args.get("where")
        if where is None:
            continue
        conjuncts = list(where.this.flatten()) if isinstance(where.this, exp.And) else [where.this]
        kept: list[exp.Expression] = []
        limit: int | None = None
        for condition in conjuncts:
            bound = _rownum_bound(condition)
            if bound is None:
                kept.append(condition)
            else:
                limit = bound if limit is None else min(limit, bound)
        if limit is None:
            continue
        select.set("where", exp.Where(this=exp.and_(*kept)) if kept else None)
        existing = select.args.get("limit")
        if existing is not None and isinstance(existing.args.get("count"), exp.Literal):
            limit = min(limit, int(existing.args["count"].this))
        select.set("limit", exp.Limit(expression=exp.Literal.number(limit)))

    def row_number(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name.upper() == "ROWNUM":
            return exp.Window(this=exp.RowNumber())
        return node

    return tree.transform(row_number)


def _rownum_bound(condition: exp.Expression) -> int | None:
    if not isinstance(condition, exp.LTE | exp.LT):
        return None
    left, right = condition.this, condition.expression
    if not (isinstance(left, exp.Column) and left.name.upper() == "ROWNUM" and not left.table):
        return None
    if not isinstance(right, exp.Literal) or right.is_string:
        return None
    bound = int(float(right.this))
    return bound if isinstance(condition, exp.LTE) else bound - 1


def _rewrite_function(node: exp.Expression) -> exp.Expression:
    if (
        isinstance(node, exp.Dot)
        and isinstance(node.this, exp.Identifier | exp.Column)
        and node.this.name.upper() == "BUILTIN"
        and isinstance(node.expression, exp.Anonymous)
    ):
        return _builtin(node.expression)
    if isinstance(node, exp.ToChar):
        fmt = node.args.get("format")
        return exp.Anonymous(this="ns_to_char", expressions=[node.this, fmt or exp.Null()])
    if isinstance(node, exp.StrToTime | exp.StrToDate):
        fmt = node.args.get("format")
        return exp.Anonymous(this="ns_to_timestamp", expressions=[node.this, fmt or exp.Null()])
    if isinstance(node, exp.CurrentTimestamp | exp.CurrentDate):
        return exp.Anonymous(this="ns_sysdate", expressions=[])
    if isinstance(node, exp.Anonymous) and node.name.upper() == "TRUNC":
        return exp.Anonymous(this="ns_trunc", expressions=node.expressions[:1])
    return node


_TIME_FUNCTIONS = {"ns_sysdate", "ns_to_timestamp", "ns_trunc", "ns_add_days"}


def _is_time(node: exp.Expression) -> bool:
    if isinstance(node, exp.Anonymous):
        return node.name.lower() in _TIME_FUNCTIONS
    return isinstance(node, exp.Column) and node.name.lower() in DATE_COLUMNS


def _rewrite_date_arithmetic(node: exp.Expression) -> exp.Expression:
    """`time + n` and `time - n` move a time by n days, as in Oracle."""
    if not isinstance(node, exp.Add | exp.Sub) or not _is_time(node.this):
        return node
    if _is_time(node.expression):
        return node
    days = node.expression if isinstance(node, exp.Add) else exp.Neg(this=node.expression)
    return exp.Anonymous(this="ns_add_days", expressions=[node.this, days])


def _builtin(call: exp.Anonymous) -> exp.Expression:
    function = call.name.upper()
    argument = call.expressions[0] if call.expressions else exp.Null()
    if function not in {"CF", "DF"} or not isinstance(argument, exp.Column):
        return argument

    column = argument.name.lower()
    if column == "status":
        kind = exp.column("type", table=argument.table) if argument.table else exp.column("type")
        name = "ns_status_cf" if function == "CF" else "ns_status_df"
        return exp.Anonymous(this=name, expressions=[kind, argument])
    if function == "DF" and column in _DISPLAY_FIELDS:
        table, name_column = _DISPLAY_FIELDS[column]
        lookup = exp.select(f"df.{name_column}").from_(f"{table} df")
        lookup = lookup.where(exp.EQ(this=exp.column("id", table="df"), expression=argument))
        return exp.Subquery(this=lookup)
    return argument


def _render_dates(tree: exp.Expression) -> exp.Expression:
    """Dates selected as they are come back in the account's date preference."""
    for select in _outer_selects(tree):
        rendered: list[exp.Expression] = []
        for projection in select.expressions:
            inner = projection.this if isinstance(projection, exp.Alias) else projection
            if isinstance(inner, exp.Column) and inner.name.lower() in DATE_COLUMNS:
                wrapped = exp.Anonymous(this="ns_date", expressions=[inner.copy()])
                projection = exp.alias_(wrapped, projection.alias_or_name, quoted=True)
            rendered.append(projection)
        select.set("expressions", rendered)
    return tree
