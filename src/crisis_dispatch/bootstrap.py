"""The composition root: builds everything the entry points need from settings.

Nothing here runs at import time; ``build`` is called by ``create_app`` and the CLI.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from .adapters import orm
from .adapters.clock import SystemClock
from .adapters.db import make_engine, make_session_factory
from .adapters.uow import UnitOfWork
from .config import Settings
from .domain.clock import Clock
from .services.context import ServiceContext, Triager


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12].upper()}"


def make_triager(protocol_path: Path | None = None) -> Triager:
    """The triage engine with the configured protocol, as a dict-in, dict-out function."""
    from .adapters.protocol_loader import load_default_protocol, load_protocol
    from .domain.triage import CallInput, triage

    protocol = load_protocol(protocol_path) if protocol_path else load_default_protocol()

    def run(call: dict[str, Any]) -> dict[str, Any]:
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
        ).to_dict()

    return run


@dataclass
class Container:
    settings: Settings
    engine: Engine
    ctx: ServiceContext

    def dispose(self) -> None:
        self.engine.dispose()


def build(settings: Settings, *, clock: Clock | None = None, triager: Triager | None = None) -> Container:
    orm.start_mappers()
    engine = make_engine(settings.database())
    factory = make_session_factory(engine)
    ctx = ServiceContext(
        uow_factory=lambda: UnitOfWork(factory),
        clock=clock or SystemClock(),
        new_id=new_id,
        triage=triager or make_triager(settings.protocol_path),
        token_secret=settings.secret_key.encode(),
        token_ttl=settings.token_ttl,
    )
    return Container(settings=settings, engine=engine, ctx=ctx)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("crisis_dispatch") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (idempotent)."""
    command.upgrade(alembic_config(engine), revision)
