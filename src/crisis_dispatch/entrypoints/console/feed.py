"""``GET /api/v1/events``: the live feed as Server-Sent Events.

Each connection polls the database about once a second (``services/events.py``), so every
API process serves the same feed whichever process wrote the change. Event types:

- ``hello`` (first): ``{"last_id", "now", "role"}`` -- load the current state, then apply events;
- ``status`` (with ``id:``): one status change (or escalation) the role may see;
- ``checkins``: the safety check-in clocks of crews on scene, whenever one changes level;
- ``tick``: ``{"now"}`` every few seconds -- the server's time for the clocks on screen;
- ``logout``: the session ended; the stream closes.

Reconnecting browsers send ``Last-Event-ID`` and resume after it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from crisis_dispatch.domain.access import Permission, allowed
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.limits import MAX_BIGINT
from crisis_dispatch.services import auth, checkin, events
from crisis_dispatch.services.context import Actor, ServiceContext

from ..api.deps import ActorDep, CtxDep, bearer_token
from ..api.errors import ERROR_RESPONSES
from ..api.responses import EVENT_STREAM

router = APIRouter(prefix="/api/v1", tags=["console"], responses=ERROR_RESPONSES)

POLL_SECONDS = 1.0
TICK_SECONDS = 5.0
#: How often a long-lived stream checks that its session is still valid.
REAUTH_SECONDS = 30.0


def sse(event: str, data: Any, event_id: int | None = None) -> str:
    """One Server-Sent Event: ``event:``, optional ``id:``, one ``data:`` line of JSON."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, separators=(',', ':'), default=str)}\n\n"


def _start_id(last_event_id: str | None, after: int | None) -> int | None:
    if last_event_id is not None and last_event_id.strip():
        try:
            value = int(last_event_id.strip())
        except ValueError:
            raise InvalidInput("Last-Event-ID must be the integer id of a feed event") from None
        if not 0 <= value <= MAX_BIGINT:
            raise InvalidInput(f"Last-Event-ID must be from 0 to {MAX_BIGINT}, not {value}")
        return value
    return after


def _checkin_key(states: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(c["incident_id"], c["level"], c["last_checkin_at"]) for c in states["checkins"]]


async def _stream(
    request: Request, ctx: ServiceContext, actor: Actor, token: str | None, start: int | None
) -> AsyncIterator[str]:
    if start is None:
        start = await run_in_threadpool(events.latest_id, ctx)
    cursor = events.FeedCursor(start)
    follows_checkins = allowed(actor.role, Permission.INCIDENT_STATUS)
    rate = getattr(ctx.clock, "speed", 1.0)  # the demo's clock runs faster than the wall clock
    yield "retry: 2000\n" + sse(
        "hello", {"last_id": start, "now": ctx.clock.now().isoformat(), "rate": rate, "role": actor.role.value}
    )
    last_checkins: list[tuple[Any, ...]] | None = None
    last_tick = last_auth = time.monotonic()
    while not await request.is_disconnected():
        for ev in await run_in_threadpool(cursor.poll, ctx, actor):
            yield sse("status", ev.data, ev.id)
        if follows_checkins:
            states = await run_in_threadpool(checkin.checkin_states, ctx, actor)
            key = _checkin_key(states)
            if key != last_checkins:
                last_checkins = key
                yield sse("checkins", states)
        mono = time.monotonic()
        if mono - last_tick >= TICK_SECONDS:
            last_tick = mono
            yield sse("tick", {"now": ctx.clock.now().isoformat(), "rate": rate})
        if token is not None and mono - last_auth >= REAUTH_SECONDS:
            last_auth = mono
            try:
                await run_in_threadpool(auth.authenticate, ctx, token)
            except auth.AuthenticationFailed:
                yield sse("logout", {"reason": "the session has ended"})
                return
        await asyncio.sleep(POLL_SECONDS)


@router.get("/events", response_class=StreamingResponse, responses=EVENT_STREAM)
def event_stream(
    request: Request,
    ctx: CtxDep,
    actor: ActorDep,
    after: Annotated[int | None, Query(ge=0, le=MAX_BIGINT, description="start after this event id (default: from now)")] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """Live status changes, check-in clocks and server time, filtered by role."""
    start = _start_id(last_event_id, after)
    return StreamingResponse(
        _stream(request, ctx, actor, bearer_token(request), start),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
