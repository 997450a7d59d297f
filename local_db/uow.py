"""Unit of work: one SQLite transaction around one use case (Cosmic Python's shape).

``with uow:`` opens a session on the writer engine (``BEGIN IMMEDIATE``); the use case calls
``uow.commit()`` when everything is written; leaving the block without commit, or with an
exception, rolls everything back. A read-only unit uses the reader engine.
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
        self._session: Session | None = None
        self.committed = False

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'with'")
        return self._session

    @property
    def conn(self) -> Connection:
        """The Core connection of this transaction, for fast bulk statements."""
        return self.session.connection()

    def __enter__(self) -> UnitOfWork:
        engine = self._db.writer if self._write else self._db.reader
        self._session = Session(engine, expire_on_commit=False, autoflush=True)
        self.committed = False
        # Start the transaction now so that BEGIN IMMEDIATE takes the write lock up front.
        self._session.connection()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        session = self.session
        try:
            if not self.committed:
                session.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        if not self._write:
            raise RuntimeError("a read-only unit of work cannot commit")
        self.session.commit()
        self.committed = True
