"""Engines: connections kept in the pool stay usable when the database server drops them."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_pooled_connection_the_server_closed_is_replaced_before_use(engine, postgres):
    with engine.connect() as connection:
        first = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    # The server ends the pooled connection, as a restart or an idle timeout does (waits up to 5 s for it).
    postgres.execute(f"SELECT pg_terminate_backend({first}, 5000)")

    with engine.connect() as connection:  # the next message's unit of work: it must not fail
        second = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    assert second != first, "a new connection replaced the closed one"
