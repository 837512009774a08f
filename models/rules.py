"""What makes a field value acceptable, in one place.

The JSON importer, the store and the screens all call these, so a value the UI
accepts can always be exported and imported again. Each check returns the
normalised value or raises ValidationError naming the field.
"""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from typing import Any

from models.enums import (
    ActionKind,
    ActionStatus,
    EventKind,
    Priority,
    ResponseSection,
    Severity,
    Status,
)
from models.errors import ValidationError
from models.timeparse import FIRST_YEAR, LAST_YEAR, TIME_RANGE, out_of_range, validate_timezone
from models.usertext import normalize_newlines, problem

# Counts (users affected, support tickets) fit a signed 32-bit integer, which
# every backend stores; 2.1 billion users is beyond any single incident.
MAX_COUNT = 2_147_483_647
# An error budget can be overspent many times over, but not without bound.
MAX_PERCENT = 100_000.0


def choice(path: str, value: Any, enum: type[StrEnum]) -> str:
    allowed = [e.value for e in enum]
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(path, f"expected one of {', '.join(allowed)}, got {_short(value)}")
    return value


def text(path: str, value: Any, *, required: bool = False) -> str:
    """A string with LF line ends and no control characters (see models.usertext)."""
    if not isinstance(value, str):
        raise ValidationError(path, f"expected a string, got {type(value).__name__}")
    if (why := problem(value)) is not None:
        raise ValidationError(path, why)
    normal = normalize_newlines(value)
    if required and not normal.strip():
        raise ValidationError(path, "must not be empty")
    return normal.strip() if required else normal


def string_list(path: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValidationError(path, f"expected a list of strings, got {type(value).__name__}")
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ValidationError(f"{path}[{i}]", f"expected a string, got {type(item).__name__}")
        out.append(text(f"{path}[{i}]", item))
    return out


def count(path: str, value: Any) -> int | None:
    """A non-negative integer or None. Booleans are not counts, even in Python."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise ValidationError(
            path, f"expected a whole number from 0 to {MAX_COUNT:,} or null, got {_short(value)}"
        )
    return value


def percentage(path: str, value: Any) -> float | None:
    """A number >= 0; it may exceed 100 because error budgets can be overspent."""
    if value is None:
        return None
    expected = f"expected a number from 0 to {MAX_PERCENT:,g} or null, got {_short(value)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(path, expected)
    try:
        number = float(value)
    except OverflowError:  # an int too big for a float
        raise ValidationError(path, expected) from None
    if not math.isfinite(number) or not 0 <= number <= MAX_PERCENT:
        raise ValidationError(path, expected)
    return number


def _short(value: Any) -> str:
    """A value for a message: never thousands of digits, never more than one line."""
    from models.usertext import shown

    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() <= 64:
            return repr(value)
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return shown(value)
    return shown(repr(value))


def due_date(path: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    day: dt.date | None = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and len(value) == 10:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None:
        raise ValidationError(path, f"expected a date YYYY-MM-DD or null, got {_short(value)}")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            path, f"{day.isoformat()} is outside the accepted years, {TIME_RANGE}"
        )
    return day


def aware(path: str, value: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ValidationError(path, "expected a timezone-aware datetime")
    try:
        utc = value.astimezone(dt.UTC)
    except OverflowError:
        utc = None
    if utc is None or out_of_range(utc):
        raise ValidationError(path, f"is outside the accepted years, {TIME_RANGE}")
    return utc


def timezone(path: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(path, f"expected an IANA timezone name, got {_short(value)}")
    try:
        return validate_timezone(value)
    except ValidationError as exc:
        raise ValidationError(path, exc.problem) from exc


def flag(path: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(path, f"expected true or false, got {_short(value)}")
    return value


# The editable fields of each table and the rule each obeys. The store refuses
# any field not listed here, so ids and foreign keys can't be changed by accident.
Rule = Any
FIELD_RULES: dict[str, dict[str, Rule]] = {
    "postmortem": {
        "title": lambda p, v: text(p, v, required=True),
        "severity": lambda p, v: choice(p, v, Severity),
        "status": lambda p, v: choice(p, v, Status),
        "timezone": timezone,
        "summary": text,
        "authors": string_list,
        "services": string_list,
        "tags": string_list,
        "fishbone_effect": text,
        "impact_description": text,
        "users_affected": count,
        "support_tickets": count,
        "slo_budget_consumed_pct": percentage,
        "revenue_impact": text,
        "data_loss": text,
    },
    "timeline_event": {
        "at": aware,
        "kind": lambda p, v: choice(p, v, EventKind),
        "text": text,
        "actor": text,
    },
    "why_chain": {"problem": text},
    "why": {"text": text},
    "fishbone_category": {"name": lambda p, v: text(p, v, required=True)},
    "fishbone_cause": {"text": lambda p, v: text(p, v, required=True), "root_cause": flag},
    "response_item": {
        "text": text,
        "section": lambda p, v: choice(p, v, ResponseSection),
    },
    "action_item": {
        "title": lambda p, v: text(p, v, required=True),
        "owner": text,
        "due": due_date,
        "priority": lambda p, v: choice(p, v, Priority),
        "kind": lambda p, v: choice(p, v, ActionKind),
        "status": lambda p, v: choice(p, v, ActionStatus),
        "ticket": text,
    },
}


def check_fields(table: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Validate an update to ``table``; returns the normalised values."""
    rules = FIELD_RULES[table]
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in rules:
            raise ValidationError(name, f"is not an editable field of {table}")
        out[name] = rules[name](name, value)
    return out
