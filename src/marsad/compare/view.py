"""The terminal view of a comparison: a matrix of claims (rows) by outlets (columns).

Everything is printed in logical order, exactly as the articles wrote it: terminals and editors
do their own shaping and bidi, and a quote copied from the output must match the source. No
presentation forms, no reordering. Cells fold long text on word boundaries (a word longer than
the cell is folded, never cut): no character is dropped or altered.

Marks: ● carries, ✚ adds (only this outlet carries it), − omits (most others carry it),
≠ disagrees (another figure or speaker than other outlets), blank: not carried.
"""

from __future__ import annotations

from pathlib import PurePath

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from marsad.compare.records import Comparison, DocumentInfo

CARRIES, ADDS, OMITS, DISAGREES = "●", "✚", "−", "≠"


def doc_label(doc: DocumentInfo) -> str:
    """A document as a reader knows it: its outlet, else its file name, else its title, else its id."""
    if doc.outlet:
        return doc.outlet
    if doc.source:
        return PurePath(doc.source).name
    return doc.title or doc.id[:12]


def _labels(comparison: Comparison) -> dict[str, str]:
    """Document labels, made distinct (two articles of one outlet get #1, #2)."""
    raw = {d.id: doc_label(d) for d in comparison.documents}
    counts: dict[str, int] = {}
    out: dict[str, str] = {}
    for d in comparison.documents:
        name = raw[d.id]
        if list(raw.values()).count(name) > 1:
            counts[name] = counts.get(name, 0) + 1
            name = f"{name} #{counts[name]}"
        out[d.id] = name
    return out


def marks(comparison: Comparison) -> dict[str, dict[str, str]]:
    """claim id -> document id -> mark (see the module docstring); documents not listed: blank."""
    out: dict[str, dict[str, str]] = {c.id: {d: CARRIES for d in c.outlets} for c in comparison.claims}
    for doc, ids in comparison.adds.items():
        for cid in ids:
            out[cid][doc] = ADDS
    for doc, ids in comparison.omits.items():
        for cid in ids:
            out[cid][doc] = OMITS
    for dis in comparison.disagreements:
        # The minority versions disagree with the version most outlets give.
        versions = sorted(dis.versions, key=lambda v: -len(v.docs))
        for v in versions[1:]:
            for doc in v.docs:
                out[dis.claim][doc] = DISAGREES
    return out


def render(comparison: Comparison, width: int = 160) -> RenderableType:
    """The comparison as rich renderables: documents, disagreements, the claim matrix, quotes by
    speaker, entities only one outlet names."""
    labels = _labels(comparison)
    docs = comparison.documents
    parts: list[RenderableType] = []
    head = Table(show_header=True, header_style="bold", expand=False)
    for name in ("#", "outlet / file", "published", "lang", "agencies", "title"):
        head.add_column(name, overflow="fold")
    for n, d in enumerate(docs, start=1):
        head.add_row(
            str(n),
            labels[d.id],
            (d.published or "-")[:16],
            d.language or "-",
            ", ".join(comparison.agencies.get(d.id, [])) or "-",
            Text(d.title or "", overflow="fold"),
        )
    parts.append(head)
    first = comparison.first_reported
    parts.append(
        Text(f"first reported: {labels[first] if first else 'unknown'} ({comparison.first_reported_basis})")
    )
    parts.append(Rule(f"disagreements: {len(comparison.disagreements)}"))
    for dis in comparison.disagreements:
        parts.append(Text(f"{dis.claim} ({dis.kind})", style="bold"))
        for v in dis.versions:
            who = ", ".join(labels[d] for d in v.docs)
            parts.append(Text(f"  {v.value or '-'} — {who}: {v.text}", overflow="fold"))
    parts.append(
        Rule(
            f"claims: {len(comparison.claims)}   {CARRIES} carries  {ADDS} adds"
            f"  {OMITS} omits  {DISAGREES} disagrees"
        )
    )
    mark = marks(comparison)
    table = Table(show_header=True, header_style="bold", show_lines=True, expand=False)
    table.add_column("claim", no_wrap=True)
    text_width = max(20, width - 12 - 4 * len(docs) - 3 * (len(docs) + 2))
    table.add_column("text (first outlet's wording)", width=text_width, overflow="fold")
    for n, _d in enumerate(docs, start=1):
        table.add_column(str(n), justify="center", no_wrap=True)
    for claim in comparison.claims:
        shown = claim.first if claim.first in claim.texts else claim.outlets[0]
        text = claim.texts[shown]
        if claim.speaker:
            text = f"{claim.speaker}: {text}"
        table.add_row(
            claim.id,
            Text(text, overflow="fold"),
            *(mark[claim.id].get(d.id, "") for d in docs),
        )
    parts.append(table)
    speakers: dict[str, list[tuple[str, str]]] = {}
    for q in comparison.quotes:
        speakers.setdefault(q.speaker or "?", []).append((q.doc, q.text))
    parts.append(Rule(f"quotes by speaker: {len(comparison.quotes)}"))
    for who, quotes in speakers.items():
        parts.append(Text(who, style="bold"))
        for doc, text in quotes:
            parts.append(Text(f"  [{labels[doc]}] {text}", overflow="fold", style="italic"))
    parts.append(Rule("entities named by one outlet only"))
    for d in docs:
        names = comparison.unique_entities.get(d.id, [])
        parts.append(Text(f"{labels[d.id]}: {', '.join(names) or '-'}", overflow="fold"))
    return Group(*parts)
