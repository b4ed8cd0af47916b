"""``create_app(settings)``: the HTTP entry point. Nothing connects at import time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from crisis_dispatch import __version__
from crisis_dispatch.bootstrap import Container, build
from crisis_dispatch.config import Settings

from . import errors
from .guards import BodySizeLimit, CleanUrl
from .responses import Health
from .routes import router
from .routes_care import router as care_router
from .routes_follow_ups import router as follow_up_router
from .routes_persons import router as persons_router
from .security import SecurityHeaders
from .totp import router as totp_router

log = logging.getLogger("crisis_dispatch.clocks")


async def _check_clocks_forever(app: FastAPI, every_s: float) -> None:
    """Escalate waiting incidents on time: the response-time clocks are checked periodically."""
    from crisis_dispatch.services.dispatching import check_clocks

    while True:
        try:
            for e in await run_in_threadpool(check_clocks, app.state.container.ctx):
                log.warning("escalation %s for %s: %s", e["kind"], e["incident_id"], e["message"])
        except Exception:  # keep checking: a transient database error must not stop escalation
            log.exception("checking response-time clocks failed")
        await asyncio.sleep(every_s)


async def _deliver_outbox_forever(app: FastAPI, every_s: float, lease_s: float) -> None:
    """Deliver the CAD's status updates (the outbox) while the server runs."""
    from datetime import timedelta

    from crisis_dispatch.adapters.http_sender import post
    from crisis_dispatch.services.outbox import deliver_due

    lease = timedelta(seconds=lease_s)
    while True:
        # One interval first: a server just started answers its first requests before it
        # delivers (the rows wait durably; the kill -9 campaign showed the difference).
        await asyncio.sleep(every_s)
        try:
            report = await run_in_threadpool(lambda: deliver_due(app.state.container.ctx, post, lease=lease))
            if report.failed or report.dead:
                log.warning("outbox: %s", report.to_dict())
        except Exception:  # keep delivering: a transient database error must not stop the outbox
            log.exception("delivering the outbox failed")


def create_app(settings: Settings, *, container: Container | None = None) -> FastAPI:
    """Build the API. Pass a ``container`` to share one (tests, the demo feed)."""
    owned = container is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = []
        if owned:
            tasks.append(asyncio.create_task(_check_clocks_forever(app, settings.clock_check_seconds)))
            if settings.outbox_poll_seconds > 0:
                worker = _deliver_outbox_forever(app, settings.outbox_poll_seconds, settings.outbox_lease_seconds)
                tasks.append(asyncio.create_task(worker))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if owned:
                app.state.container.dispose()

    app = FastAPI(
        title="crisis-dispatch",
        version=__version__,
        description="Tiered 911 dispatch of mental-health crisis teams.",
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN; nothing here may
        # fetch from the internet at run time, so only the OpenAPI JSON is served.
        docs_url=None,
        redoc_url=None,
    )
    app.state.container = container or build(settings)
    errors.install(app)
    # Outermost first: a bad URL is refused before its body is read; a body over the cap
    # before anything parses it.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(CleanUrl)
    # Outermost of all: every answer, the guards' 413 and 422 included, carries the headers.
    app.add_middleware(SecurityHeaders, hsts=settings.behind_tls)
    app.include_router(router)
    app.include_router(persons_router)
    app.include_router(care_router)
    app.include_router(follow_up_router)
    app.include_router(totp_router)
    from crisis_dispatch.entrypoints.console import mount

    mount(app)  # pages, static files, live feed

    @app.get("/health", tags=["meta"], response_model=Health)
    def health() -> dict[str, Any]:
        with app.state.container.engine.connect() as conn:
            conn.execute(text("select 1"))
        return {"status": "ok", "version": __version__, "database": app.state.container.engine.dialect.name}

    return app


def create_app_from_environment() -> FastAPI:
    """The app for each worker process of ``serve --workers N`` (uvicorn's factory): the
    settings come from the environment the parent process set."""
    return create_app(Settings())
