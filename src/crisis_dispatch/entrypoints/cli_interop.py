"""CLI commands of the exchange with the 911 CAD: ``subscriptions``, ``outbox`` and (later)
``export``. The main app calls :func:`register`. Bad input exits with code 2 and one line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from crisis_dispatch.entrypoints.cli_export import export_app

from .cli import DbOption, _container, _settings, out, readable_errors
from .cli_errors import fail

subscriptions_app = typer.Typer(help="CAD endpoints that receive EIDO status updates (admins).", no_args_is_help=True)
outbox_app = typer.Typer(help="The outbox of EIDO updates to the CAD: deliver, list, re-send.", no_args_is_help=True)

EventsOption = Annotated[
    str | None,
    typer.Option("--events", help="Comma-separated: assigned, status, screened_out, closed (default: all)."),
]


def _events(value: str | None) -> list[str] | None:
    return None if value is None else [e.strip() for e in value.split(",") if e.strip()]


def _secret_from_stdin() -> str:
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise fail("no secret on standard input")
    return secret


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2))


@subscriptions_app.command("create")
@readable_errors
def subscriptions_create(
    url: Annotated[str, typer.Argument(help="The CAD endpoint (http or https) that receives the updates.")],
    events: EventsOption = None,
    db: DbOption = None,
) -> None:
    """Register a CAD endpoint; the shared secret (16-200 characters) is read from standard input."""
    from crisis_dispatch.services import outbox
    from crisis_dispatch.services.context import SYSTEM

    secret = _secret_from_stdin()
    container = _container(_settings(db))
    try:
        _print_json(outbox.create_subscription(container.ctx, SYSTEM, url, secret, _events(events)))
    finally:
        container.dispose()


@subscriptions_app.command("list")
@readable_errors
def subscriptions_list(db: DbOption = None) -> None:
    """The subscriptions (never their secrets)."""
    from crisis_dispatch.services import outbox
    from crisis_dispatch.services.context import SYSTEM

    container = _container(_settings(db))
    try:
        _print_json(outbox.list_subscriptions(container.ctx, SYSTEM))
    finally:
        container.dispose()


@subscriptions_app.command("update")
@readable_errors
def subscriptions_update(
    subscription_id: Annotated[str, typer.Argument(help="The subscription's id (SUB-...).")],
    url: Annotated[str | None, typer.Option("--url", help="A new endpoint URL.")] = None,
    events: EventsOption = None,
    secret_stdin: Annotated[bool, typer.Option("--secret-stdin", help="Read a new shared secret from standard input.")] = False,
    active: Annotated[bool | None, typer.Option("--active/--inactive", help="Resume or stop new deliveries.")] = None,
    db: DbOption = None,
) -> None:
    """Change a subscription's URL, events or secret, or (de)activate it."""
    from crisis_dispatch.services import outbox
    from crisis_dispatch.services.context import SYSTEM

    secret = _secret_from_stdin() if secret_stdin else None
    container = _container(_settings(db))
    try:
        changed = outbox.update_subscription(
            container.ctx, SYSTEM, subscription_id, url=url, secret=secret, events=_events(events), active=active
        )
        _print_json(changed)
    finally:
        container.dispose()


@subscriptions_app.command("deactivate")
@readable_errors
def subscriptions_deactivate(
    subscription_id: Annotated[str, typer.Argument(help="The subscription's id (SUB-...).")],
    db: DbOption = None,
) -> None:
    """Stop writing new updates for a subscription (what is already in the outbox stays)."""
    from crisis_dispatch.services import outbox
    from crisis_dispatch.services.context import SYSTEM

    container = _container(_settings(db))
    try:
        outbox.update_subscription(container.ctx, SYSTEM, subscription_id, active=False)
    finally:
        container.dispose()
    out.print(f"deactivated {subscription_id}")


@outbox_app.command("run")
@readable_errors
def outbox_run(
    once: Annotated[bool, typer.Option("--once", help="Deliver what is due now, then stop.")] = False,
    interval: Annotated[float, typer.Option("--interval", min=0.05, help="Seconds between rounds.")] = 2.0,
    lease_seconds: Annotated[
        float | None,
        typer.Option("--lease-seconds", min=0.5, help="Seconds a claimed delivery waits before another worker retries it."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Deliver EIDO updates to the subscribed CADs: signed POSTs, in order per incident,
    exponential backoff with jitter, dead letters after the configured attempts."""
    from datetime import timedelta

    from crisis_dispatch.adapters.http_sender import post
    from crisis_dispatch.services.outbox import deliver_due

    settings = _settings(db)
    lease = timedelta(seconds=lease_seconds or settings.outbox_lease_seconds)
    container = _container(settings)
    try:
        while True:
            report = deliver_due(container.ctx, post, lease=lease)
            if report.delivered or report.failed or report.dead:
                out.print(f"outbox: {report.to_dict()}")
            if once:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        return
    finally:
        container.dispose()


@outbox_app.command("list")
@readable_errors
def outbox_list(
    state: Annotated[str | None, typer.Option("--state", help="pending, delivered or dead.")] = None,
    db: DbOption = None,
) -> None:
    """Deliveries, newest first."""
    from crisis_dispatch.services import outbox
    from crisis_dispatch.services.context import SYSTEM

    container = _container(_settings(db))
    try:
        _print_json(outbox.list_outbox(container.ctx, SYSTEM, state))
    finally:
        container.dispose()


@outbox_app.command("retry")
@readable_errors
def outbox_retry(
    row_id: Annotated[int, typer.Argument(help="The dead letter's id (outbox list --state dead).")],
    db: DbOption = None,
) -> None:
    """Send a dead letter again, with the same delivery id."""
    from crisis_dispatch.services import outbox
    from crisis_dispatch.services.context import SYSTEM

    container = _container(_settings(db))
    try:
        row = outbox.retry_dead(container.ctx, SYSTEM, row_id)
    finally:
        container.dispose()
    out.print(f"outbox entry {row['id']} ({row['delivery_id']}) will be sent again")


@export_app.command("nemsis")
@readable_errors
def export_nemsis(
    start: Annotated[str, typer.Option("--start", help="Window start, ISO 8601 with offset (2026-11-01T00:00:00-07:00).")],
    end: Annotated[str, typer.Option("--end", help="Window end (exclusive), ISO 8601 with offset.")],
    out_path: Annotated[Path, typer.Option("--out", help="The EMSDataSet XML file to write.")],
    db: DbOption = None,
) -> None:
    """Write the crisis-team encounters received in the window as a NEMSIS v3.5 EMSDataSet,
    validated against the official XSD before it is written."""
    from datetime import datetime

    from crisis_dispatch.services import nemsis
    from crisis_dispatch.services.context import SYSTEM

    try:
        window = (datetime.fromisoformat(start), datetime.fromisoformat(end))
    except ValueError as e:
        raise fail(f"--start and --end must be ISO 8601 date-times: {e}") from None
    container = _container(_settings(db))
    try:
        document, count = nemsis.export_nemsis(container.ctx, SYSTEM, *window)
    finally:
        container.dispose()
    out_path.write_bytes(document)
    out.print(f"wrote {count} encounter(s) to {out_path} (NEMSIS v3.5 EMSDataSet, valid against the XSD)")


def register(app: typer.Typer) -> None:
    app.add_typer(subscriptions_app, name="subscriptions")
    app.add_typer(outbox_app, name="outbox")
