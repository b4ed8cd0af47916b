"""The ``crisis-dispatch`` command line (Typer). Each command has ``--help``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer
from rich.console import Console

from crisis_dispatch.config import ConfigError, Settings
from crisis_dispatch.domain.errors import DomainError
from crisis_dispatch.entrypoints.cli_export import export_app

from .cli_errors import fail

if TYPE_CHECKING:  # imported where used, so that the CLI starts fast
    import threading

    from crisis_dispatch.bootstrap import Container
    from crisis_dispatch.domain.triage.model import TriageResult

app = typer.Typer(
    help="crisis-dispatch: send mental-health 911 calls to crisis teams. Run a command with --help for details.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema management.", no_args_is_help=True)
users_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
seed_app = typer.Typer(help="Load reference and demo data.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
care_app = typer.Typer(help="CARE Court (the CARE Act, WIC 5970-5987): deadlines in court days.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(seed_app, name="seed")
app.add_typer(audit_app, name="audit")
app.add_typer(care_app, name="care")
app.add_typer(export_app, name="export")

out = Console(highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite file to use (default: DATABASE_URL, else a file under the user's data directory)."),
]

DEMO_PASSWORD_SUFFIX = "-demo-pass"
#: Demo only: the person behind the "crew" login, in TTP-1's peer-support seat around the clock.
DEMO_CREW_STAFF = "stf-demo-crew"
DEMO_USERS: tuple[tuple[str, str, str | None], ...] = (
    ("calltaker", "call_taker", None),
    ("dispatcher", "dispatcher", None),
    ("supervisor", "supervisor", None),
    ("crew", "crew", DEMO_CREW_STAFF),
    ("analyst", "analyst", None),
    ("police", "police_liaison", None),
    ("court", "court_liaison", None),
    ("admin", "admin", None),
)


def readable_errors(fn: F) -> F:
    """Domain and configuration errors end the command with one line and exit code 2."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (DomainError, ConfigError) as e:
            raise fail(str(e)) from None
        except OSError as e:
            raise fail(f"{e.strerror or e}: {getattr(e, 'filename', '') or ''}".rstrip(": ")) from None

    return cast(F, wrapper)


def _settings(db: Path | None, **extra: Any) -> Settings:
    settings = Settings(**extra)
    if db is not None:
        settings = settings.model_copy(update={"db_path": db, "database_url": None})
    return settings


def _container(settings: Settings) -> Container:
    return _upgraded(settings)[0]


def _upgraded(settings: Settings) -> tuple[Container, tuple[str | None, str | None]]:
    """The container on a migrated database, and the schema revision before and after."""
    from crisis_dispatch.bootstrap import build, upgrade

    container = build(settings)
    try:
        change = upgrade(container.engine)
    except Exception as e:  # the database is unreachable or the file unwritable
        container.dispose()
        raise ConfigError(f"cannot open the database {settings.database()}: {str(e).splitlines()[0]}") from None
    return container, change


@db_app.command("upgrade")
@readable_errors
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the database schema to the latest version."""
    settings = _settings(db)
    container, (before, after) = _upgraded(settings)
    container.dispose()
    if before is None:
        out.print(f"created the schema (revision {after}): {settings.database()}")
    elif before != after:
        out.print(f"migrated the schema from revision {before} to {after}: {settings.database()}")
    else:
        out.print(f"database is up to date (revision {after}): {settings.database()}")


@users_app.command("create")
@readable_errors
def users_create(
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, '.', '_', '-'.")],
    role: Annotated[
        str,
        typer.Option("--role", help="call_taker, dispatcher, crew, supervisor, analyst, police_liaison, court_liaison or admin."),
    ],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (first line).")
    ] = False,
    staff_id: Annotated[str | None, typer.Option("--staff-id", help="For crew: the staff record the login belongs to.")] = None,
    db: DbOption = None,
) -> None:
    """Create a user. The password is read from standard input, never from the command line."""
    from crisis_dispatch.services import auth
    from crisis_dispatch.services.context import SYSTEM

    password = _password_from_stdin(password_stdin)
    container = _container(_settings(db))
    try:
        user = auth.create_user(container.ctx, SYSTEM, username, password, role, staff_id)
    finally:
        container.dispose()
    out.print(f"created user {user['username']} with role {user['role']}")


@users_app.command("create-cad")
@readable_errors
def users_create_cad(
    username: Annotated[str, typer.Argument(help="Login name of the integration account, e.g. 'county-cad'.")],
    db: DbOption = None,
) -> None:
    """Create the 911 CAD's integration account (role cad) and print its API key once.

    The CAD sends the key in the X-API-Key header; only its Argon2 hash is stored. Lost keys
    are replaced with 'users rotate-key'."""
    from crisis_dispatch.services import auth
    from crisis_dispatch.services.context import SYSTEM

    container = _container(_settings(db))
    try:
        user = auth.create_integration(container.ctx, SYSTEM, username)
    finally:
        container.dispose()
    out.print(f"created integration account {user['username']} (role {user['role']}); its API key, shown only now:")
    print(user["api_key"])


@users_app.command("rotate-key")
@readable_errors
def users_rotate_key(
    username: Annotated[str, typer.Argument(help="The integration account whose API key to replace.")],
    db: DbOption = None,
) -> None:
    """Replace an integration account's API key (the old key stops working at once) and print the new one."""
    from crisis_dispatch.services import auth
    from crisis_dispatch.services.context import SYSTEM

    container = _container(_settings(db))
    try:
        result = auth.rotate_api_key(container.ctx, SYSTEM, username)
    finally:
        container.dispose()
    out.print(f"new API key for {result['username']}, shown only now (the old one no longer works):")
    print(result["api_key"])


def _password_from_stdin(password_stdin: bool) -> str:
    if not password_stdin:
        raise fail("pass --password-stdin and give the password on standard input")
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise fail("no password on standard input")
    return password


@users_app.command("set-password")
@readable_errors
def users_set_password(
    username: Annotated[str, typer.Argument(help="The login whose password to set.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from standard input (first line).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Set a user's password (a reset); every session of that user ends."""
    from crisis_dispatch.services import auth
    from crisis_dispatch.services.context import SYSTEM

    password = _password_from_stdin(password_stdin)
    container = _container(_settings(db))
    try:
        result = auth.set_password(container.ctx, SYSTEM, username, password)
    finally:
        container.dispose()
    out.print(f"set the password of {result['username']}; ended {result['sessions_ended']} session(s)")


@users_app.command("unlock")
@readable_errors
def users_unlock(
    username: Annotated[str, typer.Argument(help="The login locked after repeated failed logins.")],
    db: DbOption = None,
) -> None:
    """Lift a lockout after repeated failed logins (the failure count starts afresh)."""
    from crisis_dispatch.services import auth
    from crisis_dispatch.services.context import SYSTEM

    container = _container(_settings(db))
    try:
        result = auth.unlock_user(container.ctx, SYSTEM, username)
    finally:
        container.dispose()
    out.print(f"unlocked {result['username']}" if result["was_locked"] else f"{result['username']} was not locked")


@users_app.command("totp-enroll")
@readable_errors
def users_totp_enroll(
    username: Annotated[str, typer.Argument(help="The login to give a second factor (a one-time code at every login).")],
    db: DbOption = None,
) -> None:
    """Set up a user's authenticator app (TOTP): prints the otpauth:// URI, once.

    The user adds it to an authenticator app (as text, or as a QR code made from it); from then
    on every login of theirs needs the app's 6-digit code. Replaces an earlier authenticator.
    With CRISIS_DISPATCH_REQUIRE_TOTP=true, admins and supervisors cannot log in without one."""
    from crisis_dispatch.services import second_factor
    from crisis_dispatch.services.context import SYSTEM

    container = _container(_settings(db))
    try:
        result = second_factor.enroll_by_admin(container.ctx, SYSTEM, username)
    finally:
        container.dispose()
    replaced = " (the earlier one no longer works)" if result["replaced"] else ""
    out.print(f"authenticator set up for {result['username']}{replaced}; add this URI to the app, shown only now:")
    print(result["otpauth_uri"])


@seed_app.command("la")
@readable_errors
def seed_la(
    days: Annotated[int, typer.Option(min=1, max=366, help="Days of 24/7 shifts to create from yesterday.")] = 30,
    db: DbOption = None,
) -> None:
    """Load the LA demo: 106 LAFD stations, LA County facilities, five vans with round-the-clock crews."""
    from crisis_dispatch.services.seed import seed_la as run

    container = _container(_settings(db))
    try:
        report = run(container.ctx, days=days)
    finally:
        container.dispose()
    out.print("added: " + ", ".join(f"{k} {v}" for k, v in report.as_dict().items()))


#: Exit code of ``audit verify`` when the chain is broken (bad input stays 2).
EXIT_AUDIT_BROKEN = 1


@care_app.command("due-date")
@readable_errors
def care_due_date(
    ordered: Annotated[str, typer.Argument(help="The day the court ordered it, YYYY-MM-DD (not counted).")],
    court_days: Annotated[
        int, typer.Option("--court-days", min=1, max=365, help="Court days allowed (the county's CARE report: 14, WIC 5977).")
    ] = 14,
) -> None:
    """Print the due date: the N-th court day after ORDERED, skipping weekends and California's
    judicial holidays as observed (CCP 135, Rules of Court 1.11)."""
    from datetime import date

    from crisis_dispatch.data.reference import judicial_holidays

    try:
        start = date.fromisoformat(ordered)
    except ValueError:
        raise fail(f"not a date: {ordered!r} (expected YYYY-MM-DD)") from None
    due = judicial_holidays().add_court_days(start, court_days)
    out.print(f"{due.isoformat()}  ({due:%A}: {court_days} court days after {start.isoformat()})")


@audit_app.command("verify")
@readable_errors
def audit_verify(
    db: DbOption = None,
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            help="A row hash printed by an earlier verify: fail unless that row is still in the chain "
            "(catches rows removed from the end, or a rewritten chain).",
        ),
    ] = None,
) -> None:
    """Check that no audit row was changed, deleted or reordered: exit 0 when intact, 1 naming the first broken row.

    Only reads: the database must exist and be migrated (`db upgrade`). With DATABASE_URL
    set (and no --db), checks that PostgreSQL database.
    """
    from crisis_dispatch.services import audit

    container = _existing_container(_settings(db))
    try:
        report = audit.verify(container.ctx)
        expect_id = None
        if expect is not None and report.intact:
            with container.ctx.uow() as uow:
                expect_id = uow.audit.locate(expect.strip().lower())
    finally:
        container.dispose()
    if not report.intact:
        out.print(f"audit log BROKEN at row {report.broken_id}: {report.problem} ({report.checked} rows before it are intact)")
        raise typer.Exit(EXIT_AUDIT_BROKEN)
    if expect is not None and expect_id is None:
        out.print(
            f"audit log BROKEN: no row has the expected hash {expect} (rows were removed from the end, "
            f"or the chain was rewritten); {report.checked} rows checked"
        )
        raise typer.Exit(EXIT_AUDIT_BROKEN)
    head = "empty log" if report.head_id is None else f"newest row {report.head_id}, hash {report.head_hash}"
    found = "" if expect_id is None else f"; the expected hash is row {expect_id}"
    out.print(f"audit log intact: {report.checked} rows checked ({head}){found}")


def _no_triage(call: dict[str, Any]) -> TriageResult:
    """The triager of a command that never triages (it does not load the protocol)."""
    raise RuntimeError("this command does not triage calls")


def _existing_container(settings: Settings) -> Container:
    """The container on an existing, migrated database: never creates or migrates one."""
    from sqlalchemy import inspect

    from crisis_dispatch.bootstrap import build, schema_revision

    if settings.database_url is None:
        path = Path(settings.database().removeprefix("sqlite:///"))
        if not path.is_file():
            raise ConfigError(f"no database at {path}")
    container = build(settings, triager=_no_triage)  # no triage here: the protocol is not read
    try:
        revision = schema_revision(container.engine)
        if revision is None:
            raise ConfigError(f"no crisis-dispatch schema in {settings.database()} (run `crisis-dispatch db upgrade`)")
        if "row_hash" not in {c["name"] for c in inspect(container.engine).get_columns("audit_log")}:
            raise ConfigError(
                f"the schema of {settings.database()} (revision {revision}) predates the audit chain "
                "(run `crisis-dispatch db upgrade`)"
            )
    except ConfigError:
        container.dispose()
        raise
    except Exception as e:  # unreachable, or not a database
        container.dispose()
        raise ConfigError(f"cannot open the database {settings.database()}: {str(e).splitlines()[0]}") from None
    return container


@app.command()
@readable_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    db: DbOption = None,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="Server processes sharing the port (more than one needs PostgreSQL: DATABASE_URL)."),
    ] = 1,
) -> None:
    """Serve the API (and console). Needs CRISIS_DISPATCH_SECRET_KEY; migrates the database first."""
    settings = _settings(db, host=host, port=port)
    settings.check_for_serving()
    if workers > 1 and (db is not None or not settings.database().startswith("postgresql")):
        raise ConfigError("--workers above 1 needs PostgreSQL: set DATABASE_URL (SQLite serves from one process)")
    _check_can_listen(host, port)
    _run_server(settings, workers=workers)


def _check_can_listen(host: str, port: int) -> None:
    """Fail with one line now, not with the server's log after the database work, when the
    address is taken or not ours (uvicorn binds the same way, with SO_REUSEADDR)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise ConfigError(f"cannot listen on {host}:{port}: {e.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as e:
            raise ConfigError(f"cannot listen on {host}:{port}: {e.strerror}") from None


DEMO_SCENARIO = "la-ttp-20k"
#: Left to people in the demo: never auto-dispatched or moved by the autopilot (the "crew" login sits in it).
DEMO_MANUAL_UNITS = frozenset({"unit-ttp-1"})
#: Simulated seconds of calls before now that the demo feed puts in at start (three hours).
DEMO_BACKLOG_S = 3 * 3600.0


@app.command()
@readable_errors
def demo(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    speed: Annotated[
        float,
        typer.Option(
            min=1.0, max=3600.0, help="Speed of the live feed and of the demo's clock: simulated seconds per real second."
        ),
    ] = 60.0,
    feed: Annotated[
        bool, typer.Option("--feed/--no-feed", help="Run the live LA feed (calls arrive, vans are dispatched and work them).")
    ] = True,
    db: DbOption = None,
) -> None:
    """Seed the Los Angeles demo on SQLite and serve it with a live feed; prints the URL and the demo logins.

    The feed replays the la-ttp-20k scenario's calls in real time x SPEED through the same
    intake, triage and dispatch code as the API, and an autopilot dispatches and works them.
    Van TTP-1 is left to people: dispatch it by hand and work it as the "crew" login.
    The demo's clock runs at SPEED too (clocks, ages, escalations, safety check-ins), and the
    feed starts with the last three simulated hours' calls, so the floor is busy at once.
    """
    if db is None:
        from platformdirs import user_data_dir

        db = Path(user_data_dir("crisis-dispatch", appauthor=False)) / "demo.sqlite3"
    settings = _settings(db, host=host, port=port, demo=True)
    _check_can_listen(host, port)
    latest = _seed_demo(settings)
    if feed:
        settings = _demo_clock(settings, speed, latest)
    url = f"http://{host}:{port}"
    out.print(
        f"crisis-dispatch LA demo on {url}  "
        f"(console: {url}/console, OpenAPI: {url}/openapi.json, database: {settings.database()})"
    )
    out.print("demo logins (username / password):")
    for username, role, _ in DEMO_USERS:
        out.print(f"  {username:<11} {username + DEMO_PASSWORD_SUFFIX:<22} {role}")
    stop = _start_live_feed(settings, speed) if feed else None
    if stop is not None:
        out.print(
            f"live feed: scenario {DEMO_SCENARIO} at {speed:g}x, and the demo's clock runs at {speed:g}x too "
            f"(clocks, ages, escalations, safety check-ins); TTP-1 is yours to dispatch (crew login: crew)"
        )
    try:
        _run_server(settings)
    finally:
        if stop is not None:
            stop.set()


def _demo_clock(settings: Settings, speed: float, latest: datetime | None) -> Settings:
    """The demo runs on a clock sped up as much as its feed, from now (or from the last
    recorded change, if an earlier run's faster clock got ahead of the wall clock: time never
    goes backwards). Logins last as long in real time as they would without it."""
    from datetime import UTC

    real = datetime.now(UTC)
    return settings.model_copy(
        update={
            "clock_speed": speed,
            "clock_real_anchor": real,
            "clock_sim_anchor": max(real, latest) if latest else real,
            "token_ttl_hours": settings.token_ttl_hours * speed,
        }
    )


def _start_live_feed(settings: Settings, speed: float) -> threading.Event:
    """Calls arrive and get worked on their own: two daemon threads on their own engine."""
    import threading

    from crisis_dispatch.bootstrap import build
    from crisis_dispatch.entrypoints.autopilot import Autopilot, run_live_feed
    from crisis_dispatch.simulation.scenario import load_scenario

    scenario = load_scenario(DEMO_SCENARIO)
    container = build(settings)
    stop = threading.Event()
    # Join the scenario's week at the current local time of week, so the demo is as busy
    # as a real floor would be now (not always the quiet small hours of a Monday).
    local = container.ctx.clock.now().astimezone(scenario.start.tzinfo)
    offset = (local.weekday() * 24 + local.hour) * 3600 + local.minute * 60
    threading.Thread(
        target=run_live_feed,
        args=(container.ctx, scenario, speed, stop),
        # The last hours' calls go in at once: the floor starts with calls waiting and worked.
        kwargs={"start_offset_s": float(offset), "backlog_s": DEMO_BACKLOG_S, "clock_rate": 1.0},
        name="demo-feed",
        daemon=True,
    ).start()
    # The container's clock is the demo's sped-up one: one of its seconds is one simulated second.
    pilot = Autopilot(container.ctx, scenario, 1.0, manual_units=DEMO_MANUAL_UNITS)
    threading.Thread(target=pilot.run, args=(stop,), name="demo-autopilot", daemon=True).start()
    return stop


def _seed_demo(settings: Settings) -> datetime | None:
    """Seed the demo's stations, vans, crews and logins; returns the newest recorded change."""
    from crisis_dispatch.domain.unit import Role, Staff
    from crisis_dispatch.services import auth
    from crisis_dispatch.services.context import SYSTEM
    from crisis_dispatch.services.seed import seed_la as run

    container = _container(settings)
    try:
        ctx = container.ctx
        with ctx.uow() as uow:
            if uow.staff.find(DEMO_CREW_STAFF) is None:
                uow.staff.add(Staff(id=DEMO_CREW_STAFF, name="Demo Crew", roles={Role.PEER_SUPPORT_SPECIALIST}))
                uow.commit()
        run(ctx, demo_crew_staff_id=DEMO_CREW_STAFF)
        with ctx.uow() as uow:
            existing = {u.username for u in uow.users.list()}
        for username, role, staff_id in DEMO_USERS:
            if username not in existing:
                auth.create_user(ctx, SYSTEM, username, username + DEMO_PASSWORD_SUFFIX, role, staff_id)
        with ctx.uow() as uow:
            return uow.history.latest_at()
    finally:
        container.dispose()


def _run_server(settings: Settings, workers: int = 1) -> None:
    import uvicorn

    from crisis_dispatch.bootstrap import upgrade
    from crisis_dispatch.entrypoints.api.app import create_app

    api = create_app(settings)
    try:
        upgrade(api.state.container.engine)
    except Exception as e:
        raise ConfigError(f"cannot open the database {settings.database()}: {str(e).splitlines()[0]}") from None
    # Live-event streams never end on their own: give them 2 s on Ctrl+C, then close.
    options: dict[str, Any] = {"host": settings.host, "port": settings.port, "log_level": "info", "timeout_graceful_shutdown": 2}
    if workers == 1:
        uvicorn.run(api, **options)
        return
    # Each worker builds its own app from the environment (the database URL and secret came
    # from it); the feed, the clocks and idempotency live in the database, not the process.
    api.state.container.dispose()
    uvicorn.run("crisis_dispatch.entrypoints.api.app:create_app_from_environment", factory=True, workers=workers, **options)


def _register_plugins() -> None:
    """Command groups owned by other modules (triage, routing, interop) register themselves here."""
    import importlib

    for name in ("cli_triage", "cli_routing", "cli_simulation", "cli_reports", "cli_interop"):
        try:
            module = importlib.import_module(f"crisis_dispatch.entrypoints.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"crisis_dispatch.entrypoints.{name}":
                raise
            continue
        module.register(app)


_register_plugins()


def _click_error(name: str) -> type[Exception]:
    """Click's exception classes, found through typer's public BadParameter (typer ships its
    own copy of click in some versions, plain click in others)."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


def main() -> None:
    """The console script: usage errors are one line on stderr (exit 2), like every other error."""
    usage_error, click_exception = _click_error("UsageError"), _click_error("ClickException")
    try:
        code = app(prog_name="crisis-dispatch", standalone_mode=False)  # an Exit (help, a failed command) comes back as its code
    except typer.Abort:
        print("aborted", file=sys.stderr)
        raise SystemExit(130) from None
    except usage_error as e:
        ctx = getattr(e, "ctx", None)
        if type(e).__name__ == "NoArgsIsHelpError" and ctx is not None:
            print(ctx.get_help())  # no arguments at all: the help, as before
            raise SystemExit(2) from None
        command = ctx.command_path if ctx is not None else "crisis-dispatch"
        # The ignore: e is click's UsageError, a class found at run time (see _click_error).
        print(f"error: {e.format_message()} (see '{command} --help')", file=sys.stderr)  # type: ignore[attr-defined]
        raise SystemExit(2) from None
    except click_exception as e:
        print(f"error: {e.format_message()}", file=sys.stderr)  # type: ignore[attr-defined]  # a ClickException, as above
        raise SystemExit(getattr(e, "exit_code", 1)) from None
    if isinstance(code, int) and code:
        raise SystemExit(code)
