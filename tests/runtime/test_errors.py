"""A store's error is reported by its kind and first line only: no statement, parameters or later lines."""

from __future__ import annotations

import sqlalchemy as sa

from bot.core.errors import first_line, reason


def wrapped(message: str) -> sa.exc.OperationalError:
    """An error as SQLAlchemy raises it: the driver's inside, the statement and parameters around it."""
    return sa.exc.OperationalError("INSERT INTO events VALUES (?)", ("my back hurts",), ConnectionError(message))


def test_the_drivers_first_line_is_kept_and_the_rest_dropped():
    error = wrapped('connection to server at "db.internal" failed.\nIs the server running on port 5432?')
    assert first_line(error) == 'connection to server at "db.internal" failed'
    assert reason(error) == 'ConnectionError: connection to server at "db.internal" failed.'
    assert "my back hurts" not in reason(error) + first_line(error)


def test_an_error_without_a_message_is_named_by_its_kind():
    assert first_line(wrapped("")) == "ConnectionError"
    assert reason(TimeoutError()) == "TimeoutError"
