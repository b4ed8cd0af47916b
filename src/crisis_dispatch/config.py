"""Settings, read from the environment only when the composition root asks for them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from .domain.impact import Impact
from .domain.logins import LoginPolicy

DEFAULT_SECRET = "insecure-default-secret-change-me"


class ConfigError(Exception):
    """The settings cannot run the service as asked (message for a person)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRISIS_DISPATCH_", extra="ignore")

    #: PostgreSQL (or any SQLAlchemy URL). Wins over ``db_path``.
    database_url: str | None = Field(default=None, validation_alias=AliasChoices("DATABASE_URL", "CRISIS_DISPATCH_DATABASE_URL"))
    #: The embedded SQLite file; default: under the user's data directory.
    db_path: Path | None = None
    #: Keys the stored token hashes. Must be set outside demo mode.
    secret_key: str = DEFAULT_SECRET
    demo: bool = False
    #: Triage protocol file; default: the protocol shipped with the package.
    protocol_path: Path | None = None
    token_ttl_hours: float = 12.0
    #: Login throttling: failed logins allowed per account name, and per client address, within
    #: the window; the next attempt answers 429 with Retry-After until the oldest leaves it.
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_window_minutes: float = Field(default=15.0, gt=0)
    #: Consecutive failed logins that lock an account, and for how long (`users unlock` lifts it).
    login_lockout_after: int = Field(default=10, ge=1)
    login_lockout_minutes: float = Field(default=30.0, gt=0)
    #: The second factor: admins and supervisors must log in with a one-time code (TOTP)
    #: from an authenticator app (``crisis-dispatch users totp-enroll``). Anyone who enrolled
    #: gives a code whatever this says.
    require_totp: bool = False
    #: Served behind TLS (HTTPS): every response carries Strict-Transport-Security.
    behind_tls: bool = False
    #: Travel times: the fitted model of this region, unless a road graph is given.
    region: str = "la"
    graph_path: Path | None = None
    #: How often the server checks the response-time clocks of waiting incidents.
    clock_check_seconds: float = Field(default=15.0, gt=0)
    #: The largest request body the API reads (bytes); a larger one is refused with 413.
    max_body_bytes: int = Field(default=1024 * 1024, gt=0)
    #: Where calls may come from: ``[south, west, north, east]`` in degrees (JSON in the
    #: environment). Default: the region's own area (Los Angeles County for ``la``); a region
    #: without a known area and no bounds checks none.
    service_area_bounds: tuple[float, float, float, float] | None = None
    #: The name errors give that area (default: the region's, or "the service area").
    service_area_name: str | None = None
    #: The demo's sped-up clock: ``clock_speed`` simulated seconds per real second, reading
    #: ``clock_sim_anchor`` at the real instant ``clock_real_anchor``. 1 (the default) is the
    #: wall clock; anything else is for demonstrations only.
    clock_speed: float = Field(default=1.0, gt=0)
    clock_real_anchor: datetime | None = None
    clock_sim_anchor: datetime | None = None
    #: The program report's impact estimates (assumptions, stated in every report; docs/reporting.md):
    #: of the calls a team reached, the share that would have ended in an emergency department
    #: without the team (cf. NYC B-HEARD, 49-51 % taken to hospital), and the police and fire/EMS
    #: hours such a call takes when they answer it.
    ed_baseline_share: float = Field(default=0.5, ge=0.0, le=1.0)
    police_hours_per_call: float = Field(default=2.0, ge=0.0)
    fire_hours_per_call: float = Field(default=1.0, ge=0.0)
    #: Exchange with the 911 CAD (docs/interop.md): our agency's id in the EIDO documents we
    #: write, how often the server's outbox worker looks for deliveries (0: no worker in
    #: ``serve``; run ``crisis-dispatch outbox run``), and after how many failed attempts a
    #: delivery becomes a dead letter.
    eido_agency: str = "crisis-team.example.org"
    outbox_poll_seconds: float = Field(default=2.0, ge=0)
    outbox_max_attempts: int = Field(default=8, ge=1)
    #: Seconds a delivery the worker claimed stays its own: a worker killed mid-delivery
    #: leaves it to be sent again (same delivery id) after this.
    outbox_lease_seconds: float = Field(default=60.0, gt=0)
    host: str = "127.0.0.1"
    port: int = 8000

    def database(self) -> str:
        if self.database_url:
            return self.database_url
        path = self.db_path or Path(user_data_dir("crisis-dispatch", appauthor=False)) / "crisis-dispatch.sqlite3"
        return f"sqlite:///{path.expanduser().resolve()}"

    @property
    def token_ttl(self) -> timedelta:
        return timedelta(hours=self.token_ttl_hours)

    def login_policy(self) -> LoginPolicy:
        return LoginPolicy(
            max_failures_per_account=self.login_max_failures_per_account,
            max_failures_per_address=self.login_max_failures_per_address,
            window=timedelta(minutes=self.login_window_minutes),
            lockout_after=self.login_lockout_after,
            lockout_for=timedelta(minutes=self.login_lockout_minutes),
            require_totp=self.require_totp,
        )

    def impact(self) -> Impact:
        return Impact(self.police_hours_per_call, self.fire_hours_per_call, self.ed_baseline_share)

    def check_for_serving(self) -> None:
        """A real deployment must not run with the well-known default secret."""
        if not self.demo and (self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 16):
            raise ConfigError(
                "refusing to start: set CRISIS_DISPATCH_SECRET_KEY to a random value of at least 16 characters "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`), or run `crisis-dispatch demo`"
            )
