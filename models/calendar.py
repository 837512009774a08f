"""Action items' due dates as an iCalendar file (RFC 5545), for any calendar.

Written with the icalendar library (well kept, RFC 5545 compliant, handles
folding, escaping and line ends) rather than by hand. Each open item with a due
date is an all-day VEVENT on that date (DTSTART;VALUE=DATE, DTEND the next
day): the form Google Calendar, Outlook and Apple Calendar all import, where
VTODO support varies. UIDs are stable per action item, so importing a newer
file updates the events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from models.library import ActionRow
from models.usertext import printable

PRODID = "-//postmortem//action items//EN"


def _text(value: str) -> str:
    return " ".join(printable(value).split())


def to_ics(rows: Iterable[ActionRow], *, now: dt.datetime) -> str:
    """One VCALENDAR with a VEVENT per row that has a due date; CRLF line ends as
    RFC 5545 requires. ``now`` (UTC) stamps DTSTAMP."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Postmortem action items")
    for row in rows:
        if row.due is None:
            continue
        event = Event()
        event.add("uid", f"action-item-{row.id}-pm-{row.pm_id}@postmortem")
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("dtstart", row.due)
        event.add("dtend", row.due + dt.timedelta(days=1))
        owner = f" ({_text(row.owner)})" if row.owner.strip() else ""
        event.add("summary", f"[{row.priority}] {_text(row.title)}{owner}")
        lines = [
            f"Action item from postmortem #{row.pm_id}: {_text(row.pm_title)}",
            f"Owner: {_text(row.owner) or 'nobody yet'}",
            f"Priority: {row.priority} · Kind: {row.kind} · Status: {row.status.replace('_', ' ')}",
        ]
        if row.ticket.strip():
            lines.append(f"Ticket: {_text(row.ticket)}")
        event.add("description", "\n".join(lines))
        event.add("categories", ["postmortem", row.priority])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")
