"""Zone abbreviations written in logs, and zone names that mean less than they seem.

Two tables, both about the gap between what a name says and what people mean:

* :data:`ABBREVIATIONS` are the abbreviations a log line or a typed time may
  carry (``09:47 PDT``). Each means one fixed UTC offset, as RFC 2822 and
  ``date(1)`` use them; the region it belongs to lets a reader notice ``PST``
  written in July, when that region was on ``PDT``. :data:`AMBIGUOUS` holds the
  abbreviations several regions use (``IST`` is India, Ireland and Israel):
  those are refused, never guessed. Sources: the tz database's ``northamerica``,
  ``europe``, ``asia`` and ``australasia`` files, and RFC 2822 section 4.3.
* :data:`LEGACY_ZONES` are tz database names kept for POSIX compatibility.
  ``EST`` is a fixed UTC-05:00 all year, an hour off New York time all summer;
  ``EST5EDT`` applies today's US rules to every past year. They are refused as a
  postmortem's zone, with the IANA city zone people mean.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Abbreviation:
    offset: dt.timedelta
    region: str | None  # the IANA zone whose clocks the abbreviation names, if any
    meaning: str


def _abbr(minutes: int, region: str | None, meaning: str) -> Abbreviation:
    return Abbreviation(dt.timedelta(minutes=minutes), region, meaning)


ABBREVIATIONS: dict[str, Abbreviation] = {
    "UTC": _abbr(0, None, "Coordinated Universal Time"),
    "UT": _abbr(0, None, "Universal Time"),
    "GMT": _abbr(0, None, "Greenwich Mean Time"),
    "Z": _abbr(0, None, "UTC (Zulu)"),
    # North America
    "EST": _abbr(-300, "America/New_York", "US Eastern Standard Time"),
    "EDT": _abbr(-240, "America/New_York", "US Eastern Daylight Time"),
    "CDT": _abbr(-300, "America/Chicago", "US Central Daylight Time"),
    "MST": _abbr(-420, "America/Denver", "US Mountain Standard Time"),
    "MDT": _abbr(-360, "America/Denver", "US Mountain Daylight Time"),
    "PST": _abbr(-480, "America/Los_Angeles", "US Pacific Standard Time"),
    "PDT": _abbr(-420, "America/Los_Angeles", "US Pacific Daylight Time"),
    "AKST": _abbr(-540, "America/Anchorage", "Alaska Standard Time"),
    "AKDT": _abbr(-480, "America/Anchorage", "Alaska Daylight Time"),
    "HST": _abbr(-600, "Pacific/Honolulu", "Hawaii Standard Time"),
    "ADT": _abbr(-180, "America/Halifax", "Atlantic Daylight Time"),
    "NST": _abbr(-210, "America/St_Johns", "Newfoundland Standard Time"),
    "NDT": _abbr(-150, "America/St_Johns", "Newfoundland Daylight Time"),
    # South America
    "BRT": _abbr(-180, "America/Sao_Paulo", "Brasília Time"),
    "ART": _abbr(-180, "America/Argentina/Buenos_Aires", "Argentina Time"),
    # Europe and Africa
    "WET": _abbr(0, "Europe/Lisbon", "Western European Time"),
    "WEST": _abbr(60, "Europe/Lisbon", "Western European Summer Time"),
    "CET": _abbr(60, "Europe/Paris", "Central European Time"),
    "CEST": _abbr(120, "Europe/Paris", "Central European Summer Time"),
    "EET": _abbr(120, "Europe/Athens", "Eastern European Time"),
    "EEST": _abbr(180, "Europe/Athens", "Eastern European Summer Time"),
    "MSK": _abbr(180, "Europe/Moscow", "Moscow Time"),
    "WAT": _abbr(60, "Africa/Lagos", "West Africa Time"),
    "CAT": _abbr(120, "Africa/Maputo", "Central Africa Time"),
    "SAST": _abbr(120, "Africa/Johannesburg", "South Africa Standard Time"),
    "EAT": _abbr(180, "Africa/Nairobi", "East Africa Time"),
    # Asia and the Pacific
    "PKT": _abbr(300, "Asia/Karachi", "Pakistan Standard Time"),
    "NPT": _abbr(345, "Asia/Kathmandu", "Nepal Time"),
    "ICT": _abbr(420, "Asia/Bangkok", "Indochina Time"),
    "WIB": _abbr(420, "Asia/Jakarta", "Western Indonesia Time"),
    "HKT": _abbr(480, "Asia/Hong_Kong", "Hong Kong Time"),
    "SGT": _abbr(480, "Asia/Singapore", "Singapore Time"),
    "PHT": _abbr(480, "Asia/Manila", "Philippine Time"),
    "AWST": _abbr(480, "Australia/Perth", "Australian Western Standard Time"),
    "JST": _abbr(540, "Asia/Tokyo", "Japan Standard Time"),
    "KST": _abbr(540, "Asia/Seoul", "Korea Standard Time"),
    "ACST": _abbr(570, "Australia/Adelaide", "Australian Central Standard Time"),
    "ACDT": _abbr(630, "Australia/Adelaide", "Australian Central Daylight Time"),
    "AEST": _abbr(600, "Australia/Sydney", "Australian Eastern Standard Time"),
    "AEDT": _abbr(660, "Australia/Sydney", "Australian Eastern Daylight Time"),
    "NZST": _abbr(720, "Pacific/Auckland", "New Zealand Standard Time"),
    "NZDT": _abbr(780, "Pacific/Auckland", "New Zealand Daylight Time"),
}

# Abbreviations with several current meanings: (offset written, IANA zone, region).
AMBIGUOUS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "IST": (
        ("+05:30", "Asia/Kolkata", "India"),
        ("+01:00", "Europe/Dublin", "Ireland"),
        ("+02:00", "Asia/Jerusalem", "Israel"),
    ),
    "CST": (
        ("-06:00", "America/Chicago", "US Central"),
        ("+08:00", "Asia/Shanghai", "China"),
        ("-05:00", "America/Havana", "Cuba"),
    ),
    "BST": (
        ("+01:00", "Europe/London", "British Summer Time"),
        ("+06:00", "Asia/Dhaka", "Bangladesh"),
    ),
    "AST": (
        ("-04:00", "America/Halifax", "Atlantic"),
        ("+03:00", "Asia/Riyadh", "Arabia"),
    ),
    "SST": (
        ("-11:00", "Pacific/Pago_Pago", "Samoa"),
        ("+08:00", "Asia/Singapore", "Singapore"),
    ),
    "GST": (
        ("+04:00", "Asia/Dubai", "Gulf"),
        ("-02:00", "Atlantic/South_Georgia", "South Georgia"),
    ),
    "ECT": (
        ("-05:00", "America/Guayaquil", "Ecuador"),
        ("+01:00", "Europe/Paris", "European Central"),
    ),
}


def ambiguity(abbreviation: str) -> str:
    """Why ``abbreviation`` can't be read, naming the offset each region means,
    for a one-line refusal: ``'IST' could be India (+05:30), Ireland (+01:00) or ...``."""
    choices = [f"{region} ({offset})" for offset, _, region in AMBIGUOUS[abbreviation]]
    listed = ", ".join(choices[:-1]) + " or " + choices[-1]
    example = AMBIGUOUS[abbreviation][0][0]
    return f"{abbreviation!r} could be {listed}; write the offset instead, e.g. 14:32{example}"


# tz database names that are not what they look like (the `northamerica` and
# `europe` files call them "backward-compatible POSIX" zones), with the city
# zone to use instead.
LEGACY_ZONES: dict[str, str] = {
    "EST": "is fixed at UTC-05:00 all year, an hour off New York time in summer; "
    "use America/New_York (or Etc/GMT+5 for a fixed offset)",
    "MST": "is fixed at UTC-07:00 all year; use America/Denver, "
    "or America/Phoenix for Arizona's year-round MST",
    "HST": "is a fixed offset, not a place; use Pacific/Honolulu",
    "EST5EDT": "applies today's US rules to every past year; use America/New_York",
    "CST6CDT": "applies today's US rules to every past year; use America/Chicago",
    "MST7MDT": "applies today's US rules to every past year; use America/Denver",
    "PST8PDT": "applies today's US rules to every past year; use America/Los_Angeles",
    "CET": "is a legacy rule, not a place; use a city zone such as Europe/Paris or Europe/Berlin",
    "MET": "is a legacy rule, not a place; use a city zone such as Europe/Paris or Europe/Berlin",
    "EET": "is a legacy rule, not a place; "
    "use a city zone such as Europe/Athens or Europe/Helsinki",
    "WET": "is a legacy rule, not a place; use a city zone such as Europe/Lisbon",
    "localtime": "is this computer's own zone, which other readers don't share; "
    "use its IANA name, e.g. Europe/London",
    "Factory": "means 'local time unknown'; use the zone the team worked in, e.g. Europe/London",
}


def zone_advice(name: str) -> str | None:
    """Why ``name`` is not accepted as a postmortem's zone, with the name to use,
    or None when there is nothing more specific to say than "unknown"."""
    if name in LEGACY_ZONES:
        return f"{name!r} {LEGACY_ZONES[name]}"
    upper = name.upper()
    if upper in AMBIGUOUS:
        zones = ", ".join(zone for _, zone, _ in AMBIGUOUS[upper])
        return f"{name!r} is an abbreviation several places use; use one of {zones}"
    found = ABBREVIATIONS.get(upper)
    if found is not None and found.region is not None:
        return f"{name!r} is an abbreviation, not a zone; use {found.region}"
    return None
