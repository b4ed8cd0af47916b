"""The composition root: builds everything the entry points need from settings.

Nothing here runs at import time; ``build`` is called by ``create_app`` and the CLI.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from .adapters import orm
from .adapters.clock import ScaledClock, SystemClock
from .adapters.db import make_engine, make_session_factory
from .adapters.uow import UnitOfWork
from .config import Settings
from .domain.clock import Clock
from .domain.geo import LatLon
from .domain.interop import RetryPolicy
from .domain.limits import ServiceArea
from .domain.triage.model import TriageResult
from .services.context import EtaFunction, ServiceContext, Triager
from .services.dispatching import FALLBACK_SPEED_KMH
from .services.outbox import write_outbox


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12].upper()}"


def make_triager(protocol_path: Path | None = None) -> Triager:
    """The triage engine with the configured protocol: a call's fields in, the decision out."""
    from .adapters.protocol_loader import configured_protocol
    from .domain.triage import CallInput, triage

    protocol = configured_protocol(protocol_path)

    def run(call: dict[str, Any]) -> TriageResult:
        answers = dict(call.get("answers") or {})
        return triage(
            CallInput(
                id=str(call["id"]),
                call_type=call.get("call_type") or "",
                narrative=call.get("narrative") or "",
                code=call.get("code"),
                priority=call.get("priority"),
                answers=answers,
            ),
            protocol,
        )

    return run


class LazyTravelTimes:
    """The configured travel-time provider, loaded on first use (graphs can be large)."""

    def __init__(self, region: str, graph_path: Path | None) -> None:
        self.region = region
        self.graph_path = graph_path
        self._provider: Any = None
        self._lock = threading.Lock()

    def __call__(self, origins: list[LatLon], destination: LatLon) -> list[float | None]:
        if self._provider is None:
            with self._lock:
                if self._provider is None:
                    from .routing.provider import provider_for_region

                    self._provider = provider_for_region(self.region, self.graph_path)
        return self._provider.eta_seconds(origins, destination)


def straight_line_travel(speed_kmh: float) -> EtaFunction:
    """Driving seconds on a straight line at ``speed_kmh``: the estimate dispatching falls back
    to for points outside the travel-time model's area."""
    from .routing.provider import StraightLineProvider

    return StraightLineProvider(speed_kmh).eta_seconds


@lru_cache(maxsize=65536)
def _rural_at_rounded(lat: float, lon: float) -> bool:
    from .data.reference import county_at

    county = county_at(lat, lon)
    # Outside California we know no density: hold the stricter urban promise.
    return bool(county and county.rural)


def rural_at(lat: float, lon: float) -> bool:
    """Is the point in a rural county (under 50 people per square mile)? Cached per ~100 m."""
    return _rural_at_rounded(round(lat, 3), round(lon, 3))


#: The area each region serves, by the county whose outline bounds it (shipped polygons).
REGION_COUNTIES = {"la": "Los Angeles"}
#: Around the county's outline (about 10 km): a call at the county line is still answered.
SERVICE_AREA_MARGIN_DEG = 0.1


def service_area_for(settings: Settings) -> ServiceArea | None:
    """The area calls may come from: the configured bounds, else the region's county's
    bounding box (Los Angeles County for ``la``), else None (no check)."""
    from .routing.provider import REGION_ALIASES

    region = settings.region.strip().lower()
    region = REGION_ALIASES.get(region, region)
    county = REGION_COUNTIES.get(region)
    if settings.service_area_bounds is not None:
        south, west, north, east = settings.service_area_bounds
        name = settings.service_area_name or (f"{county} County" if county else "the service area")
        return ServiceArea(name, south, west, north, east)
    if county is None or settings.graph_path is not None:
        return None
    return _county_area(county, settings.service_area_name)


@lru_cache(maxsize=8)
def _county_area(county: str, name: str | None) -> ServiceArea:
    from .data.reference import california_counties_geojson

    (feature,) = [f for f in california_counties_geojson()["features"] if f["properties"].get("name") == county]
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    lons = [p[0] for rings in polygons for p in rings[0]]
    lats = [p[1] for rings in polygons for p in rings[0]]
    m = SERVICE_AREA_MARGIN_DEG
    return ServiceArea(name or f"{county} County", min(lats) - m, min(lons) - m, max(lats) + m, max(lons) + m)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    ctx: ServiceContext

    def dispose(self) -> None:
        self.engine.dispose()


def clock_for(settings: Settings) -> Clock:
    """The wall clock, or the demo's sped-up one when the settings ask for it."""
    if settings.clock_speed == 1.0:
        return SystemClock()
    now = datetime.now(UTC)
    return ScaledClock(settings.clock_speed, settings.clock_real_anchor or now, settings.clock_sim_anchor or now)


def build(settings: Settings, *, clock: Clock | None = None, triager: Triager | None = None) -> Container:
    orm.start_mappers()
    engine = make_engine(settings.database())
    factory = make_session_factory(engine)
    ctx = ServiceContext(
        # Every unit of work writes the CAD's outbox rows in the transaction of the change.
        uow_factory=lambda: UnitOfWork(factory, before_commit=lambda uow: write_outbox(ctx, uow)),
        clock=clock or clock_for(settings),
        new_id=new_id,
        triage=triager or make_triager(settings.protocol_path),
        token_secret=settings.secret_key.encode(),
        token_ttl=settings.token_ttl,
        login_policy=settings.login_policy(),
        travel=LazyTravelTimes(settings.region, settings.graph_path),
        fallback_travel=straight_line_travel(FALLBACK_SPEED_KMH),
        rural_at=rural_at,
        service_area=service_area_for(settings),
        impact=settings.impact(),
        agency=settings.eido_agency,
        outbox_retry=RetryPolicy(max_attempts=settings.outbox_max_attempts),
    )
    return Container(settings=settings, engine=engine, ctx=ctx)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("crisis_dispatch") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to ``revision`` (idempotent); the schema revision before and after
    (``None`` before: there was no schema yet)."""
    before = schema_revision(engine)
    command.upgrade(alembic_config(engine), revision)
    return before, schema_revision(engine)


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None when it has no schema."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
