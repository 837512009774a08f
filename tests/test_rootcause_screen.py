"""Root cause analysis from the keyboard: 5 Whys chains and the fishbone builder."""

from __future__ import annotations

from typing import Any

from models.demo import DEMO
from models.interchange import from_document
from models.store import Store
from tests.apphelpers import make_app, settle, type_text
from tui.screens.dialogs import ChoiceDialog
from tui.screens.rootcause import RootCauseScreen
from tui.widgets.fishbone_pane import FishbonePane
from tui.widgets.whys_pane import WhysPane


def ladder(app: Any) -> str:
    return str(app.screen.query_one("#ladder").content)


def diagram(app: Any) -> str:
    return str(app.screen.query_one("#diagram").content)


async def type_enter(pilot: Any, text: str) -> None:
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def open_rootcause(store: Store, doc: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    pm_id = store.save_new(from_document(doc or {"format": "postmortem/v1", "title": "RCA"}))
    return pm_id, make_app(store)


async def test_five_whys_chain_from_scratch(store: Store) -> None:
    pm_id, app = await open_rootcause(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "rootcause")
        await settle(pilot)
        assert isinstance(app.screen, RootCauseScreen)
        assert "No 5 Whys chain yet" in ladder(app)
        await pilot.press("n")
        await type_enter(pilot, "Checkout returned 502s")
        # the first why opens by itself, and so does each next one
        await type_enter(pilot, "Requests waited for a database connection")
        await type_enter(pilot, "The pool was cut from 80 to 20")
        assert "Only 2 answers:" in ladder(app)
        await type_enter(pilot, "One pool size for every service")
        await pilot.press("escape")
        await settle(pilot)
        text = ladder(app)
        assert "Only" not in text
        assert "3. One pool size for every service   ◀ root cause" in text
        await pilot.press("n")
        await type_enter(pilot, "Slow diagnosis")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+q")
    chains = store.load(pm_id).why_chains
    assert [c.problem for c in chains] == ["Checkout returned 502s", "Slow diagnosis"]
    assert [w.text for w in chains[0].whys] == [
        "Requests waited for a database connection",
        "The pool was cut from 80 to 20",
        "One pool size for every service",
    ]
    assert chains[1].whys == []


async def test_whys_insert_edit_reorder_delete_undo(store: Store) -> None:
    pm_id, app = await open_rootcause(store, DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "rootcause")
        await settle(pilot)
        await pilot.press("down")  # Why 1 of chain 1
        await pilot.press("enter")  # add a why under it
        await type_enter(pilot, "Inserted after why 1")
        await pilot.press("escape")
        await settle(pilot)
        whys = [w.text for w in store.load(pm_id).why_chains[0].whys]
        assert whys[1] == "Inserted after why 1" and len(whys) == 6

        await pilot.press("e")  # edit in place
        await settle(pilot)
        await pilot.press("end")
        await type_enter(pilot, "!")
        assert store.load(pm_id).why_chains[0].whys[1].text == "Inserted after why 1!"

        await pilot.press("shift+up")
        await settle(pilot)
        assert store.load(pm_id).why_chains[0].whys[0].text == "Inserted after why 1!"
        await pilot.press("shift+down")
        await settle(pilot)

        await pilot.press("d")
        await settle(pilot)
        assert len(store.load(pm_id).why_chains[0].whys) == 6  # one d only asks
        await pilot.press("d")
        await settle(pilot)
        assert len(store.load(pm_id).why_chains[0].whys) == 5
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert len(store.load(pm_id).why_chains[0].whys) == 6

        await pilot.press("home", "e")  # the chain's problem
        await settle(pilot)
        await pilot.press("end")
        await type_enter(pilot, " (checkout)")
        assert store.load(pm_id).why_chains[0].problem.endswith("(checkout)")

        await pilot.press("d")  # a chain is deleted with dd too: one d only asks
        await settle(pilot)
        assert len(store.load(pm_id).why_chains) == 2
        await pilot.press("j", "k")  # any other key lets it go
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert len(store.load(pm_id).why_chains) == 2
        await pilot.press("d")
        await settle(pilot)
        assert len(store.load(pm_id).why_chains) == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
    chains = store.load(pm_id).why_chains
    assert len(chains) == 2 and len(chains[0].whys) == 6


async def test_empty_why_is_refused_and_kept_open(store: Store) -> None:
    pm_id, app = await open_rootcause(store, DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "rootcause")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space", "enter")
        await settle(pilot)
        assert "Type the answer" in str(app.screen.query_one("#whys-editor .field-error").content)
        assert app.screen.query_one(WhysPane).editor.is_open
    assert len(store.load(pm_id).why_chains[0].whys) == 5


async def test_send_a_why_to_the_fishbone(store: Store) -> None:
    pm_id, app = await open_rootcause(store, DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "rootcause")
        await settle(pilot)
        await pilot.press("down", "down", "f")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "enter")  # Process
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert "The PgBouncer pool" in diagram(app)
    process = store.load(pm_id).categories[1]
    assert process.causes[-1].text.startswith("The PgBouncer pool for checkout-api")


async def test_fishbone_builder_keys(store: Store) -> None:
    pm_id, app = await open_rootcause(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "rootcause")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert app.focused is app.screen.query_one(FishbonePane).nodes
        await pilot.press("a")
        await type_enter(pilot, "Deploys")
        await pilot.press("c")
        await type_enter(pilot, "No canary")
        await pilot.press("c")  # under the selected cause: a sub-cause
        await type_enter(pilot, "Canary tooling broken")
        await pilot.press("x")  # root cause
        await settle(pilot)
        assert "★ Canary tooling broken" in diagram(app)
        await pilot.press("a")
        await type_enter(pilot, "People")
        await pilot.press("shift+up")  # People before Deploys
        await settle(pilot)
        await pilot.press("enter")  # rename in place
        await settle(pilot)
        await pilot.press("end")
        await type_enter(pilot, " & Process")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")  # Software preset
        await settle(pilot)
        await pilot.press("p", "down", "enter")  # Classic 6M adds its six too
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.maximized is app.screen.query_one("#diagram-scroll")
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.maximized is None

        effect = app.screen.query_one("#input-fishbone-effect")
        effect.focus()
        await pilot.pause()
        await type_text(pilot, "Bad deploy reached everyone")
        await pilot.press("tab")
        await settle(pilot, 0.6)
        assert "Bad deploy reached everyone" in diagram(app)
    pm = store.load(pm_id)
    names = [c.name for c in pm.categories]
    assert names[:2] == ["People & Process", "Deploys"]
    assert len(names) == 2 + 7 + 6  # presets never delete or rename; 'People' already there
    deploys = pm.categories[1]
    assert deploys.causes[0].text == "No canary"
    assert deploys.causes[0].children[0].text == "Canary tooling broken"
    assert deploys.causes[0].children[0].root_cause
    assert pm.fishbone_effect == "Bad deploy reached everyone"


async def test_fishbone_delete_and_undo_a_branch(store: Store) -> None:
    pm_id, app = await open_rootcause(store, DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "rootcause")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("down", "down")  # People, its cause, then Process
        await pilot.press("d", "d")
        await settle(pilot)
        assert [c.name for c in store.load(pm_id).categories][:2] == ["People", "Tooling"]
        node = app.screen.query_one(FishbonePane).nodes.cursor_node
        assert node is not None and node.data == ("category", 3)  # the next one: Tooling
        assert "Config PRs" not in diagram(app)  # gone from the drawing and the full texts
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "Config PRs" in diagram(app)
        await pilot.press("home", "down", "down", "down")  # Process's first cause, a root cause
        await pilot.press("x")
        await settle(pilot)
    process = store.load(pm_id).categories[1]
    assert process.name == "Process" and len(process.causes) == 2
    assert not process.causes[0].root_cause
    assert process.causes[0].children[0].text.startswith("Load tests")


async def test_export_toggles_mermaid(store: Store) -> None:
    pm_id, app = await open_rootcause(store, DEMO)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "export")
        await settle(pilot)
        await pilot.press("c")
        assert "```text" in copied[-1] and "ishikawa-beta" not in copied[-1]
        await pilot.press("m", "c")
        await settle(pilot)
        assert "```mermaid\nishikawa-beta\n    Checkout 502s for 52 minutes" in copied[-1]
        assert "Mermaid" in str(app.screen.query_one("#export-format").content)


async def test_r_renames_and_w_returns_to_the_whys(store: Store) -> None:
    pm_id, app = await open_rootcause(store, DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "rootcause")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("r")  # rename the first category in place
        await settle(pilot)
        await pilot.press("end")
        await type_enter(pilot, " & Teams")
        await pilot.press("w")
        await settle(pilot)
        assert app.focused is app.screen.query_one(WhysPane).nodes
    assert store.load(pm_id).categories[0].name == "People & Teams"


async def test_a_wide_diagram_scrolls(store: Store) -> None:
    from tests.test_snapshots import TWELVE

    pm_id, app = await open_rootcause(store, TWELVE)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "rootcause")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot, 0.2)
        scroll = app.screen.query_one("#diagram-scroll")
        assert scroll.max_scroll_x > 0 and scroll.max_scroll_y > 0
        scroll.focus()
        await pilot.press("right", "right", "down")
        await settle(pilot)
        assert scroll.scroll_offset.x > 0 and scroll.scroll_offset.y > 0
