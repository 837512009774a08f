"""Drawing a fishbone (Ishikawa) diagram as text, for the screen and for Markdown.

A pure function: effect and categories in, lines of text out, never wider than
asked. The head (the effect) sits on the right at the end of a horizontal
spine; categories alternate above and below it, each on its own bone, with its
causes along the bone and sub-causes indented under them. Root causes carry a
★. Texts too long for their place are elided with … and listed whole under
the drawing, so nothing is lost. Widths are measured in terminal cells, so CJK
and emoji (two cells each) line up.

When the width can't give each bone a readable column, the same content is
drawn as an indented tree instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len, set_cell_size

from models.usertext import printable

ROOT_MARK = "★ "
MIN_TEXT = 6  # cells of cause text below which the bone layout gives way to the tree


@dataclass(frozen=True)
class Cause:
    text: str
    root_cause: bool = False
    causes: tuple[Cause, ...] = ()


@dataclass(frozen=True)
class Category:
    name: str
    causes: tuple[Cause, ...] = ()


@dataclass
class _Canvas:
    width: int
    rows: list[list[str]] = field(default_factory=list)

    def ensure(self, height: int) -> None:
        while len(self.rows) < height:
            self.rows.append([" "] * self.width)

    def put(self, y: int, x: int, text: str) -> None:
        """Write text at (x, y) cell by cell; a wide character takes two cells."""
        self.ensure(y + 1)
        row = self.rows[y]
        for ch in text:
            w = cell_len(ch)
            if w == 0:
                continue
            if x < 0 or x + w > self.width:
                return
            if row[x] == "":  # overwriting the right half of a wide character
                row[x - 1] = " "
            if x + 1 < self.width and row[x + 1] == "" and w == 1 and row[x] not in (" ", ""):
                row[x + 1] = " "
            row[x] = ch
            if w == 2:
                row[x + 1] = ""
            x += w

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.rows]


def clean(text: str) -> str:
    """One line of printable text: stored control characters can't reach a drawing."""
    return " ".join(printable(text).split())


def elide(text: str, width: int) -> str:
    """At most ``width`` cells; an elided text ends in …. Spacing is kept as given."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    if width == 1:
        return "…"
    return set_cell_size(text, width - 1).rstrip() + "…"


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by cells; words longer than the width are cut."""
    lines: list[str] = []
    current = ""
    for word in clean(text).split(" "):
        while cell_len(word) > width:
            if current:
                lines.append(current)
                current = ""
            cut = set_cell_size(word, width).rstrip() or word[:1]
            lines.append(cut)
            word = word[len(cut) :]
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def _flatten(causes: Sequence[Cause], depth: int = 0) -> list[tuple[int, Cause]]:
    out: list[tuple[int, Cause]] = []
    for cause in causes:
        out.append((depth, cause))
        out.extend(_flatten(cause.causes, depth + 1))
    return out


def _label(cause: Cause) -> str:
    return (ROOT_MARK if cause.root_cause else "") + clean(cause.text)


class _Elided:
    """Collects the texts that had to be shortened, to list them whole afterwards."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def fit(self, where: str, text: str, width: int) -> str:
        text = clean(text)
        shown = elide(text, width)
        if shown != text and (where, text) not in self.items:
            self.items.append((where, text))
        return shown


def _effect_box(effect: str, width: int) -> list[str]:
    inner = max(1, width - 4)
    body = wrap(effect or "(effect not set)", inner)
    top = "┏" + "━" * (inner + 2) + "┓"
    bottom = "┗" + "━" * (inner + 2) + "┛"
    return [top, *("┃ " + set_cell_size(line, inner) + " ┃" for line in body), bottom]


def _bones(
    effect: str, categories: Sequence[Category], width: int, elided: _Elided
) -> list[str] | None:
    """The fishbone layout, or None when the width can't hold it readably."""
    box_w = min(max(14, cell_len(clean(effect)) + 4), max(14, width // 4), 32)
    columns = max(1, (len(categories) + 1) // 2)
    col_w = (width - box_w - 2) // columns
    if col_w < MIN_TEXT + 5:
        return None
    top = categories[0::2]
    bottom = categories[1::2]
    top_h = max((len(_flatten(c.causes)) for c in top), default=0) + 3
    bot_h = max((len(_flatten(c.causes)) for c in bottom), default=0) + 3 if bottom else 0
    box = _effect_box(effect, box_w)
    spine_y = max(top_h, len(box) // 2)
    canvas = _Canvas(width)
    canvas.ensure(max(spine_y + 1 + bot_h, spine_y + len(box) - len(box) // 2))
    spine_end = width - box_w - 1

    def bone(cat: Category, x0: int, above: bool) -> int:
        """Draw one category's bone; returns the x where it meets the spine.

        Read top to bottom, a bone above the spine is: name, causes, then the
        angled part down to the spine; below it: the angled part, causes, name.
        Either way causes keep their order and sub-causes sit under their parent."""
        flat = _flatten(cat.causes)
        height = top_h if above else bot_h
        if above:
            name_y, first_cause_y = spine_y - height, spine_y - height + 1
            slopes = [(spine_y - 2, x0 + 2, "╲"), (spine_y - 1, x0 + 3, "╲")]
            stem = range(first_cause_y, spine_y - 2)
        else:
            name_y, first_cause_y = spine_y + height, spine_y + 3
            slopes = [(spine_y + 1, x0 + 3, "╱"), (spine_y + 2, x0 + 2, "╱")]
            stem = range(first_cause_y, name_y)
        canvas.put(name_y, x0, elided.fit("", cat.name, col_w - 2))
        for y in stem:
            canvas.put(y, x0 + 1, "│")
        for i, (depth, cause) in enumerate(flat):
            indent = 2 * depth
            label = elided.fit(cat.name, _label(cause), col_w - 4 - indent)
            canvas.put(first_cause_y + i, x0 + 3 + indent, label)
        for y, x, ch in slopes:
            canvas.put(y, x, ch)
        return x0 + 4

    joins: dict[int, str] = {}
    for i, cat in enumerate(top):
        joins[bone(cat, i * col_w, True)] = "┻"
    for i, cat in enumerate(bottom):
        x = bone(cat, i * col_w, False)
        joins[x] = "╋" if x in joins else "┳"
    canvas.put(spine_y, 0, "━" * spine_end)
    for x, ch in joins.items():
        canvas.put(spine_y, x, ch)
    canvas.put(spine_y, spine_end - 1, "▶")
    box_top = spine_y - len(box) // 2
    for i, line in enumerate(box):
        canvas.put(box_top + i, spine_end + 1, line)
    lines = canvas.lines()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _tree(effect: str, categories: Sequence[Category], width: int, elided: _Elided) -> list[str]:
    lines = ["▶ " + elided.fit("Effect", clean(effect) or "(effect not set)", width - 2)]

    def walk(causes: Sequence[Cause], prefix: str, where: str) -> None:
        for i, cause in enumerate(causes):
            last = i == len(causes) - 1
            head = prefix + ("└ " if last else "├ ")
            room = width - cell_len(head)
            lines.append(
                head + elided.fit(where, _label(cause), room) if room > 0 else elide(head, width)
            )
            walk(cause.causes, prefix + ("  " if last else "│ "), where)

    for ci, cat in enumerate(categories):
        last_cat = ci == len(categories) - 1
        lines.append(("└─ " if last_cat else "├─ ") + elided.fit("", cat.name, width - 3))
        walk(cat.causes, "   " if last_cat else "│  ", cat.name)
    return lines


def render(effect: str, categories: Sequence[Category], width: int = 100) -> list[str]:
    """Draw the fishbone in at most ``width`` cells per line (see the module doc)."""
    width = max(1, width)
    if not categories and not clean(effect):
        return [elide("(no fishbone yet: add categories and causes)", width)]
    elided = _Elided()
    lines = _bones(effect, categories, width, elided) if categories else None
    if lines is None:
        elided = _Elided()
        lines = _tree(effect, categories, width, elided)
    lines = [elide(line, width) for line in lines]  # a guarantee, not a layout step
    if elided.items:
        lines.append("")
        lines.append(elide("Full texts:", width))
        for where, text in elided.items:
            full = f"{where}: {text}" if where else text
            for n, part in enumerate(wrap(full, max(1, width - 2))):
                lines.append(elide(("• " if n == 0 else "  ") + part, width))
    return lines


def from_tables(categories: Sequence[object]) -> list[Category]:
    """Convert FishboneCategory rows (with causes loaded) into renderer input."""

    def cause(row: object) -> Cause:
        return Cause(
            text=getattr(row, "text"),  # noqa: B009
            root_cause=bool(getattr(row, "root_cause")),  # noqa: B009
            causes=tuple(cause(c) for c in getattr(row, "children")),  # noqa: B009
        )

    return [
        Category(getattr(c, "name"), tuple(cause(x) for x in getattr(c, "causes")))  # noqa: B009
        for c in categories
    ]


def mermaid(effect: str, categories: Sequence[Category]) -> str:
    """A Mermaid ``ishikawa-beta`` block body (v11.12.3+): effect, categories, causes
    by indentation. Root causes are marked with a ★."""
    lines = ["ishikawa-beta", f"    {clean(effect) or 'Effect'}"]

    def add(causes: Sequence[Cause], depth: int) -> None:
        for c in causes:
            lines.append("    " * depth + _label(c))
            add(c.causes, depth + 1)

    for cat in categories:
        lines.append(f"    {clean(cat.name)}")
        add(cat.causes, 2)
    return "\n".join(lines)


# Category presets. Applying one adds the categories that are missing (by name,
# ignoring case) and never deletes or renames anything.
PRESETS: dict[str, tuple[str, ...]] = {
    "Software": (
        "People",
        "Process",
        "Tooling",
        "Code & Config",
        "Infrastructure",
        "Dependencies",
        "Monitoring",
    ),
    "Classic 6M": ("Manpower", "Method", "Machine", "Material", "Measurement", "Environment"),
}


def missing_categories(preset: str, existing: Sequence[str]) -> list[str]:
    have = {clean(name).casefold() for name in existing}
    return [name for name in PRESETS[preset] if name.casefold() not in have]
