"""Column types that keep the domain's values intact on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

JsonType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out (SQLite keeps no offsets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class EnumString(TypeDecorator[StrEnum]):
    """A StrEnum stored as its value (a plain string column, no database enum type)."""

    impl = String(40)
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int = 40) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Any) -> StrEnum | None:
        return None if value is None else self.enum(value)


class EnumSet(TypeDecorator[set]):
    """A set of StrEnum members stored as a sorted JSON list."""

    impl = JSON
    cache_ok = True

    def __init__(self, enum: type[StrEnum] | None = None) -> None:
        super().__init__()
        self.enum = enum

    def load_dialect_impl(self, dialect: Any) -> Any:
        return dialect.type_descriptor(JSON())

    def process_bind_param(self, value: Any, dialect: Any) -> list[str] | None:
        if value is None:
            return None
        return sorted(str(v) for v in value)

    def process_result_value(self, value: Any, dialect: Any) -> set | None:
        if value is None:
            return None
        return {self.enum(v) for v in value} if self.enum else set(value)


class _FromDict(Protocol):
    """A value class that rebuilds itself from its ``to_dict``: its ``from_dict`` classmethod."""

    def from_dict(self, data: dict[str, Any], /) -> Any: ...


class Serialized(TypeDecorator[Any]):
    """A frozen value object stored as JSON through its ``to_dict``/``from_dict``."""

    impl = JSON
    cache_ok = True

    def __init__(self, cls: _FromDict) -> None:
        super().__init__()
        self.cls = cls

    def load_dialect_impl(self, dialect: Any) -> Any:
        return dialect.type_descriptor(JSONB() if dialect.name == "postgresql" else JSON())

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return None if value is None else value.to_dict()

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else self.cls.from_dict(value)
