"""The fishbone renderer: never wider than asked, nothing lost, deterministic."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from models.demo import DEMO
from models.fishbone import ROOT_MARK, Category, Cause, clean, from_tables, mermaid, render
from models.interchange import from_document

# Letters, digits, punctuation, symbols (emoji), spaces and CJK; no control or
# zero-width characters (combining marks, conjoining jamo), which take no cell.
CHARS = st.characters(categories=["L", "N", "P", "S", "Zs"]).filter(lambda c: cell_len(c) > 0)
TEXT = st.one_of(
    st.text(CHARS, min_size=1, max_size=40),
    st.sampled_from(["日本語の原因", "🔥 pager storm 🔥", "Ünïcødé", "a" * 120, "x"]),
).filter(lambda t: bool(clean(t)))


def causes(depth: int = 0) -> st.SearchStrategy[tuple[Cause, ...]]:
    children = causes(depth + 1) if depth < 2 else st.just(())
    return st.lists(
        st.builds(Cause, TEXT, st.booleans(), children), max_size=30 if depth == 0 else 3
    ).map(tuple)


CATEGORIES = st.lists(st.builds(Category, TEXT, causes()), max_size=12)


def drawing_part(lines: list[str]) -> str:
    return "\n".join(lines[: lines.index("Full texts:")] if "Full texts:" in lines else lines)


def labels(cats: list[Category]) -> list[str]:
    out = []

    def walk(cs: tuple[Cause, ...]) -> None:
        for c in cs:
            out.append((ROOT_MARK if c.root_cause else "") + clean(c.text))
            walk(c.causes)

    for cat in cats:
        walk(cat.causes)
    return out


def shown(label: str, drawing: str) -> bool:
    """The label whole, or a non-empty prefix of it followed by …."""
    if label in drawing:
        return True
    return any(
        label[:n].rstrip() + "…" in drawing for n in range(1, len(label)) if label[:n].strip()
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, CATEGORIES, st.integers(20, 200))
def test_no_line_wider_than_asked_and_every_cause_shown(
    effect: str, cats: list[Category], width: int
) -> None:
    lines = render(effect, cats, width)
    assert all(cell_len(line) <= width for line in lines)
    drawing = drawing_part(lines)
    for label in labels(cats):
        assert shown(label, drawing), label
    assert render(effect, cats, width) == lines  # deterministic


@settings(max_examples=60, deadline=None)
@given(TEXT, CATEGORIES, st.integers(1, 19))
def test_tiny_widths_still_fit(effect: str, cats: list[Category], width: int) -> None:
    assert all(cell_len(line) <= width for line in render(effect, cats, width))


def test_demo_drawing() -> None:
    pm = from_document(DEMO)
    lines = render(pm.fishbone_effect, from_tables(pm.categories), 100)
    assert lines[0].startswith("People")
    spine = next(line for line in lines if "▶" in line)
    assert spine.startswith("━━━━╋") and spine.endswith("┃ minutes               ┃")
    assert any("★ Config PRs" in line for line in lines)
    assert "Full texts:" in lines
    assert any("Process: ★ Config PRs skip the load test stage" in line for line in lines)
    # Sub-causes sit under their parent on the lower bones too.
    rows = [line for line in lines if "Config PRs" in line or "Load tests" in line][:2]
    assert "Config PRs" in rows[0] and "Load tests" in rows[1]


def test_wide_characters_are_counted_as_two_cells() -> None:
    cats = [Category("原因", (Cause("日本語のテキストがとても長い場合の原因", True),))]
    lines = render("障害 🔥", cats, 40)
    assert all(cell_len(line) <= 40 for line in lines)
    assert any("★ 日本語" in line for line in lines)


def test_zero_to_twelve_categories() -> None:
    assert render("", [], 60) == ["(no fishbone yet: add categories and causes)"]
    for n in range(13):
        cats = [Category(f"Cat {i}", (Cause(f"cause {i}"),)) for i in range(n)]
        lines = render("Outage", cats, 120)
        assert all(cell_len(line) <= 120 for line in lines)
        assert all(any(f"cause {i}" in line for line in lines) for i in range(n))


def test_narrow_width_falls_back_to_a_tree() -> None:
    pm = from_document(DEMO)
    lines = render(pm.fishbone_effect, from_tables(pm.categories), 40)
    assert lines[0] == "▶ Checkout 502s for 52 minutes"
    assert "│  ├ ★ Config PRs skip the load test st…" in lines
    assert "│  │ └ Load tests only run for code cha…" in lines


def test_mermaid() -> None:
    pm = from_document(DEMO)
    text = mermaid(pm.fishbone_effect, from_tables(pm.categories))
    lines = text.splitlines()
    assert lines[:3] == ["ishikawa-beta", "    Checkout 502s for 52 minutes", "    People"]
    assert "        ★ Config PRs skip the load test stage" in lines
    assert "            Load tests only run for code changes" in lines
