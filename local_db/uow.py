"""Unit of work: one SQLite transaction around one use case (Cosmic Python's shape).

``with UnitOfWork(db) as uow:`` takes a connection from the writer engine and starts the
transaction at once (``BEGIN IMMEDIATE``, so the write lock is held from the start). A use
case writes through ``uow.conn`` (Core) or ``uow.session`` (ORM, made on first use and bound
to the same connection) and calls ``uow.commit()`` when everything is written. Leaving the
block without a commit, or with an exception, rolls everything back. A read-only unit uses
the reader engine and cannot commit.

Convention: use cases take an *entered* unit of work and commit it themselves.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from local_db.engine import Database


class UnitOfWork:
    def __init__(self, db: Database, *, write: bool = True) -> None:
        self._db = db
        self._write = write
        self._conn: Connection | None = None
        self._session: Session | None = None
        self.committed = False

    @property
    def conn(self) -> Connection:
        """The Core connection of this transaction."""
        if self._conn is None:
            raise RuntimeError("unit of work used outside 'with'")
        if not self._conn.in_transaction():
            self._conn.begin()  # after a commit, the next statement opens a new transaction
        return self._conn

    @property
    def session(self) -> Session:
        """An ORM session in the same transaction (made lazily: most writes need only Core)."""
        if self._session is None:
            # rollback_only: the session never commits our transaction; uow.commit() does.
            self._session = Session(bind=self.conn, expire_on_commit=False, autoflush=True,
                                    join_transaction_mode="rollback_only")
        return self._session

    def __enter__(self) -> UnitOfWork:
        engine = self._db.writer if self._write else self._db.reader
        self._conn = engine.connect()
        self.committed = False
        self._conn.begin()  # the engine's begin listener emits BEGIN IMMEDIATE / BEGIN
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        conn = self._conn
        try:
            if self._session is not None:
                self._session.close()
            if conn is not None and conn.in_transaction():
                conn.rollback()
        finally:
            if conn is not None:
                conn.close()
            self._conn = None
            self._session = None

    def commit(self) -> None:
        if not self._write:
            raise RuntimeError("a read-only unit of work cannot commit")
        if self._session is not None:
            self._session.flush()
            self._session.close()  # its transaction ends here; a later use makes a new one
            self._session = None
        self.conn.commit()
        self.committed = True
