"""CARE Court petitions: one row each, the petition's record as JSON (``domain/care.py``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import JSON, ColumnElement, exists, insert, or_, select, true, type_coerce, update
from sqlalchemy.orm import Session

from crisis_dispatch.domain.care import CarePetition
from crisis_dispatch.domain.clock import ensure_aware
from crisis_dispatch.domain.errors import NotFound
from crisis_dispatch.domain.outcomes import Disposition

from . import orm


class CarePetitionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, petition: CarePetition) -> None:
        self.session.execute(insert(orm.care_petitions).values(**_row(petition)))

    def save(self, petition: CarePetition) -> None:
        t = orm.care_petitions.c
        row = _row(petition)
        self.session.execute(
            update(orm.care_petitions).where(t.id == petition.id).values(stage=row["stage"], record=row["record"])
        )

    def find(self, petition_id: str) -> CarePetition | None:
        t = orm.care_petitions.c
        record = self.session.scalar(select(t.record).where(t.id == petition_id))
        return None if record is None else CarePetition.from_dict(record)

    def get(self, petition_id: str) -> CarePetition:
        found = self.find(petition_id)
        if found is None:
            raise NotFound(f"CARE petition '{petition_id}' not found")
        return found

    def list(
        self,
        *,
        incident_ids: Sequence[str] | None = None,
        prepared_by: str | None = None,
        limit: int = 500,
    ) -> list[CarePetition]:
        t = orm.care_petitions.c
        q = select(t.record)
        if incident_ids is not None:
            q = q.where(t.incident_id.in_(list(incident_ids)))
        if prepared_by is not None:
            q = q.where(t.prepared_by == prepared_by)
        q = q.order_by(t.prepared_at.desc(), t.id.desc()).limit(limit)
        return [CarePetition.from_dict(r) for r in self.session.scalars(q)]


def _row(petition: CarePetition) -> dict[str, object]:
    return {
        "id": petition.id,
        "incident_id": petition.incident_id,
        "prepared_at": ensure_aware(petition.prepared_at),
        "prepared_by": petition.prepared_by,
        "stage": petition.stage.value,
        "record": petition.to_dict(),
    }


def care_matter() -> ColumnElement[bool]:
    """SQL: an incident is a CARE matter (what court liaisons see): its outcome refers the
    person to CARE Court (the flag, or the older disposition value), or a petition was
    prepared from it."""
    t, p = orm.incidents.c, orm.care_petitions.c
    outcome = type_coerce(t.outcome, JSON)
    return or_(
        outcome["disposition"].as_string() == Disposition.CARE_COURT_PETITION_RECOMMENDED.value,
        outcome["care_referral"].as_boolean() == true(),
        exists().where(p.incident_id == t.id),
    )
