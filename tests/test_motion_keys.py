"""Keys that vim, less and k9s users press to move never change data, anywhere.

A reader paging through a postmortem with j/k, g/G, space, d/u (less's half
pages), w/b/e (vim's words), h/l, f and y must leave it exactly as it was: the
one letter among them that deletes (d) needs a second press, the ones that open
something (e, f) open an editor or a dialog that Escape closes.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from models.demo import DEMO
from models.interchange import from_document, to_document
from models.store import Store
from tests.apphelpers import NOW, make_app, settle

MOTION = ["j", "k", "g", "G", "h", "l", "w", "b", "e", "u", "y", "z", "space", "d", "f", "n"]


def snapshot(store: Store, pm_id: int) -> dict[str, object]:
    doc = to_document(store.load(pm_id), now=NOW)
    doc.pop("updated_at")
    return doc


@pytest.mark.parametrize(
    ("section", "focus"),
    [
        ("timeline", "#timeline-view"),
        ("actions", "#actions-table"),
        ("response", "#list-went_well ListView"),
        ("rootcause", "#whys-tree"),
        ("rootcause", "#fishbone-tree"),
    ],
)
async def test_motion_letters_leave_the_postmortem_as_it_was(
    store: Store, section: str, focus: str
) -> None:
    pm_id = store.save_new(from_document(DEMO))
    before = snapshot(store, pm_id)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, section)
        await settle(pilot)
        if focus == "#fishbone-tree":
            await pilot.press("b")
            await settle(pilot)
        app.screen.set_focus(app.screen.query_one(focus))
        await pilot.pause()
        for key in MOTION:
            await pilot.press(key)
            await settle(pilot)
            # Whatever opened (an editor, a dialog) closes with escape, unchanged.
            while len(app.screen_stack) > 2:  # the library, then this section
                await pilot.press("escape")
                await settle(pilot)
            for _ in range(3):  # an editor: escape (twice if it holds text) leaves it
                if not isinstance(app.screen.focused, Input):
                    break
                await pilot.press("escape")
                await settle(pilot)
            app.screen.set_focus(app.screen.query_one(focus))
            await pilot.pause()
        assert snapshot(store, pm_id) == before


async def test_library_motion_letters_create_and_delete_nothing(store: Store) -> None:
    for n in range(3):
        store.create_postmortem(f"Incident {n}")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in ["j", "j", "k", "G", "g", "h", "l", "w", "b", "u", "space", "y", "z"]:
            await pilot.press(key)
            await settle(pilot)
        assert app.screen.query_one("#library-table").cursor_row == 0
        await pilot.press("j", "j")
        assert app.screen.query_one("#library-table").cursor_row == 2
    assert [s.title for s in store.list_postmortems()] == [
        "Incident 2",
        "Incident 1",
        "Incident 0",
    ]
