"""CARE Court petitions (docs/after-the-call.md, "CARE Court"): prepared by the team's
clinicians from an encounter, followed by court liaisons stage by stage."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import Field

from crisis_dispatch.domain.limits import MAX_AGE, MIN_AGE
from crisis_dispatch.services import care
from crisis_dispatch.services.care import PetitionRequest
from crisis_dispatch.services.read_models import CareEvidenceBundle, CarePetitionView

from .deps import ActorDep, CtxDep
from .errors import ERROR_RESPONSES
from .schemas import _Body

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


class RespondentBody(_Body):
    name: str = Field(min_length=1, max_length=200)
    age: int = Field(strict=True, ge=MIN_AGE, le=MAX_AGE, description=f"years, {MIN_AGE}-{MAX_AGE}; 18 or older (WIC 5972(a))")
    county_of_residence: str = Field(min_length=1, max_length=60)


class PetitionCreate(_Body):
    respondent: RespondentBody
    county: str = Field(min_length=1, max_length=60, description="the county whose court the petition is filed in")
    facts: str = Field(min_length=1, max_length=20000, description="the facts that support the petition (CARE-100)")
    criteria: list[str] = Field(description="the criteria of WIC 5972 the clinician attests (all five)")
    grounds: list[str] = Field(description="at least one of the two grounds of WIC 5972(d)")
    evidence_incident_ids: list[str] = Field(default_factory=list, max_length=200, description="other encounters to bundle")
    petitioner_staff_id: str | None = Field(default=None, max_length=40, description="default: the crew member logged in")


class StageCreate(_Body):
    stage: str = Field(description="the next stage: filed, prima_facie_finding, county_report_ordered, ...")
    on: date = Field(description="the date of the stage (YYYY-MM-DD)")
    result: str = Field(default="", max_length=20, description="with graduation_or_dismissal: graduation or dismissal")


@router.post(
    "/incidents/{incident_id}/care-petitions",
    tags=["CARE Court"],
    status_code=status.HTTP_201_CREATED,
    response_model=CarePetitionView,
)
def prepare_petition(incident_id: str, body: PetitionCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Prepare a CARE petition from an encounter, with the evidence bundle of the last 60 days.
    Refused (422) for a respondent under 18, a criterion of WIC 5972 not attested, or a listed
    incident outside the 60 days; 409 when the incident already has one."""
    data = body.model_dump()
    respondent = data.pop("respondent")
    request = PetitionRequest(
        respondent_name=respondent["name"],
        respondent_age=respondent["age"],
        respondent_county=respondent["county_of_residence"],
        **data,
    )
    return care.prepare(ctx, actor, incident_id, request)


@router.get("/care-petitions", tags=["CARE Court"], response_model=list[CarePetitionView])
def list_petitions(
    ctx: CtxDep,
    actor: ActorDep,
    overdue: Annotated[bool, Query(description="only matters with a deadline passed")] = False,
    incident_id: Annotated[str | None, Query(max_length=40)] = None,
) -> list[dict[str, Any]]:
    return care.list_petitions(ctx, actor, overdue=overdue, incident_id=incident_id)


@router.get("/care-petitions/{petition_id}", tags=["CARE Court"], response_model=CarePetitionView)
def get_petition(petition_id: str, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return care.get_petition(ctx, actor, petition_id)


@router.post("/care-petitions/{petition_id}/stages", tags=["CARE Court"], response_model=CarePetitionView)
def record_stage(petition_id: str, body: StageCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The next stage on its date. The county's report is then due 14 court days after it is
    ordered (WIC 5977): ``due`` says when, in words, and whether it is overdue."""
    return care.record_stage(ctx, actor, petition_id, body.stage, body.on, body.result)


@router.get("/care-petitions/{petition_id}/evidence", tags=["CARE Court"], response_model=CareEvidenceBundle)
def petition_evidence(petition_id: str, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The holds and encounters of the 60 days before the petition, from our records."""
    return care.evidence(ctx, actor, petition_id)
