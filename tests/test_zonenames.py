"""A postmortem's zone must be a place: legacy names are refused with the one to use."""

from __future__ import annotations

import datetime as dt

import pytest

from models.errors import ValidationError
from models.interchange import from_document
from models.store import Store
from models.timeparse import to_zone, validate_timezone


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        (
            "EST",
            "fixed at UTC-05:00 all year, an hour off New York time in summer; "
            "use America/New_York",
        ),
        ("MST", "use America/Denver, or America/Phoenix"),
        ("HST", "use Pacific/Honolulu"),
        ("EST5EDT", "use America/New_York"),
        ("CST6CDT", "use America/Chicago"),
        ("MST7MDT", "use America/Denver"),
        ("PST8PDT", "use America/Los_Angeles"),
        ("CET", "use a city zone such as Europe/Paris"),
        ("WET", "Europe/Lisbon"),
        ("localtime", "this computer's own zone"),
        ("PDT", "'PDT' is an abbreviation, not a zone; use America/Los_Angeles"),
        ("IST", "several places use; use one of Asia/Kolkata, Europe/Dublin, Asia/Jerusalem"),
        ("europe/london", "unknown timezone 'europe/london'; did you mean Europe/London?"),
    ],
)
def test_legacy_and_abbreviated_zones_are_refused_with_the_name_to_use(
    name: str, advice: str
) -> None:
    with pytest.raises(ValidationError) as info:
        validate_timezone(name)
    assert advice in str(info.value)
    assert str(info.value).startswith("timezone: ") and "\n" not in str(info.value)


@pytest.mark.parametrize(
    "name", ["UTC", "Etc/UTC", "Etc/GMT+5", "America/New_York", "Asia/Kolkata"]
)
def test_places_utc_and_etc_stay_valid(name: str) -> None:
    assert validate_timezone(name) == name


def test_est_in_july_is_what_the_refusal_warns_about() -> None:
    july = dt.datetime(2026, 7, 1, 16, 0, tzinfo=dt.UTC)
    assert to_zone(july, "EST").hour == 11  # what a fixed UTC-05:00 says
    assert to_zone(july, "America/New_York").hour == 12  # what New York's clocks said


def test_the_store_and_an_import_refuse_them_too(store: Store) -> None:
    pm = store.create_postmortem("Outage", timezone="America/New_York")
    assert pm.id is not None
    with pytest.raises(ValidationError, match="use America/Los_Angeles"):
        store.update_postmortem(pm.id, timezone="PST8PDT")
    assert store.load(pm.id).timezone == "America/New_York"
    with pytest.raises(ValidationError, match="timezone: 'EST' is fixed at UTC-05:00"):
        from_document({"format": "postmortem/v1", "title": "x", "timezone": "EST"})


def test_a_postmortem_stored_with_a_legacy_zone_still_displays() -> None:
    # Rows written before this rule keep working: only new values are refused.
    assert to_zone(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "EST5EDT").hour == 19
