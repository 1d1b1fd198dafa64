"""The dialect seam of the SQL audit store: connections, transactions, paramstyle and
type mapping are the dialect's (``_sqlite.py``, ``_postgres.py``); every query is
written once against these hooks, with ``?`` placeholders."""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from ..config import AuditConfig
from ..errors import AuditError
from ._record import Classifier

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
END = datetime(9999, 12, 31, tzinfo=UTC)


class Cursor(Protocol):
    """The DB-API subset both drivers share."""

    @property
    def rowcount(self) -> int: ...
    def execute(self, query: Any, params: Any = ..., /) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class StoreCore(ABC):
    """The dialect hooks every query is written against; bound to one tenant."""

    #: "sqlite" or "postgresql"
    dialect: str
    #: DDL type names for ``{ts}``, ``{bool}``, ``{serial}``
    types: ClassVar[dict[str, str]]

    def __init__(self, tenant: str, config: AuditConfig | None = None) -> None:
        if not tenant:
            raise AuditError("an audit store is bound to a tenant; none given")
        self.tenant = tenant
        self.config = config or AuditConfig()
        self._classifier = Classifier(self.config)

    # -- dialect hooks -------------------------------------------------------------------

    @abstractmethod
    def _tx(self) -> AbstractContextManager[Cursor]:
        """A cursor inside one write transaction (serialised with other writers)."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads."""

    @abstractmethod
    def _q(self, sql: str) -> str:
        """``sql`` (written with ``?`` placeholders) in the driver's paramstyle."""

    @abstractmethod
    def close(self) -> None: ...

    def _ts(self, value: datetime) -> Any:
        return value

    @staticmethod
    def _dt(value: Any) -> datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)

    @staticmethod
    def _opt_dt(value: Any) -> datetime | None:
        return None if value is None else StoreCore._dt(value)
