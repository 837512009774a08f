"""Errors a user can cause and fix.

Every one carries a single line meant for the person at the keyboard. The CLI
prints it and exits 1; the UI shows it under the field. Anything that is *not* a
PostmortemError is a bug and is reported as such.
"""

from __future__ import annotations


class PostmortemError(Exception):
    """A problem the user can fix; str() is one human-readable line."""


class TimeParseError(PostmortemError, ValueError):
    """A typed time could not be read."""


class ValidationError(PostmortemError, ValueError):
    """A document or field value breaks a rule; the message names the field."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


class DatabaseError(PostmortemError):
    """The database file cannot be used as it is (not SQLite, locked, newer, ...)."""


class UnreadableError(PostmortemError):
    """A stored value can't be converted to its column's type (another program
    wrote it); the postmortem holding it can be listed and deleted, not opened."""


class NotFoundError(PostmortemError, LookupError):
    """A postmortem or row named by the user does not exist."""
