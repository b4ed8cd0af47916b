"""The person records page (issue 14 item 2): find a person, read their encounters and the
record's trail, and merge two records of the same person or undo a merge. Its data comes from
``/api/v1/persons`` (clinical roles; every search and read audited). Merging needs
``person:merge`` (dispatchers, supervisors, admins); a suggestion is never a merge."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .pages import _page

router = APIRouter(include_in_schema=False)


@router.get("/persons")
def person_records(request: Request) -> Response:
    return _page(request, "/persons", "persons.html")
