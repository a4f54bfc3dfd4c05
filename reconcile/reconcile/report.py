"""The report step: settings, the comparison, its history, and where the result goes."""

from __future__ import annotations

import json
import logging
import os
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import requests
from singer_sdk import typing as th

from reconcile.compare import NUMBERS, CompareOptions, Reconciliation, Tolerance, compare
from reconcile.history import DEFAULT_DATABASE_URL, History
from sync_model.ownership import FieldOwnership, OwnershipError
from sync_model.violations import DEFAULT_VIOLATIONS_PATH, ViolationLog

logger = logging.getLogger("reconcile")

FORMATS = ("table", "json", "markdown", "html")

REPORT_SETTINGS = th.PropertiesList(
    th.Property(
        "database_url",
        th.StringType,
        default=DEFAULT_DATABASE_URL,
        secret=True,
        title="History database",
        description="SQLAlchemy URL of the history target-reconcile writes (same as its setting).",
    ),
    th.Property(
        "store",
        th.StringType,
        allowed_values=["woocommerce", "shopify"],
        title="Store",
        description=(
            "The store compared with NetSuite. Empty: the one store the history holds "
            "snapshots of (an error when it holds both)."
        ),
    ),
    th.Property(
        "locations",
        th.ArrayType(th.StringType),
        title="Locations counted",
        description=(
            "Store location ids whose on-hand stock is added up (tap-netsuite-inventory emits "
            "NetSuite stock under these ids through its location_mapping). Empty: every "
            "location either side reports."
        ),
    ),
    *(
        th.Property(
            f"{name}_tolerance",
            th.StringType,
            default="0",
            title=f"Tolerance: {name.replace('_', ' ')}",
            description=(
                f"Largest {name.replace('_', ' ')} difference that passes: an amount (25) or a "
                "percentage of NetSuite's figure (1.5%). Above it the report exits 1."
            ),
        )
        for name in NUMBERS
    ),
    th.Property(
        "drilldown_limit",
        th.IntegerType,
        default=50,
        title="Drill-down rows",
        description="Rows shown per drill-down list; the full count is always shown.",
    ),
    th.Property(
        "violations_path",
        th.StringType,
        default=str(DEFAULT_VIOLATIONS_PATH),
        title="Ownership violations log",
        description="The JSON-lines log target-storefront and target-netsuite append to.",
    ),
    th.Property(
        "ownership_path",
        th.StringType,
        default="ownership.yml",
        title="Ownership file",
        description=(
            "ownership.yml, to show each edited field's owner. A missing file means one_way."
        ),
    ),
    th.Property(
        "webhook_url",
        th.StringType,
        secret=True,
        title="Webhook URL",
        description=(
            "POST the JSON report here (Slack-style incoming webhooks, alerting tools). Kept "
            "secret: such URLs carry a token."
        ),
    ),
    th.Property(
        "webhook_when",
        th.StringType,
        default="exceeded",
        allowed_values=["exceeded", "always"],
        title="When to post",
        description="exceeded: only when a tolerance is exceeded; always: after every report.",
    ),
).to_dict()


def utc_now() -> datetime:
    """The report's clock; a test replaces it to run several days in a few seconds."""
    return datetime.now(UTC)


class ReportError(Exception):
    """The report cannot run; the message says what to fix (never a secret's value)."""


def load_settings(config_path: Path | None, environ: dict[str, str] | None = None) -> dict:
    """Settings from a JSON file, overridden by `RECONCILE_<SETTING>` variables (as Meltano sets).

    Raises:
        ReportError: A setting is malformed; the message names it.
    """
    environ = dict(os.environ if environ is None else environ)
    settings: dict[str, Any] = {}
    if config_path is not None:
        try:
            settings = json.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ReportError(f"--config {config_path}: cannot read it as JSON: {error}") from None
    properties = REPORT_SETTINGS["properties"]
    for name, schema in properties.items():
        raw = environ.get(f"RECONCILE_{name.upper()}")
        if raw in (None, ""):
            continue
        if "array" in str(schema.get("type")) or "integer" in str(schema.get("type")):
            try:
                settings[name] = json.loads(raw)
            except json.JSONDecodeError:
                settings[name] = [part.strip() for part in raw.split(",") if part.strip()]
        else:
            settings[name] = raw
    for name, schema in properties.items():
        if name not in settings and "default" in schema:
            settings[name] = schema["default"]
    try:
        jsonschema.validate(settings, REPORT_SETTINGS)
    except jsonschema.ValidationError as error:
        where = ".".join(str(part) for part in error.absolute_path) or "settings"
        if properties.get(where, {}).get("secret"):
            raise ReportError(
                f"setting {where}: not a valid value (not shown: it is secret)"
            ) from None
        raise ReportError(f"setting {where}: {error.message}") from None
    return settings


def run_report(settings: dict[str, Any], now: datetime | None = None) -> Reconciliation:
    """Compare the newest snapshots of NetSuite and the store, and keep the run's numbers.

    Raises:
        ReportError: A setting is wrong or a side has no complete snapshot yet.
    """
    run_at = now or utc_now()
    tolerances = {}
    for name in NUMBERS:
        try:
            tolerances[name] = Tolerance.parse(
                settings.get(f"{name}_tolerance"), setting=f"{name}_tolerance"
            )
        except ValueError as error:
            raise ReportError(str(error)) from None
    ownership = _ownership(Path(settings.get("ownership_path") or "ownership.yml"))

    history = History(settings.get("database_url") or DEFAULT_DATABASE_URL)
    try:
        store = _store(history, settings.get("store"))
        netsuite_snapshot = history.latest_snapshots("netsuite")
        store_snapshot = history.latest_snapshots(store)
        missing = [
            name
            for name, found in (("netsuite", netsuite_snapshot), (store, store_snapshot))
            if not found
        ]
        if missing:
            raise ReportError(
                f"no complete snapshot of {' and '.join(missing)} yet: run its tap into "
                "target-reconcile first"
            )
        runs = history.report_runs(store)
        since = runs[-1].run_at if runs else run_at - timedelta(days=1)
        log = ViolationLog(Path(settings.get("violations_path") or DEFAULT_VIOLATIONS_PATH))
        limit = int(settings.get("drilldown_limit", 50))
        violation_count, first = _violations(log, since, limit)
        options = CompareOptions(settings.get("locations") or None, tolerances, limit, ownership)
        result = compare(
            history,
            netsuite_snapshot[0],
            store_snapshot[0],
            options,
            first,
            violation_count,
            run_at,
        )
        _add_history(result, runs)
        history.record_report(
            run_at,
            store,
            netsuite_snapshot[0],
            store_snapshot[0],
            result.exceeded,
            result.numbers_json(),
        )
        result.history.append(_history_point(run_at, result.numbers_json()["numbers"]))
    finally:
        history.close()
    logger.info(
        "Compared NetSuite snapshot %d with %s snapshot %d: %d number(s) past tolerance",
        result.netsuite_snapshot.id,
        store,
        result.store_snapshot.id,
        sum(number.exceeded for number in result.numbers),
    )
    return result


def _ownership(path: Path) -> FieldOwnership:
    if not path.exists():
        logger.info("No ownership file at %s: fields are read as owned by NetSuite (one_way)", path)
        return FieldOwnership.one_way()
    try:
        return FieldOwnership.load(path)
    except OwnershipError as error:
        raise ReportError(str(error)) from None


def _store(history: History, configured: str | None) -> str:
    stores = [source for source in history.sources() if source != "netsuite"]
    if configured:
        return configured
    if len(stores) == 1:
        return stores[0]
    if not stores:
        raise ReportError(
            "no complete store snapshot yet: run tap-storefront into target-reconcile"
        )
    raise ReportError(
        f"the history holds {' and '.join(stores)}: set `store` to the one to compare"
    )


def _violations(log: ViolationLog, since: datetime, limit: int) -> tuple[int, list]:
    first: list = []
    count = 0
    try:
        for violation in log.read(since=since):
            count += 1
            if len(first) < limit:
                first.append(violation)
    except ValueError as error:
        # The log is shared and append-only; a torn line (a crash mid-write) ends what can be
        # read of it, and the report goes on with the violations read so far.
        logger.error("Ownership violations log %s: %s; later lines are not shown", log.path, error)
    return count, first


def _history_point(run_at: datetime, numbers: dict[str, Any]) -> dict[str, Any]:
    return {"run_at": run_at.isoformat().replace("+00:00", "Z"), "numbers": numbers}


def _add_history(result: Reconciliation, runs: list) -> None:
    """Previous figures for the day-over-day change, the points of the chart, and edit totals."""
    if runs:
        previous = runs[-1].numbers.get("numbers", {})
        for number in result.numbers:
            figures = previous.get(number.key)
            if figures:
                number.previous_netsuite = Decimal(figures["netsuite"])
                number.previous_store = Decimal(figures["store"])
    result.history = [_history_point(run.run_at, run.numbers.get("numbers", {})) for run in runs]

    for edits in result.field_edits:
        pairs = {}
        for run in runs:
            recorded = run.numbers.get("field_edits", {}).get(edits.system)
            if recorded:
                pairs[tuple(recorded["between"])] = recorded["fields"]
        if edits.between:
            pairs[tuple(edits.between)] = edits.fields
        edits.runs_seen = len(pairs)
        edits.totals = _sum_fields(pairs)


def _sum_fields(pairs: dict) -> dict[str, int]:
    totals: dict[str, int] = {}
    for fields in pairs.values():
        for name, count in fields.items():
            totals[name] = totals.get(name, 0) + count
    return totals


def post_webhook(url: str, payload: dict[str, Any], attempts: int = 4) -> None:
    """POST the report, retrying 429 and 5xx answers (honouring `Retry-After`) and timeouts.

    Raises:
        ReportError: The webhook refused the report or stayed unreachable; the message names
            the host only, never the URL's path or token.
    """
    host = requests.utils.urlparse(url).netloc
    delay = 1.0
    for attempt in range(1, attempts + 1):
        try:
            response = requests.post(url, json=payload, timeout=30)
        except requests.RequestException as error:
            reason = type(error).__name__
            retry_after = None
        else:
            if response.status_code < 300:
                logger.info("Posted the report to the webhook at %s", host)
                return
            if response.status_code != 429 and response.status_code < 500:
                raise ReportError(
                    f"the webhook at {host} refused the report: {response.status_code}"
                )
            reason = f"HTTP {response.status_code}"
            retry_after = response.headers.get("Retry-After")
        if attempt == attempts:
            break
        wait = float(retry_after) if retry_after and retry_after.isdigit() else delay
        logger.warning("Webhook at %s answered %s; retrying in %.1f s", host, reason, wait)
        time.sleep(min(wait, 60))
        delay *= 2
    raise ReportError(f"the webhook at {host} did not take the report after {attempts} attempts")
