"""The CARE Court liaison's page (issue 14 item 4): the CARE matters, each with its stage,
the deadline running (in words; overdue marked), and a form to record the next stage. Its data
comes from ``/api/v1/care-petitions`` (the court's allow-list: no caller, no words of the call)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crisis_dispatch.domain.care import ORDER, Stage

from .pages import _label, _page

router = APIRouter(include_in_schema=False)

STAGE_LABELS = {s.value: _label(s.value) for s in ORDER}


@router.get("/care")
def care_board(request: Request) -> Response:
    return _page(
        request,
        "/care",
        "care.html",
        stages=[(s.value, STAGE_LABELS[s.value]) for s in ORDER if s is not Stage.PREPARED],
        stage_labels=STAGE_LABELS,
    )
