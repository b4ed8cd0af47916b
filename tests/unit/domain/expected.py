"""The legal status changes as the product needs them, written out by hand from DOMAIN.md and
issue 2 -- never read back from the domain's tables, so that the tests check the tables."""

from __future__ import annotations

#: What the product needs, written from DOMAIN.md and issue 2 (not read back from the code):
#: a call is triaged or cancelled; a triaged call waits, gets a van or is closed without a
#: team (screened out); a van may be recalled before arrival (back to the queue); once on
#: scene the team transports or closes; closed and cancelled are final.
INCIDENT_LEGAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("received", "triaged"),
        ("received", "cancelled"),
        ("triaged", "queued"),
        ("triaged", "dispatched"),
        ("triaged", "closed"),
        ("triaged", "cancelled"),
        ("queued", "dispatched"),
        ("queued", "closed"),
        ("queued", "cancelled"),
        ("dispatched", "en_route"),
        ("dispatched", "on_scene"),
        ("dispatched", "queued"),
        ("dispatched", "cancelled"),
        ("en_route", "on_scene"),
        ("en_route", "queued"),
        ("en_route", "cancelled"),
        ("on_scene", "transporting"),
        ("on_scene", "closed"),
        ("transporting", "at_destination"),
        ("at_destination", "closed"),
    }
)
INCIDENT_STATUSES = [
    "received",
    "triaged",
    "queued",
    "dispatched",
    "en_route",
    "on_scene",
    "transporting",
    "at_destination",
    "closed",
    "cancelled",
]

#: Written from DOMAIN.md / issue 2, not read back from the code: an available van is
#: dispatched, taken out of service or goes off shift; it may be recalled (or break down)
#: before it arrives; on scene it transports or clears; after a transport it clears at the
#: destination; out of service and off shift come back through "available".
UNIT_LEGAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("available", "dispatched"),
        ("available", "out_of_service"),
        ("available", "off_shift"),
        ("dispatched", "en_route"),
        ("dispatched", "on_scene"),
        ("dispatched", "available"),
        ("dispatched", "out_of_service"),
        ("en_route", "on_scene"),
        ("en_route", "available"),
        ("en_route", "out_of_service"),
        ("on_scene", "transporting"),
        ("on_scene", "available"),
        ("transporting", "at_destination"),
        ("at_destination", "available"),
        ("out_of_service", "available"),
        ("out_of_service", "off_shift"),
        ("off_shift", "available"),
        ("off_shift", "out_of_service"),
    }
)
UNIT_STATUSES = [
    "available",
    "dispatched",
    "en_route",
    "on_scene",
    "transporting",
    "at_destination",
    "out_of_service",
    "off_shift",
]

UNIT_COMMITTED = {"dispatched", "en_route", "on_scene", "transporting", "at_destination"}
INCIDENT_TERMINAL = frozenset({"closed", "cancelled"})
