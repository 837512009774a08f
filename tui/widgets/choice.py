"""Showing a stored value in a Select, even one that is not among its options.

Another program (or an older version) can store ``SEV9`` as a severity. A
Select refuses a value it has no option for, and the screen would fail to
open. The stored value is shown instead as an extra option marked invalid, so
the user sees what is there and picks a valid one; picking the invalid one
again writes nothing (the screens only save a value that differs from the
stored one, and the store's rules refuse it anyway).
"""

from __future__ import annotations

from textual.widgets import Select

from models.usertext import printable

Options = list[tuple[str, str]]
INVALID = "-invalid-choice"


def options_for(value: object, options: Options) -> Options:
    """``options``, plus the stored ``value`` marked invalid when it isn't one of them.
    Compose a Select with these and ``value=stored(value)``: a Select given a
    default would announce it as a change before the stored value is shown."""
    text = stored(value)
    if text in {v for _, v in options}:
        return options
    return [*options, (f"⚠ {printable(text)} (invalid)", text)]


def stored(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def show_choice(select: Select[str], value: object, options: Options) -> None:
    """Set ``select`` to the stored ``value`` without announcing a change."""
    text = stored(value)
    wanted = options_for(text, options)
    invalid = wanted is not options
    with select.prevent(Select.Changed):
        if invalid or select.has_class(INVALID):  # add, or drop an earlier invalid option
            select.set_options(wanted)
        select.set_class(invalid, INVALID)
        if select.value != text:
            select.value = text
