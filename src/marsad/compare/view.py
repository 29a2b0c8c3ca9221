"""A readable terminal view of a comparison: side by side, Arabic shaped and right-to-left.

Terminals do not shape Arabic or reorder right-to-left text, so each line is wrapped in logical
order first, then shaped (arabic-reshaper) and put in visual order (python-bidi), then
right-aligned. Wrapping after reordering would put the lines of a paragraph in the wrong order.
"""

from __future__ import annotations

import textwrap

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from marsad.compare.records import Comparison
from marsad.text.arabic import is_arabic_script


def visual_lines(text: str, width: int) -> tuple[list[str], bool]:
    """`text` wrapped to `width` columns and put in display order; True when it reads right-to-left."""
    lines = textwrap.wrap(" ".join(text.split()), width=max(width, 10)) or [""]
    if not is_arabic_script(text):
        return lines, False
    import arabic_reshaper
    from bidi import get_display

    return [str(get_display(arabic_reshaper.reshape(line))) for line in lines], True


def _cell(text: str, width: int, style: str = "") -> Text:
    lines, rtl = visual_lines(text, width)
    if rtl:
        lines = [line.rjust(width) for line in lines]
    return Text("\n".join(lines), style=style, no_wrap=True)


def render(comparison: Comparison, width: int = 160) -> RenderableType:
    """The comparison as rich renderables: documents, paired quotes and sentences, unique sentences,
    quotes with speakers, entities only one source names."""
    docs = comparison.documents
    col = max(20, (width - 16) // 2)
    parts: list[RenderableType] = []
    head = Table(show_header=True, header_style="bold", expand=False)
    for name in ("doc", "outlet", "published", "lang", "agencies", "title"):
        head.add_column(name, overflow="fold")
    for d in docs:
        head.add_row(
            d.id[:12],
            d.outlet or "-",
            (d.published or "-")[:16],
            d.language or "-",
            ", ".join(comparison.agencies.get(d.id, [])) or "-",
            _cell(d.title or "", 50),
        )
    parts.append(head)
    first = comparison.first_reported
    parts.append(
        Text(f"first reported: {first[:12] if first else 'unknown'} ({comparison.first_reported_basis})")
    )
    for kind, label in (("quote", "same quotes"), ("sentence", "same facts")):
        pairs = [p for p in comparison.pairs if p.kind == kind]
        parts.append(Rule(f"{label}: {len(pairs)}"))
        if not pairs:
            continue
        table = Table(show_header=True, header_style="bold", show_lines=True, expand=False)
        table.add_column("score", justify="right")
        table.add_column("A", width=col, no_wrap=True)
        table.add_column("B", width=col, no_wrap=True)
        sizes: dict[int, int] = {}
        for p in pairs:
            sizes[p.group] = sizes.get(p.group, 0) + 1
        for p in pairs:
            split = "\nsplit" if sizes[p.group] > 1 else ""  # one side says it in two sentences
            a_text = f"{p.a.speaker}: {p.a.text}" if p.a.speaker else p.a.text
            b_text = f"{p.b.speaker}: {p.b.text}" if p.b.speaker else p.b.text
            table.add_row(
                f"{p.score:.2f}\n{p.a.doc[:6]}/{p.b.doc[:6]}{split}",
                _cell(a_text, col - 2),
                _cell(b_text, col - 2),
            )
        parts.append(table)
    for d in docs:
        unique = comparison.unique.get(d.id, [])
        parts.append(Rule(f"only in {d.outlet or d.id[:12]}: {len(unique)} sentences"))
        for s in unique:
            parts.append(_cell(f"• {s}" if not is_arabic_script(s) else f"{s} •", width - 4))
    parts.append(Rule(f"quotes: {len(comparison.quotes)}"))
    for q in comparison.quotes:
        who = q.speaker or "?"
        parts.append(_cell(f"[{q.doc[:6]}] {who} ({q.verb or '-'}): {q.text}", width - 4, "italic"))
    parts.append(Rule("entities named by one source only"))
    for d in docs:
        names = comparison.unique_entities.get(d.id, [])
        parts.append(_cell(f"{d.outlet or d.id[:12]}: {', '.join(names) or '-'}", width - 4))
    return Group(*parts)
