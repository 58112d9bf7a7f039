"""Statements run for every message, with as little overhead as the database driver allows.

An SMS or Telegram turn runs about ten small statements in one transaction. Through
SQLAlchemy's execution machinery each took 0.2–0.3 ms of CPU on PostgreSQL, three times
what psycopg alone takes, and together a third of a turn's CPU: at the first-week-of-school
rush that decides how many messages a second two cores answer.

So a statement that every message runs is written once, in SQLAlchemy Core, compiled by
SQLAlchemy once per set of parameter names, and then run by psycopg itself, on the
connection and in the transaction of the unit of work. Its errors are raised as
SQLAlchemy's (`IntegrityError`, `OperationalError`…), as any other statement's are, and a
lost connection is invalidated the same way. With any other driver (SQLite), the
statement runs through SQLAlchemy as usual.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import psycopg
from psycopg.rows import namedtuple_row
from psycopg.types.json import Json
from sqlalchemy import JSON, Connection, exc
from sqlalchemy.sql.expression import Executable

Params = Mapping[str, Any]


class Rows(Protocol):
    """What callers read of a result: the same on both paths."""

    rowcount: int

    def first(self) -> Any: ...

    def scalar(self) -> Any: ...

    def scalar_one(self) -> Any: ...


class _DriverRows:
    """A psycopg cursor's outcome, read like a SQLAlchemy result (rows by attribute)."""

    def __init__(self, rowcount: int, row: Any):
        self.rowcount, self._row = rowcount, row

    def first(self) -> Any:
        return self._row

    def scalar(self) -> Any:
        return None if self._row is None else self._row[0]

    def scalar_one(self) -> Any:
        if self._row is None:
            raise exc.NoResultFound("No row was found when one was required")
        return self._row[0]


class HotStatement:
    """A Core statement run by psycopg directly on PostgreSQL, by SQLAlchemy elsewhere.

    Parameters are passed for every bind the statement has (write `bindparam("id")`, not
    `table.c.id == 1`): column defaults are not applied on the fast path, and a missing
    value is an error, not a silent NULL.
    """

    def __init__(self, statement: Executable):
        self.statement = statement
        #: Per dialect and parameter names: the SQL, and which parameters are JSON.
        self._compiled: dict[tuple[str, tuple[str, ...]], tuple[str, frozenset[str]]] = {}

    def run(self, connection: Connection, params: Params | Sequence[Params] | None = None) -> Rows:
        """Execute with one set of parameters, or many (`executemany`), and return the result."""
        if connection.dialect.driver != "psycopg":
            return connection.execute(self.statement, params)
        many = not isinstance(params, Mapping) and params is not None
        rows = list(params) if many else [params or {}]
        sql, json_names = self._sql(connection, rows[0])
        values = [_adapted(row, json_names) for row in rows]
        driver = connection.connection.driver_connection
        try:
            with driver.cursor(row_factory=namedtuple_row) as cursor:
                if many:
                    cursor.executemany(sql, values)
                else:
                    cursor.execute(sql, values[0])
                return _DriverRows(cursor.rowcount, cursor.fetchone() if cursor.description else None)
        except Exception as error:
            raise _translated(connection, error, sql, values) from error

    def _sql(self, connection: Connection, params: Params) -> tuple[str, frozenset[str]]:
        names = tuple(sorted(params))
        key = (connection.dialect.name, names)
        if key not in self._compiled:
            compiled = self.statement.compile(dialect=connection.dialect, column_keys=list(names))
            missing = sorted(set(compiled.binds) - set(names))
            if missing:
                raise ValueError(f"no value for {missing}: pass every bound parameter")
            json_names = frozenset(name for name, bind in compiled.binds.items() if isinstance(bind.type, JSON))
            self._compiled[key] = (compiled.string, json_names)
        return self._compiled[key]


def _adapted(params: Params, json_names: frozenset[str]) -> Params:
    """Values psycopg can send: JSON columns wrapped (SQLAlchemy's JSON type serializes them)."""
    if not json_names:
        return params
    return {name: Json(value) if name in json_names and value is not None else value
            for name, value in params.items()}


def _translated(connection: Connection, error: Exception, sql: str, values: list[dict]) -> exc.DBAPIError:
    """SQLAlchemy's exception for a driver error; a lost connection is invalidated, as SQLAlchemy does."""
    driver = connection.connection.driver_connection
    lost = isinstance(error, psycopg.Error) and connection.dialect.is_disconnect(error, driver, None)
    if lost:
        connection.invalidate(error)
    return exc.DBAPIError.instance(sql, values[0] if len(values) == 1 else values, error, psycopg.Error,
                                   connection_invalidated=lost)
