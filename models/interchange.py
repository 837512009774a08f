"""The "postmortem/v1" JSON interchange format (spec: docs/format.md).

Import is strict on purpose: an unknown key is an error that names it, so a
typo such as "sevrity" can't silently drop data. The whole document is
validated into transient objects before anything touches the database.
Export writes every key, plus read-only keys that import ignores.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

from models import rules
from models.enums import (
    ActionKind,
    ActionStatus,
    EventKind,
    Priority,
    ResponseSection,
    Severity,
    Status,
)
from models.errors import PostmortemError, TimeParseError, ValidationError
from models.metrics import compute
from models.tables import (
    ActionItem,
    FishboneCategory,
    FishboneCause,
    Postmortem,
    ResponseItem,
    TimelineEvent,
    Why,
    WhyChain,
)
from models.timeparse import format_rfc3339, parse_rfc3339
from models.usertext import shown

FORMAT = "postmortem/v1"
READ_ONLY_KEYS = frozenset({"id", "created_at", "updated_at", "metrics"})
TOP_KEYS = (
    "format",
    "title",
    "severity",
    "status",
    "timezone",
    "summary",
    "authors",
    "services",
    "tags",
    "timeline",
    "why_chains",
    "fishbone",
    "impact",
    "response",
    "action_items",
)
IMPACT_KEYS = (
    "description",
    "users_affected",
    "support_tickets",
    "slo_budget_consumed_pct",
    "revenue_impact",
    "data_loss",
)


# ---------------------------------------------------------------------------- export


def _cause_out(cause: FishboneCause) -> dict[str, Any]:
    return {
        "text": cause.text,
        "root_cause": cause.root_cause,
        "causes": [_cause_out(c) for c in cause.children],
    }


def _stored_list(value: Any) -> Any:
    """A list column as stored: another program may have put any JSON there, and an
    export keeps it as it is (import then names it) rather than fail or guess."""
    return list(value) if isinstance(value, list) else value


def to_document(pm: Postmortem, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The whole postmortem as a JSON-ready dict, keys in the spec's order."""
    return {
        "format": FORMAT,
        "id": pm.id,
        "title": pm.title,
        "severity": pm.severity,
        "status": pm.status,
        "timezone": pm.timezone,
        "summary": pm.summary,
        "authors": _stored_list(pm.authors),
        "services": _stored_list(pm.services),
        "tags": _stored_list(pm.tags),
        "timeline": [
            {"at": format_rfc3339(e.at), "kind": e.kind, "text": e.text, "actor": e.actor}
            for e in sorted(pm.events, key=lambda e: e.at)  # stable: ties keep entry order
        ],
        "why_chains": [
            {"problem": c.problem, "whys": [w.text for w in c.whys]} for c in pm.why_chains
        ],
        "fishbone": {
            "effect": pm.fishbone_effect,
            "categories": [
                {"name": cat.name, "causes": [_cause_out(c) for c in cat.causes]}
                for cat in pm.categories
            ],
        },
        "impact": {
            "description": pm.impact_description,
            "users_affected": pm.users_affected,
            "support_tickets": pm.support_tickets,
            "slo_budget_consumed_pct": pm.slo_budget_consumed_pct,
            "revenue_impact": pm.revenue_impact,
            "data_loss": pm.data_loss,
        },
        "response": {
            section.value: [i.text for i in pm.response_items if i.section == section]
            for section in ResponseSection
        },
        "action_items": [
            {
                "title": a.title,
                "owner": a.owner,
                "due": a.due.isoformat() if a.due else None,
                "priority": a.priority,
                "kind": a.kind,
                "status": a.status,
                "ticket": a.ticket,
            }
            for a in pm.action_items
        ],
        "created_at": format_rfc3339(pm.created_at),
        "updated_at": format_rfc3339(pm.updated_at),
        "metrics": compute(pm.events, now=now).as_seconds(),
    }


# json.dumps escapes C0 controls only. DEL and C1 controls (which some terminals
# act on when an export is `cat`ed) and lone surrogates (which no UTF-8 file can
# hold) can only occur inside strings, where a \\u escape means the same.
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\ud800-\udfff]")


def dumps(document: Any) -> str:
    """The document as UTF-8-ready JSON text: readable (no ASCII escaping of
    ordinary text), yet free of control characters whatever is stored."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# ---------------------------------------------------------------------------- import


# Python refuses to convert more than this many digits to an int (a guard against
# quadratic-time parsing, CVE-2020-10735), and json.loads would fail with ValueError.
_MAX_DIGITS = 4_300


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once."""

    duplicates: tuple[str, ...] = ()


class _Refused(Exception):
    """Raised from inside json.loads by a hook; becomes a PostmortemError."""


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice: list[str] = []
        for key, _ in pairs:
            if key in seen:
                twice.append(key)
            seen.add(key)
        obj.duplicates = tuple(twice)
    return obj


def _integer(digits: str) -> int:
    """A JSON integer. One too long for Python to convert stands in as a number of
    the same length (10 to the power of its length less one): every integer in the format
    has a bound far below that, so the field's rule refuses it and says how long
    it was, naming the field, rather than the whole file failing unexplained."""
    if len(digits) <= _MAX_DIGITS:
        return int(digits)
    size: int = 10 ** (len(digits.lstrip("-")) - 1)
    return -size if digits.startswith("-") else size


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


def loads(text: str, source: str = "input") -> Any:
    """Parse a JSON document strictly (RFC 8259): no NaN or Infinity, and objects
    with a key given twice are marked so :func:`from_document` refuses them.

    Raises PostmortemError (one line, starting with ``source``) for text that is
    not JSON or is nested too deeply for the parser."""
    try:
        return json.loads(
            text, object_pairs_hook=_pairs, parse_int=_integer, parse_constant=_constant
        )
    except json.JSONDecodeError as exc:
        raise PostmortemError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    except _Refused as exc:
        raise PostmortemError(f"{source}: not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise PostmortemError(f"{source}: JSON nested too deeply") from exc


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,40}")


def _member(path: str, key: str) -> str:
    """The path of ``key`` inside ``path``; a key that isn't a plain name is quoted
    and escaped, so a message stays one line whatever the document holds."""
    name = key if _NAME.fullmatch(key) else shown(key, 40)
    return f"{path}.{name}" if path else name


def _object(
    path: str, value: Any, allowed: tuple[str, ...], extra: frozenset[str] = frozenset()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(path, f"expected an object, got {_kind(value)}")
    for key in getattr(value, "duplicates", ()):
        # JSON parsers disagree on which copy wins (RFC 8259 section 4): never guess.
        raise ValidationError(_member(path, key), "given more than once")
    for key in value:
        if key not in allowed and key not in extra:
            raise ValidationError(_member(path, key), "unknown key")
    return value


def _list(path: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError(path, f"expected a list, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    return {
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _value(value: Any) -> str:
    """A value for a message: a string quoted and shortened, anything else its kind."""
    return shown(value) if isinstance(value, str) else _kind(value)


def _get(
    obj: dict[str, Any], key: str, path: str, check: Callable[[str, Any], Any], default: Any
) -> Any:
    where = f"{path}.{key}" if path else key
    return check(where, obj[key]) if key in obj else default


def _cause_in(path: str, value: Any, depth: int = 0) -> FishboneCause:
    if depth > 50:
        raise ValidationError(path, "causes nested more than 50 deep")
    obj = _object(path, value, ("text", "root_cause", "causes"))
    if "text" not in obj:
        raise ValidationError(f"{path}.text", "required")
    cause = FishboneCause(
        text=rules.text(f"{path}.text", obj["text"], required=True),
        root_cause=_get(obj, "root_cause", path, rules.flag, False),
    )
    for i, child in enumerate(_list(f"{path}.causes", obj.get("causes", []))):
        sub = _cause_in(f"{path}.causes[{i}]", child, depth + 1)
        sub.position = i
        cause.children.append(sub)
    return cause


def from_document(data: Any) -> Postmortem:
    """Validate a whole document and build a transient Postmortem tree from it."""
    doc = _object("", data, TOP_KEYS, READ_ONLY_KEYS)
    if doc.get("format") != FORMAT:
        raise ValidationError("format", f"expected {FORMAT!r}, got {_value(doc.get('format'))}")
    if "title" not in doc:
        raise ValidationError("title", "required")
    pm = Postmortem(
        title=rules.text("title", doc["title"], required=True),
        severity=_get(doc, "severity", "", lambda p, v: rules.choice(p, v, Severity), "SEV3"),
        status=_get(doc, "status", "", lambda p, v: rules.choice(p, v, Status), "draft"),
        timezone=_get(doc, "timezone", "", rules.timezone, "UTC"),
        summary=_get(doc, "summary", "", rules.text, ""),
        authors=_get(doc, "authors", "", rules.string_list, []),
        services=_get(doc, "services", "", rules.string_list, []),
        tags=_get(doc, "tags", "", rules.string_list, []),
    )

    for i, raw in enumerate(_list("timeline", doc.get("timeline", []))):
        path = f"timeline[{i}]"
        ev = _object(path, raw, ("at", "kind", "text", "actor"))
        if "at" not in ev:
            raise ValidationError(f"{path}.at", "required")
        if not isinstance(ev["at"], str):
            raise ValidationError(
                f"{path}.at", f"expected an RFC 3339 string, got {_kind(ev['at'])}"
            )
        try:
            at = parse_rfc3339(ev["at"])
        except TimeParseError as exc:
            raise ValidationError(f"{path}.at", str(exc)) from exc
        pm.events.append(
            TimelineEvent(
                at=at,
                kind=_get(ev, "kind", path, lambda p, v: rules.choice(p, v, EventKind), "note"),
                text=_get(ev, "text", path, rules.text, ""),
                actor=_get(
                    ev, "actor", path, lambda p, v: "" if v is None else rules.text(p, v), ""
                ),
            )
        )

    for i, raw in enumerate(_list("why_chains", doc.get("why_chains", []))):
        path = f"why_chains[{i}]"
        obj = _object(path, raw, ("problem", "whys"))
        chain = WhyChain(position=i, problem=_get(obj, "problem", path, rules.text, ""))
        whys = _get(obj, "whys", path, rules.string_list, [])
        chain.whys = [Why(position=j, text=t) for j, t in enumerate(whys)]
        pm.why_chains.append(chain)

    fishbone = _object("fishbone", doc.get("fishbone", {}), ("effect", "categories"))
    pm.fishbone_effect = _get(fishbone, "effect", "fishbone", rules.text, "")
    for i, raw in enumerate(_list("fishbone.categories", fishbone.get("categories", []))):
        path = f"fishbone.categories[{i}]"
        obj = _object(path, raw, ("name", "causes"))
        if "name" not in obj:
            raise ValidationError(f"{path}.name", "required")
        category = FishboneCategory(
            position=i, name=rules.text(f"{path}.name", obj["name"], required=True)
        )
        for j, c in enumerate(_list(f"{path}.causes", obj.get("causes", []))):
            cause = _cause_in(f"{path}.causes[{j}]", c)
            cause.position = j
            category.causes.append(cause)
        pm.categories.append(category)

    impact = _object("impact", doc.get("impact", {}), IMPACT_KEYS)
    pm.impact_description = _get(impact, "description", "impact", rules.text, "")
    pm.users_affected = _get(impact, "users_affected", "impact", rules.count, None)
    pm.support_tickets = _get(impact, "support_tickets", "impact", rules.count, None)
    pm.slo_budget_consumed_pct = _get(
        impact, "slo_budget_consumed_pct", "impact", rules.percentage, None
    )
    pm.revenue_impact = _get(impact, "revenue_impact", "impact", rules.text, "")
    pm.data_loss = _get(impact, "data_loss", "impact", rules.text, "")

    sections = tuple(s.value for s in ResponseSection)
    response = _object("response", doc.get("response", {}), sections)
    for section in ResponseSection:
        items = _get(response, section.value, "response", rules.string_list, [])
        pm.response_items.extend(
            ResponseItem(section=section.value, position=j, text=t) for j, t in enumerate(items)
        )

    keys = ("title", "owner", "due", "priority", "kind", "status", "ticket")
    for i, raw in enumerate(_list("action_items", doc.get("action_items", []))):
        path = f"action_items[{i}]"
        obj = _object(path, raw, keys)
        if "title" not in obj:
            raise ValidationError(f"{path}.title", "required")
        pm.action_items.append(
            ActionItem(
                position=i,
                title=rules.text(f"{path}.title", obj["title"], required=True),
                owner=_get(obj, "owner", path, rules.text, ""),
                due=_get(obj, "due", path, rules.due_date, None),
                priority=_get(
                    obj, "priority", path, lambda p, v: rules.choice(p, v, Priority), "P2"
                ),
                kind=_get(
                    obj, "kind", path, lambda p, v: rules.choice(p, v, ActionKind), "prevent"
                ),
                status=_get(
                    obj, "status", path, lambda p, v: rules.choice(p, v, ActionStatus), "open"
                ),
                ticket=_get(obj, "ticket", path, rules.text, ""),
            )
        )
    return pm
