"""The person index's rows (issue 14 item 2): persons, links of incidents to persons, and the
insert-only trail of what was done to them. SQLAlchemy Core; :class:`Person` is a frozen value."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from crisis_dispatch.domain.errors import NotFound
from crisis_dispatch.domain.persons import BirthDate, Person, canonical

from . import orm


def _person(row: Any) -> Person:
    m = row._mapping
    return Person(
        id=m["id"],
        names=tuple(m["names"] or ()),
        dob=BirthDate.parse(m["dob"]),
        phones=tuple(m["phones"] or ()),
        description=m["description"],
        created_by=m["created_by"],
        created_at=m["created_at"],
        merged_into=m["merged_into"],
        merged_at=m["merged_at"],
        merged_by=m["merged_by"],
    )


class PersonRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ------------------------------------------------------------------ records
    def add(self, person: Person) -> None:
        self.session.execute(
            insert(orm.persons).values(
                id=person.id,
                names=list(person.names),
                dob=str(person.dob) if person.dob else None,
                phones=list(person.phones),
                description=person.description,
                created_at=person.created_at,
                created_by=person.created_by,
            )
        )

    def find(self, person_id: str) -> Person | None:
        row = self.session.execute(select(orm.persons).where(orm.persons.c.id == person_id)).first()
        return None if row is None else _person(row)

    def get(self, person_id: str) -> Person:
        found = self.find(person_id)
        if found is None:
            raise NotFound(f"person '{person_id}' not found")
        return found

    def set_merge(self, person: Person) -> None:
        """Write ``merged_into`` (and when, by whom) as the value says: a merge or an unmerge."""
        self.session.execute(
            update(orm.persons)
            .where(orm.persons.c.id == person.id)
            .values(merged_into=person.merged_into, merged_at=person.merged_at, merged_by=person.merged_by)
        )

    def not_merged(self) -> builtins.list[Person]:
        """Every record that stands for itself (the ones a search may suggest)."""
        q = select(orm.persons).where(orm.persons.c.merged_into.is_(None)).order_by(orm.persons.c.id)
        return [_person(r) for r in self.session.execute(q)]

    def merges(self) -> dict[str, str | None]:
        """``person -> merged_into`` for every merged record (the others map to nothing)."""
        t = orm.persons.c
        return {pid: into for pid, into in self.session.execute(select(t.id, t.merged_into).where(t.merged_into.is_not(None)))}

    def by_ids(self, ids: Iterable[str]) -> dict[str, Person]:
        wanted = builtins.list(set(ids))
        if not wanted:
            return {}
        return {p.id: p for p in map(_person, self.session.execute(select(orm.persons).where(orm.persons.c.id.in_(wanted))))}

    # ------------------------------------------------------------------ links
    def link(self, incident_id: str, person_id: str, *, at: datetime, by: str) -> None:
        self.session.execute(
            insert(orm.person_links).values(incident_id=incident_id, person_id=person_id, linked_at=at, linked_by=by)
        )

    def unlink(self, incident_id: str) -> None:
        self.session.execute(delete(orm.person_links).where(orm.person_links.c.incident_id == incident_id))

    def link_of(self, incident_id: str) -> dict[str, Any] | None:
        t = orm.person_links
        row = self.session.execute(select(t).where(t.c.incident_id == incident_id)).mappings().first()
        return None if row is None else dict(row)

    def links_of(self, person_ids: Iterable[str]) -> builtins.list[dict[str, Any]]:
        wanted = builtins.list(set(person_ids))
        if not wanted:
            return []
        t = orm.person_links
        q = select(t).where(t.c.person_id.in_(wanted)).order_by(t.c.linked_at, t.c.incident_id)
        return [dict(r) for r in self.session.execute(q).mappings()]

    def all_links(self) -> dict[str, str]:
        """``incident -> person`` for every link (the reports' de-identified count reads only this)."""
        t = orm.person_links.c
        return {i: p for i, p in self.session.execute(select(t.incident_id, t.person_id))}

    def persons_of_incidents(self, incident_ids: Iterable[str]) -> dict[str, str]:
        """``incident -> the person it belongs to now`` (a merged record's survivor), for those linked."""
        wanted = builtins.list(set(incident_ids))
        if not wanted:
            return {}
        t = orm.person_links.c
        rows: dict[str, str] = {
            i: p for i, p in self.session.execute(select(t.incident_id, t.person_id).where(t.incident_id.in_(wanted)))
        }
        if not rows:
            return {}
        merges = self.merges()
        return {incident: canonical(person, merges) for incident, person in rows.items()}

    # ------------------------------------------------------------------ the trail
    def record(
        self,
        action: str,
        person_id: str,
        *,
        at: datetime,
        by: str,
        other_person_id: str | None = None,
        incident_id: str | None = None,
        incidents: Iterable[str] = (),
        reason: str = "",
    ) -> None:
        self.session.execute(
            insert(orm.person_events).values(
                at=at,
                by=by,
                action=action,
                person_id=person_id,
                other_person_id=other_person_id,
                incident_id=incident_id,
                incidents=sorted(incidents),
                reason=reason,
            )
        )

    def events(self, person_ids: Iterable[str]) -> builtins.list[dict[str, Any]]:
        """What was done to these records (or with them, as the other side of a merge), oldest first."""
        wanted = builtins.list(set(person_ids))
        if not wanted:
            return []
        t = orm.person_events
        q = select(t).where(t.c.person_id.in_(wanted) | t.c.other_person_id.in_(wanted)).order_by(t.c.id)
        return [dict(r) for r in self.session.execute(q).mappings()]
