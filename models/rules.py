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
from models.timeparse import validate_timezone


def choice(path: str, value: Any, enum: type[StrEnum]) -> str:
    allowed = [e.value for e in enum]
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(path, f"expected one of {', '.join(allowed)}, got {value!r}")
    return value


def text(path: str, value: Any, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise ValidationError(path, f"expected a string, got {type(value).__name__}")
    if required and not value.strip():
        raise ValidationError(path, "must not be empty")
    return value.strip() if required else value


def string_list(path: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValidationError(path, f"expected a list of strings, got {type(value).__name__}")
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ValidationError(f"{path}[{i}]", f"expected a string, got {type(item).__name__}")
        out.append(item)
    return out


def count(path: str, value: Any) -> int | None:
    """A non-negative integer or None. Booleans are not counts, even in Python."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(path, f"expected a whole number >= 0 or null, got {value!r}")
    return value


def percentage(path: str, value: Any) -> float | None:
    """A number >= 0; it may exceed 100 because error budgets can be overspent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(path, f"expected a number >= 0 or null, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValidationError(path, f"expected a number >= 0 or null, got {value!r}")
    return float(value)


def due_date(path: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(path, f"expected a date YYYY-MM-DD or null, got {value!r}")


def aware(path: str, value: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ValidationError(path, "expected a timezone-aware datetime")
    return value.astimezone(dt.UTC)


def timezone(path: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(path, f"expected an IANA timezone name, got {value!r}")
    try:
        return validate_timezone(value)
    except ValidationError as exc:
        raise ValidationError(path, exc.problem) from exc


def flag(path: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(path, f"expected true or false, got {value!r}")
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
