"""Who is looking at a page: the session cookie set at log-in, and each role's home page."""

from __future__ import annotations

from fastapi import Request

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import Actor

from ..api.deps import SESSION_COOKIE, bearer_token, get_ctx

R = UserRole

#: The page each role lands on after logging in.
HOME: dict[UserRole, str] = {
    R.CALL_TAKER: "/console",
    R.DISPATCHER: "/console",
    R.SUPERVISOR: "/console",
    R.ADMIN: "/console",
    R.CREW: "/crew",
    R.POLICE_LIAISON: "/board",
    R.ANALYST: "/board",
    R.COURT_LIAISON: "/care",
}

#: Which roles may open which page (the API checks every action again).
PAGE_ROLES: dict[str, frozenset[UserRole]] = {
    "/console": frozenset({R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    "/crew": frozenset({R.CREW}),
    "/board": frozenset({R.POLICE_LIAISON, R.ANALYST, R.COURT_LIAISON, R.SUPERVISOR, R.ADMIN}),
    "/reports": frozenset({R.SUPERVISOR, R.ANALYST, R.ADMIN}),
    # CARE Court matters (issue 14 item 4): the court liaison's board; supervisors and admins too.
    "/care": frozenset({R.COURT_LIAISON, R.SUPERVISOR, R.ADMIN}),
    # Person records (issue 14 item 2): those who may merge two records of one person.
    "/persons": frozenset({R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
}

ROLE_LABEL: dict[UserRole, str] = {
    R.CALL_TAKER: "Call-taker",
    R.DISPATCHER: "Dispatcher",
    R.SUPERVISOR: "Supervisor",
    R.ADMIN: "Administrator",
    R.CREW: "Crew",
    R.POLICE_LIAISON: "Police liaison",
    R.ANALYST: "Analyst",
    R.COURT_LIAISON: "CARE Court liaison",
}


def page_actor(request: Request) -> Actor | None:
    """The logged-in user behind the request, or None (then the page sends them to log in)."""
    token = bearer_token(request)
    if not token:
        return None
    try:
        return auth.authenticate(get_ctx(request), token)
    except auth.AuthenticationFailed:
        return None


__all__ = ["HOME", "PAGE_ROLES", "ROLE_LABEL", "SESSION_COOKIE", "page_actor"]
