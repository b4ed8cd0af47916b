"""The unit of work: one database transaction around one use case (SQLAlchemy's
implementation of :class:`crisis_dispatch.services.ports.UnitOfWork`).

SQLAlchemy's own errors stop in the adapters: a lost concurrent update becomes
:class:`Conflict` here, a duplicate key :class:`DuplicateKey` as the engine raises it
(``adapters.db``)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from crisis_dispatch.domain.errors import Conflict, DuplicateKey

from . import follow_up_repositories as fr
from . import interop_repositories as ir
from . import person_repositories as pr
from . import repositories as r
from .care_repository import CarePetitionRepository


class UnitOfWork:
    """``with uow: ...; uow.commit()`` — anything not committed is rolled back."""

    def __init__(self, session_factory: sessionmaker[Session], before_commit: Callable[[UnitOfWork], None] | None = None) -> None:
        self._factory = session_factory
        self.session: Session | None = None
        #: Runs inside the transaction just before it commits (the composition root wires
        #: the outbox here: every status change a CAD subscribed to is written with it).
        self._before_commit = before_commit

    def __enter__(self) -> UnitOfWork:
        s = self.session = self._factory()
        self.incidents = r.IncidentRepository(s)
        self.units = r.UnitRepository(s)
        self.staff = r.StaffRepository(s)
        self.shifts = r.ShiftRepository(s)
        self.stations = r.StationRepository(s)
        self.facilities = r.FacilityRepository(s)
        self.history = r.HistoryRepository(s)
        self.users = r.UserRepository(s)
        self.tokens = r.TokenRepository(s)
        self.login_failures = r.LoginFailureRepository(s)
        self.audit = r.AuditRepository(s)
        self.idempotency = r.IdempotencyRepository(s)
        self.eido_links = ir.EidoLinkRepository(s)
        self.subscriptions = ir.SubscriptionRepository(s)
        self.outbox = ir.OutboxRepository(s)
        self.disclosures = r.DisclosureRepository(s)
        self.persons = pr.PersonRepository(s)
        self.care = CarePetitionRepository(s)
        self.follow_ups = fr.FollowUpRepository(s)
        self.hand_offs = fr.HandOffRepository(s)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        assert self.session is not None
        # close() rolls back whatever was not committed and detaches the objects without
        # expiring them, so what a use case read stays readable after the block.
        self.session.close()
        self.session = None

    def take_turns(self, what: str) -> None:
        """Only one transaction at a time, across server processes, gets past this for
        ``what`` (``"clock-check"``) until it ends."""
        assert self.session is not None
        r.lock_for_transaction(self.session, r.TURN_LOCKS[what])

    def read_once(self) -> None:
        """One read, no change: on PostgreSQL in autocommit (no BEGIN, no ROLLBACK). SQLite
        keeps its transaction: its ``begin`` hook takes the write lock, which a read outside
        one must not skip the release of."""
        assert self.session is not None
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})

    def flush(self) -> None:
        """Write pending changes now; a concurrent change shows up as :class:`Conflict`."""
        assert self.session is not None
        try:
            self.session.flush()
        except StaleDataError as e:
            raise Conflict("the record was changed by someone else; reload and try again") from e

    def commit(self) -> None:
        assert self.session is not None
        try:
            if self._before_commit is not None and self.history.added:
                self.session.flush()
                self._before_commit(self)
                self.history.added.clear()
            if self.audit.pending:
                # Everything else first: the audit chain's lock is then held only for the
                # audit rows and the commit.
                self.session.flush()
                self.audit.append_pending()
            self.session.commit()
        except StaleDataError as e:
            self.session.rollback()
            raise Conflict("the record was changed by someone else; reload and try again") from e
        except DuplicateKey:
            self.session.rollback()
            raise
