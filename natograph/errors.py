"""One exception base class, with a subclass per kind of failure the CLI maps to an exit code."""

from __future__ import annotations


class NatographError(Exception):
    """Base class of every error natograph raises on purpose. Its message is one line for people."""


class InputError(NatographError):
    """A file or value given by the user cannot be used (exit code 2)."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        where = ""
        if path is not None:
            where = path
            if line is not None:
                where += f":{line}"
                if column is not None:
                    where += f":{column}"
            where += ": "
        super().__init__(where + message)
        self.reason = message


class QueryError(NatographError):
    """A query cannot be run: unknown name, bad parameter, syntax error, or a forbidden operation."""


class ParameterError(QueryError):
    """A parameter value does not fit its declared type."""


class UnsafeQueryError(QueryError):
    """The query would update the graph or reach the network (UPDATE, SERVICE, FROM, LOAD)."""


class RemoteError(NatographError):
    """Another store cannot be used: unreachable, refusing, too slow, or answering garbage (exit code 2)."""
