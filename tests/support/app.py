"""The app on a fresh SQLite file, its users and their tokens, for tests (no tests here)."""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from crisis_dispatch.bootstrap import Container, build, upgrade
from crisis_dispatch.config import Settings
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.clock import Clock
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import SYSTEM, ServiceContext, Triager

TEST_SECRET = "test-secret-key-0123456789"
K = TypeVar("K", bound=Hashable)


@contextmanager
def sqlite_container_at(path: Path, clock: Clock, triager: Triager) -> Iterator[Container]:
    """A container on the SQLite file ``path``, migrated to the latest schema; disposed on leaving."""
    container = build(Settings(db_path=path, secret_key=TEST_SECRET), clock=clock, triager=triager)
    try:
        upgrade(container.engine)
        yield container
    finally:
        container.dispose()


def add_users(ctx: ServiceContext, logins: Mapping[UserRole, tuple[str, str]], crew_staff_id: str) -> None:
    """A user per role from ``{role: (username, password)}``; the crew login is the staff
    member ``crew_staff_id``."""
    for role, (username, password) in logins.items():
        auth.create_user(ctx, SYSTEM, username, password, role.value, crew_staff_id if role is UserRole.CREW else None)


def login_tokens(client: Any, logins: Mapping[K, tuple[str, str]]) -> dict[K, str]:
    """Log each ``(username, password)`` in through ``POST /api/v1/auth/login`` of ``client``
    (a TestClient, or an httpx.Client with a base_url): an access token per key. The cookies
    the logins set are cleared, so a request carries only the credentials a test gives it."""
    tokens = {}
    for key, (username, password) in logins.items():
        r = client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        tokens[key] = r.json()["access_token"]
    client.cookies.clear()
    return tokens
