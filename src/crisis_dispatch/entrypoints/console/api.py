"""The console's JSON routes beside ``/api/v1``: the protocol's questions, safety check-ins,
and the offline basemap."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field, field_validator

from crisis_dispatch.adapters.protocol_loader import configured_protocol
from crisis_dispatch.data.reference import california_counties_geojson, la_neighborhoods_geojson
from crisis_dispatch.services import checkin

from ..api.deps import ActorDep, CtxDep
from ..api.errors import ERROR_RESPONSES
from ..api.responses import CheckinBoard, CheckinRecorded, CheckinState, ProtocolSummary
from ..api.schemas import control_character_check

router = APIRouter(prefix="/api/v1", tags=["console"], responses=ERROR_RESPONSES)

#: The county the LA demo's basemap outlines.
BASEMAP_COUNTY = "Los Angeles"


class CheckinBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    _no_control_characters = field_validator("*", mode="before")(control_character_check)
    comment: str = Field(default="", max_length=500)


@lru_cache(maxsize=4)
def protocol_summary(path: Path | None) -> dict[str, Any]:
    """The questions of the configured triage protocol, in the order the form asks them."""
    protocol = configured_protocol(path)
    return {
        "protocol": protocol.name,
        "version": protocol.version,
        "questions": [{"id": q.id, "text": q.text, "type": q.type.value, "choices": list(q.choices)} for q in protocol.questions],
    }


@router.get("/protocol", response_model=ProtocolSummary)
def get_protocol(request: Request, actor: ActorDep) -> dict[str, Any]:
    """The triage protocol's questions (ids, text, answer type) for the call-taker's form."""
    return protocol_summary(request.app.state.container.settings.protocol_path)


@router.get("/checkins", response_model=CheckinBoard)
def list_checkins(ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The safety check-in clock of every crew on scene (crew: their own van's)."""
    return checkin.checkin_states(ctx, actor)


@router.post(
    "/incidents/{incident_id}/checkins", status_code=status.HTTP_201_CREATED, response_model=CheckinState | CheckinRecorded
)
def post_checkin(incident_id: str, body: CheckinBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The crew on scene confirms it is safe: restarts its check-in clock."""
    return checkin.check_in(ctx, actor, incident_id, body.comment)


@lru_cache(maxsize=1)
def _basemap() -> bytes:
    import json

    county = [f for f in california_counties_geojson()["features"] if f["properties"].get("name") == BASEMAP_COUNTY]
    body = {"neighborhoods": la_neighborhoods_geojson(), "county": {"type": "FeatureCollection", "features": county}}
    return json.dumps(body, separators=(",", ":")).encode()


@router.get("/basemap", include_in_schema=False)
def basemap() -> Response:
    """LA County's outline and neighbourhood polygons from the shipped open data (no tiles)."""
    return Response(_basemap(), media_type="application/json", headers={"Cache-Control": "public, max-age=86400"})
