"""The assumptions that turn a crisis program's calls into its estimated impact.

They are estimates, not measurements: a report states them beside the figures they produce
(docs/reporting.md, "Methods").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Impact:
    """Assumptions that turn team calls into hours freed and ED visits avoided.

    ``baseline_ed_share``: of the calls a team reached, the share that would have ended in an
    emergency department had police or fire answered them (the counterfactual). ``*_hours_per_call``:
    the hours a police unit or a fire/EMS unit spends on such a call when it answers it.
    """

    police_hours_per_call: float = 0.0
    fire_hours_per_call: float = 0.0
    baseline_ed_share: float = 0.0

    def ed_assumption(self) -> str:
        return (
            f"estimate: assumes {self.baseline_ed_share:.0%} of the calls a team reached would have ended in an "
            "emergency department without the team (the configured baseline share), minus the team's own ED transports"
        )

    def hours_method(self) -> str:
        return (
            f"estimate: {self.police_hours_per_call:g} police hours for each reached call that needed no police, "
            f"{self.fire_hours_per_call:g} fire/EMS hours for each reached call that needed no EMS "
            "(neither at triage nor by a later escalation)"
        )
