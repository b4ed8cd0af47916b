"""The second factor of the logged-in user (issue 11): see whether one is set up, and enrol
an authenticator app in two steps. Logging in with a code is ``POST /auth/login``."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from crisis_dispatch.services import second_factor

from .deps import ActorDep, CtxDep
from .errors import ERROR_RESPONSES
from .schemas import _Body

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["auth"])


class TotpStatus(BaseModel):
    #: A second factor is set up: every login needs a code.
    enrolled: bool
    #: An enrolment waits for its first code.
    pending: bool
    #: The role must log in with a code (the ``require_totp`` setting is on for it).
    required: bool


class TotpEnrolRequest(_Body):
    password: str = Field(min_length=1, max_length=500)


class TotpEnrolment(BaseModel):
    #: The shared secret (base32) and the same as an ``otpauth://`` URI (for a QR code):
    #: shown this once, never again.
    secret: str
    otpauth_uri: str
    active: bool


class TotpConfirmRequest(_Body):
    code: str = Field(min_length=1, max_length=10)


class TotpConfirmed(BaseModel):
    active: bool


@router.get("/auth/totp", response_model=TotpStatus)
def totp_status(ctx: CtxDep, actor: ActorDep) -> dict[str, bool]:
    return second_factor.status(ctx, actor)


@router.post("/auth/totp/enroll", response_model=TotpEnrolment)
def totp_enroll(body: TotpEnrolRequest, ctx: CtxDep, actor: ActorDep) -> dict[str, object]:
    """Step 1: your current password; the answer is a new secret for your authenticator app,
    not yet active. 409 when one is already set up (an administrator replaces it)."""
    return second_factor.start(ctx, actor, body.password)


@router.post("/auth/totp/confirm", response_model=TotpConfirmed)
def totp_confirm(body: TotpConfirmRequest, ctx: CtxDep, actor: ActorDep) -> dict[str, bool]:
    """Step 2: the code the app shows now. From then on every login needs a code."""
    return second_factor.confirm(ctx, actor, body.code)
