"""What every use case needs: a unit of work, a clock, id generation, triage, secrets.

Built once by the composition root (``crisis_dispatch.bootstrap``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from crisis_dispatch.domain.access import Permission, UserRole, allowed
from crisis_dispatch.domain.clock import Clock
from crisis_dispatch.domain.errors import PermissionDenied
from crisis_dispatch.domain.geo import LatLon
from crisis_dispatch.domain.impact import Impact
from crisis_dispatch.domain.interop import RetryPolicy
from crisis_dispatch.domain.limits import ServiceArea
from crisis_dispatch.domain.logins import LoginPolicy
from crisis_dispatch.domain.queueing import EscalationPolicy, Thresholds
from crisis_dispatch.domain.triage.model import TriageResult
from crisis_dispatch.services.ports import UnitOfWork

#: Driving seconds from each origin to one destination; None = unreachable.
EtaFunction = Callable[[list[LatLon], LatLon], list["float | None"]]
#: Whether a point lies in a rural county (under 50 people per square mile).
RuralLookup = Callable[[float, float], bool]

#: Turns a call (``id, call_type, narrative, code, priority, answers``) into the triage
#: engine's decision, a frozen :class:`TriageResult` that travels as it is to the incident and
#: the dispatcher.
Triager = Callable[[dict[str, Any]], TriageResult]


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, or the system itself (seeding, simulation)."""

    username: str
    role: UserRole
    user_id: str | None = None
    staff_id: str | None = None

    def require(self, permission: Permission) -> None:
        if not allowed(self.role, permission):
            raise PermissionDenied(f"role '{self.role.value}' lacks the '{permission.value}' permission")


SYSTEM = Actor(username="system", role=UserRole.ADMIN)


@dataclass
class ServiceContext:
    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    new_id: Callable[[str], str]
    triage: Triager
    token_secret: bytes
    token_ttl: timedelta = timedelta(hours=12)
    login_policy: LoginPolicy = LoginPolicy()
    travel: EtaFunction | None = None
    #: Where ``travel`` has no answer (a point outside its area): a straight-line estimate,
    #: labelled as such wherever it is shown.
    fallback_travel: EtaFunction | None = None
    rural_at: RuralLookup = lambda lat, lon: False
    thresholds: Thresholds = Thresholds()
    escalation: EscalationPolicy = EscalationPolicy()
    #: Where calls may come from (None: anywhere). A call outside is refused unless a
    #: dispatcher takes it on purpose.
    service_area: ServiceArea | None = None
    #: The assumptions behind the program report's impact estimates (settings: ed_baseline_share, ...).
    impact: Impact = Impact()
    #: Our agency's id in the EIDO documents we write for the CAD.
    agency: str = "crisis-team.example.org"
    #: How the outbox retries a CAD that does not answer, and when it gives up (dead letter).
    outbox_retry: RetryPolicy = RetryPolicy()

    def outside_service_area(self, lat: float | None, lon: float | None) -> bool:
        """Whether a point lies outside the service area (a location to confirm, without
        coordinates, is not known to be outside)."""
        if lat is None or lon is None:
            return False
        return self.service_area is not None and not self.service_area.contains(lat, lon)

    def rural(self, lat: float | None, lon: float | None) -> bool:
        """Whether a point is rural; a location to confirm counts as urban (the shorter,
        60-minute clock: the stricter one while nobody knows where the person is)."""
        return lat is not None and lon is not None and self.rural_at(lat, lon)

    def uow(self) -> UnitOfWork:
        return self.uow_factory()
