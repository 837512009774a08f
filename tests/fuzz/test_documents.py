"""Fuzzing `postmortem import`: every mutated document is accepted whole or refused cleanly.

For every accepted document: it is listed, exported as Markdown, JSON and with
Mermaid, its JSON export imports again and exports identically, and (for a
sample, since each costs seconds) every screen of the app opens on it. For
every refused one: exit 1, one printable line naming the problem, and a
database identical to before, even when a valid file was imported beside it.

CI runs a few dozen examples; POSTMORTEM_FUZZ=long runs 10,000 documents
(see tests/fuzz/cli.py). POSTMORTEM_FUZZ_STATS=FILE appends what was tried.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.demo import DEMO
from models.errors import PostmortemError
from models.interchange import from_document, loads
from models.store import open_store
from models.textfile import decode
from tests.apphelpers import make_app, settle
from tests.fuzz.cli import (
    CONTROL,
    LONG,
    assert_no_internal_error,
    assert_printable,
    assert_refusal,
    copy_db,
    fingerprint,
    run,
)
from tests.fuzz.hostile import ENCODINGS, Mutated, encode, mutated_documents
from tests.fuzz.stats import record, tick
from tui.sections import SECTIONS

EXAMPLES = 10_000 if LONG else 40
UI_EXAMPLES = 50 if LONG else 2
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
STATS: Counter[str] = Counter()
QUOTED = re.compile(r"'.*?'(?=[ ;,)]|$)|\b\d+\b")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A template library holding the demo, and the valid demo as a file."""
    root = tmp_path_factory.mktemp("documents")
    (root / "demo.json").write_text(json.dumps(DEMO))
    assert run(root / "template.db", "import", str(root / "demo.json")).code == 0
    yield root
    record("documents", STATS)


def without_stamps(doc: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in doc.items() if k not in ("id", "created_at", "updated_at")}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(
    mutated=mutated_documents(),
    encoding=ENCODINGS,
    ascii_only=st.booleans(),
    beside_a_valid_file=st.booleans(),
)
def test_import_accepts_whole_or_refuses_in_one_line(
    workdir: Path, mutated: Mutated, encoding: str, ascii_only: bool, beside_a_valid_file: bool
) -> None:
    db = copy_db(workdir / "template.db", workdir / "pm.db")
    path = workdir / "doc.json"
    path.write_bytes(encode(mutated.text(ascii_only=ascii_only), encoding))
    files = [str(workdir / "demo.json"), str(path)] if beside_a_valid_file else [str(path)]
    before = fingerprint(db)
    result = run(db, "import", *files)
    what = f"{mutated.done} as {encoding}"
    tick("documents", STATS, "documents")
    STATS[f"encoding {encoding}"] += 1
    if result.code != 0:
        assert_refusal(result, what)
        assert fingerprint(db) == before, f"{what}: a refused import changed the database"
        STATS["refused"] += 1
        STATS["refused: " + QUOTED.sub("…", result.err.split(": ")[-1])[:50].rstrip()] += 1
        return
    STATS["accepted"] += 1
    assert_no_internal_error(result, what)
    ids = result.out.split()
    assert len(ids) == len(files) and all(i.isdigit() for i in ids), result.out
    check_accepted(db, ids[-1], what)


def check_accepted(db: Path, pm: str, what: str) -> None:
    """List, export every way, and import the JSON export again."""
    listed = run(db, "list")
    assert listed.code == 0 and listed.err == "", f"{what}: {listed.err}"
    assert_printable(listed.out, what)
    assert len(listed.out.splitlines()) >= 3  # header, the demo, this one

    as_json = run(db, "list", "--json")
    assert as_json.code == 0 and pm in {str(row["id"]) for row in json.loads(as_json.out)}

    for args in ((), ("--mermaid",)):
        md = run(db, "export", pm, *args)
        assert md.code == 0 and md.err == "", f"{what}: {md.err}"
        assert_printable(md.out, what)
        assert md.out.startswith("---\ntitle: ") and "\n# " in md.out

    exported = run(db, "export", pm, "--format", "json")
    assert exported.code == 0 and exported.err == "", f"{what}: {exported.err}"
    assert not CONTROL.search(exported.out.replace("\n", "")), f"{what}: control in JSON"
    first = json.loads(exported.out)
    again = db.with_name("again.json")
    again.write_text(exported.out, encoding="utf-8")
    reimported = run(db, "import", str(again))
    assert reimported.code == 0, f"{what}: its own export was refused: {reimported.err}"
    second = json.loads(run(db, "export", reimported.out.strip(), "--format", "json").out)
    assert without_stamps(second) == without_stamps(first), f"{what}: round trip changed it"


# ---------------------------------------------------------------- the app on accepted documents


@settings(max_examples=UI_EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(st.lists(mutated_documents(), min_size=6, max_size=6))
def test_every_screen_opens_on_accepted_documents(workdir: Path, batch: list[Mutated]) -> None:
    db = copy_db(workdir / "template.db", workdir / "ui.db")
    store = open_store(str(db))
    ids: list[int] = []
    try:
        for mutated in batch:
            try:
                pm = from_document(loads(decode(mutated.text().encode("utf-8"), "doc")))
            except PostmortemError:
                continue
            ids.append(store.save_new(pm))
        STATS["opened in the app"] += len(ids)
        asyncio.run(_open_every_screen(store, ids))
    finally:
        store.close()


async def _open_every_screen(store: object, ids: list[int]) -> None:
    from tui.screens.library import LibraryScreen

    app = make_app(store)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert len(app.screen.summaries) == len(ids) + 1
        assert_printable(app.export_screenshot(), "library")
        for pm_id in ids:
            app.open_postmortem(pm_id)
            await settle(pilot)
            for section in SECTIONS:
                await pilot.press(section.key)
                await settle(pilot)
                assert_printable(app.export_screenshot(), f"postmortem {pm_id}, {section.id}")
            for _ in range(3):  # Escape goes up a level: out of a field, then to the library
                if isinstance(app.screen, LibraryScreen):
                    break
                await pilot.press("escape")
                await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
