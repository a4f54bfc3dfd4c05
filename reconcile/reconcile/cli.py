"""`reconcile report`: compare the newest snapshots, print or write the report, alert on drift.

Exit status: 0 when every number is within its tolerance, 1 when one is not, 2 when the report
cannot run (a wrong setting, no snapshot yet, a webhook that refused the report).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from reconcile.render import RENDERERS
from reconcile.report import REPORT_SETTINGS, ReportError, load_settings, post_webhook, run_report

EXIT_OK, EXIT_DRIFT, EXIT_ERROR = 0, 1, 2


@click.group()
def main() -> None:
    """Reconcile NetSuite with a WooCommerce or Shopify store."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON settings file; RECONCILE_<SETTING> variables (as Meltano sets them) override it.",
)
@click.option("--format", "output_format", type=click.Choice(list(RENDERERS)), default="table")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
def report(config_path: Path | None, output_format: str, output: Path | None) -> None:
    """Compare the newest snapshots of NetSuite and the store; exit 1 past a tolerance."""
    try:
        settings = load_settings(config_path)
        result = run_report(settings)
        text = RENDERERS[output_format](result)
        if output is None:
            sys.stdout.write(text)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
            logging.getLogger("reconcile").info("Wrote the %s report to %s", output_format, output)
        webhook = settings.get("webhook_url")
        if webhook and (result.exceeded or settings.get("webhook_when") == "always"):
            post_webhook(webhook, result.as_dict())
    except ReportError as error:
        click.echo(f"reconcile: {error}", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_DRIFT if result.exceeded else EXIT_OK)


@main.command()
def about() -> None:
    """Print the report's settings as a Markdown table."""
    click.echo("| Setting | Default | Description |\n|:--|:--|:--|")
    for name, schema in REPORT_SETTINGS["properties"].items():
        default = json.dumps(schema.get("default")) if "default" in schema else ""
        click.echo(f"| {name} | {default} | {schema.get('description', '')} |")
