"""What a driver's error may say in a log or a message: its kind and its first line, nothing more.

SQLAlchemy wraps the driver's exception in `.orig` and appends the statement
and its parameters, which can hold a person's words; hosts, ports and user
names come on later lines of some drivers' messages. Every place that reports
a store's failure goes through here so none of them says more.
"""

from __future__ import annotations


def inner_error(exc: BaseException) -> BaseException:
    """The driver's own exception when SQLAlchemy wrapped it, else `exc`."""
    return getattr(exc, "orig", None) or exc


def first_line(exc: BaseException) -> str:
    """The first line of the driver's message without a closing full stop; its type name when it has none."""
    inner = inner_error(exc)
    lines = str(inner).strip().splitlines()
    return lines[0].rstrip(".") if lines else type(inner).__name__


def reason(exc: BaseException) -> str:
    """`Type: first line` of the driver's error (just `Type` when the message is empty)."""
    inner = inner_error(exc)
    lines = str(inner).strip().splitlines()
    return f"{type(inner).__name__}: {lines[0]}" if lines else type(inner).__name__
