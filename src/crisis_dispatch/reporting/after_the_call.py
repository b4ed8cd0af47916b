"""Counts of the work after a call (issue 14): hold transports, calls sent to 988, CARE referrals.

Read from the incidents' own records (``hold_transport``, ``phone_988``), not from the status
history: a transport's pickup check and handover, and a 988 transfer, are not status changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from crisis_dispatch.domain.care import CarePetition, Stage
from crisis_dispatch.domain.incident import Incident
from crisis_dispatch.domain.outcomes import Disposition
from crisis_dispatch.domain.phone_988 import Result988

from .kpis import percentiles


def after_the_call(incidents: Sequence[Incident], petitions: Sequence[CarePetition] = ()) -> dict[str, Any]:
    """Hold transports requested, verified at pickup and handed over (with the minutes from the
    pickup check to the handover, and the hours left on the hold at handover); 988 transfers
    by result, and how many 988 handed back for a team; CARE referrals (with a hold among
    them) and the petitions prepared from these incidents, filed, and ended."""
    transports = [i.hold_transport for i in incidents if i.hold_transport is not None]
    pickup_to_handover, hours_left = [], []
    for t in transports:
        if t.verification is not None and t.handover is not None:
            pickup_to_handover.append((t.handover.at - t.verification.verified_at).total_seconds() / 60)
            hours_left.append(t.remaining(t.handover.at).total_seconds() / 3600)
    transfers = [i.phone_988 for i in incidents if i.phone_988 is not None]
    results = Counter(t.result.value if t.result else "none_yet" for t in transfers)
    return {
        "hold_transports": {
            "requested": len(transports),
            "verified_at_pickup": sum(1 for t in transports if t.verification is not None),
            "handed_over": len(pickup_to_handover),
            "minutes_pickup_to_handover": percentiles(np.array(pickup_to_handover, dtype=float)),
            "fewest_hours_left_at_handover": round(min(hours_left), 2) if hours_left else None,
        },
        "phone_988": {
            "transferred": len(transfers),
            "results": {r.value: results.get(r.value, 0) for r in Result988} | {"none_yet": results.get("none_yet", 0)},
            "handed_back_for_a_team": sum(1 for t in transfers if t.handed_back_to is not None),
        },
        "care": care_counts(incidents, petitions),
    }


def care_counts(incidents: Sequence[Incident], petitions: Sequence[CarePetition]) -> dict[str, Any]:
    referred = [i.outcome for i in incidents if i.outcome is not None and i.outcome.care_referred]
    ours = {i.id for i in incidents}
    mine = [p for p in petitions if p.incident_id in ours]
    return {
        "referrals": len(referred),
        "referrals_with_a_hold": sum(1 for o in referred if o.disposition is Disposition.INVOLUNTARY_HOLD),
        "petitions_prepared": len(mine),
        "petitions_filed": sum(1 for p in mine if p.stage_on(Stage.FILED) is not None),
        "ended": dict(Counter(p.result for p in mine if p.result)),
    }
