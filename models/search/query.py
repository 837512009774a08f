"""The search language, shared by `postmortem search`, the library's `/` and the
link picker.

    pgbouncer "connection pool" restart*  -staging  service:checkout-api sev:1,2
    tag:database status:final after:2026-01 before:2026-07-01  pool OR queue

* Words must all appear (in any field of one row); case and accents don't
  matter, and words are stemmed (``restarting`` finds ``restart``).
* ``"a phrase"`` must appear as written; ``word*`` matches words starting so
  (``pgbounc*``); ``-word`` or ``-"a phrase"`` excludes rows holding it;
  ``OR`` between two terms accepts either (it binds looser than the implicit AND,
  as in SQLite FTS5).
* Filters narrow by postmortem: ``service:`` and ``tag:`` (one of its services or
  tags, case-insensitive; a trailing ``*`` matches a prefix), ``sev:`` (``1``,
  ``SEV1``, lists ``1,2``), ``status:`` (draft, in_review, final), ``after:`` and
  ``before:`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; the incident's start date in
  its own timezone, or the day it was written when no start is recorded; after: is
  on or after, before: strictly before). Repeating a filter key requires both
  (``tag:a tag:b``), except sev: and status:, whose values are alternatives.

Nothing the user types reaches the database engine as syntax: :func:`parse`
returns terms, and each backend quotes them for its own engine.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from models.enums import Severity, Status
from models.errors import PostmortemError
from models.timeparse import FIRST_YEAR, LAST_YEAR, TIME_RANGE
from models.usertext import clean, shown

FILTER_KEYS = {
    "service": "service",
    "services": "service",
    "tag": "tag",
    "tags": "tag",
    "sev": "sev",
    "severity": "sev",
    "status": "status",
    "after": "after",
    "since": "after",
    "before": "before",
    "until": "before",
}
STATUS_ALIASES = {
    "draft": Status.DRAFT,
    "review": Status.IN_REVIEW,
    "in_review": Status.IN_REVIEW,
    "in-review": Status.IN_REVIEW,
    "inreview": Status.IN_REVIEW,
    "final": Status.FINAL,
}
_WORDISH = re.compile(r"\w", re.UNICODE)
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class QueryError(PostmortemError):
    """A search that can't be run as typed; one line saying how to write it."""


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word or phrase (its words), maybe a prefix, maybe
    excluded; ``either`` joins it to the term before with OR."""

    text: str
    phrase: bool = False
    prefix: bool = False
    exclude: bool = False
    either: bool = False


@dataclass(frozen=True)
class Filters:
    services: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    severities: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    after: dt.date | None = None
    before: dt.date | None = None

    def accepts(
        self,
        services: list[str],
        tags: list[str],
        severity: str,
        status: str,
        day: Callable[[], dt.date],
    ) -> bool:
        """Does a postmortem with these facts pass every filter? ``day()`` gives its
        incident's start date in its own zone (or the day it was written); it is
        called only for a date filter."""

        def has(items: list[str], wanted: str) -> bool:
            lowered = [i.strip().lower() for i in items]
            if wanted.endswith("*"):
                stem = wanted.rstrip("*")
                return any(i.startswith(stem) for i in lowered)
            return wanted in lowered

        return (
            all(has(services, s) for s in self.services)
            and all(has(tags, t) for t in self.tags)
            and (not self.severities or severity in self.severities)
            and (not self.statuses or status in self.statuses)
            and (self.after is None or day() >= self.after)
            and (self.before is None or day() < self.before)
        )

    def __bool__(self) -> bool:
        return bool(
            self.services
            or self.tags
            or self.severities
            or self.statuses
            or self.after
            or self.before
        )


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()
    filters: Filters = field(default_factory=Filters)

    @property
    def wanted(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.exclude)

    @property
    def has_text(self) -> bool:
        return bool(self.wanted)

    def __bool__(self) -> bool:
        return bool(self.terms) or bool(self.filters)


def _split(text: str, *, lenient: bool) -> list[str]:
    """Whitespace-separated tokens; a double-quoted stretch stays one token with its
    quotes. An unclosed quote is an error, or runs to the end when ``lenient``
    (search as you type: the closing quote hasn't been typed yet)."""
    tokens: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            current.append(ch)
        elif ch.isspace() and not quoted:
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(ch)
    if quoted:
        if not lenient:
            raise QueryError(f'a quote is not closed in {shown(text)}; phrases look like "a b"')
        current.append('"')
    if current:
        tokens.append("".join(current))
    return tokens


def _unquote(value: str) -> str:
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    return value


def parse_date(value: str, key: str) -> dt.date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the first day of that period.
    Raises QueryError naming the filter."""
    m = _DATE.fullmatch(value.strip())
    day: dt.date | None = None
    if m:
        year, month, dom = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            day = dt.date(year, month, dom)
        except ValueError:
            day = None
    if day is None:
        raise QueryError(
            f"{key}: needs a date like 2026-11-28, 2026-11 or 2026, not {shown(value)}"
        )
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise QueryError(f"{key}: {day.isoformat()} is outside the accepted years, {TIME_RANGE}")
    return day


def _severities(value: str) -> frozenset[str]:
    out = set()
    for part in value.split(","):
        part = part.strip().upper()
        if not part:
            continue
        name = part if part.startswith("SEV") else f"SEV{part}"
        if name not in Severity.__members__:
            raise QueryError(
                f"sev: is one of 1-5 or SEV1-SEV5 (lists like sev:1,2), not {shown(part)}"
            )
        out.add(name)
    return frozenset(out)


def _statuses(value: str) -> frozenset[str]:
    out = set()
    for part in value.split(","):
        part = part.strip().lower()
        if not part:
            continue
        if part not in STATUS_ALIASES:
            raise QueryError(f"status: is draft, in_review or final, not {shown(part)}")
        out.add(STATUS_ALIASES[part].value)
    return frozenset(out)


def parse(text: str, *, lenient: bool = False) -> Query:
    """Read a search as typed. Raises QueryError (one line) for a filter whose value
    can't be read, an unclosed quote, or a search that only excludes.

    ``lenient`` is for search as you type: an unclosed quote runs to the end, a
    filter with no value yet (``service:``) and a dangling ``OR`` or ``-`` are
    ignored, and nothing else is forgiven."""
    text = clean(text)  # control characters mean nothing to any index
    terms: list[Term] = []
    services: list[str] = []
    tags: list[str] = []
    severities: set[str] = set()
    statuses: set[str] = set()
    after: dt.date | None = None
    before: dt.date | None = None
    either = False
    for token in _split(text, lenient=lenient):
        key, colon, value = token.partition(":")
        if colon and key.lower() in FILTER_KEYS and not key.startswith('"'):
            name = FILTER_KEYS[key.lower()]
            value = _unquote(value).strip()
            if not value:
                if lenient:
                    continue
                raise QueryError(f"{key}: needs a value, e.g. {key}:{_EXAMPLES[name]}")
            if name == "service":
                services.append(value.lower())
            elif name == "tag":
                tags.append(value.lower())
            elif name == "sev":
                severities |= _severities(value)
            elif name == "status":
                statuses |= _statuses(value)
            elif name == "after":
                day = parse_date(value, key)
                after = day if after is None else max(after, day)
            else:
                day = parse_date(value, key)
                before = day if before is None else min(before, day)
            continue
        if token == "OR":
            if terms and not terms[-1].exclude:
                either = True
            elif not lenient:
                raise QueryError(
                    "OR goes between two things to look for, as in: pgbouncer OR pgpool"
                )
            continue
        exclude = token.startswith("-") and len(token) > 1
        body = token[1:] if exclude else token
        phrase = body.startswith('"')
        prefix = body.endswith("*")
        if prefix:
            body = body.rstrip("*")
        body = _unquote(body) if phrase else body
        if not _WORDISH.search(body):
            continue  # punctuation alone: nothing any index could match
        terms.append(Term(body, phrase=phrase, prefix=prefix, exclude=exclude, either=either))
        either = False
    if either and not lenient:
        raise QueryError("OR goes between two things to look for, as in: pgbouncer OR pgpool")
    if terms and not any(not t.exclude for t in terms):
        if not lenient:
            raise QueryError("add a word to look for: -word only leaves rows out of a search")
        terms = []
    if after and before and after >= before:
        raise QueryError(
            f"after:{after.isoformat()} and before:{before.isoformat()} leave no days to search"
        )
    return Query(
        tuple(terms),
        Filters(
            tuple(services),
            tuple(tags),
            frozenset(severities),
            frozenset(statuses),
            after,
            before,
        ),
    )


_EXAMPLES = {
    "service": "checkout-api",
    "tag": "database",
    "sev": "1,2",
    "status": "final",
    "after": "2026-01-01",
    "before": "2026-07-01",
}
