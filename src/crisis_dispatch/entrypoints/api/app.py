"""``create_app(settings)``: the HTTP entry point. Nothing connects at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from crisis_dispatch import __version__
from crisis_dispatch.bootstrap import Container, build
from crisis_dispatch.config import Settings

from . import errors
from .routes import router


def create_app(settings: Settings, *, container: Container | None = None) -> FastAPI:
    """Build the API. Pass a ``container`` to share one (tests, the demo feed)."""
    owned = container is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            app.state.container.dispose()

    app = FastAPI(
        title="crisis-dispatch",
        version=__version__,
        description="Tiered 911 dispatch of mental-health crisis teams.",
        lifespan=lifespan,
    )
    app.state.container = container or build(settings)
    errors.install(app)
    app.include_router(router)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, Any]:
        with app.state.container.engine.connect() as conn:
            conn.execute(text("select 1"))
        return {"status": "ok", "version": __version__, "database": app.state.container.engine.dialect.name}

    return app
