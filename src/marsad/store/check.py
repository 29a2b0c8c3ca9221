"""Store invariants, checked after a crash or a concurrent run (`marsad check`).

SQLite's own integrity_check only proves the file is a sound database; these checks prove it is a
sound marsad store: every count kept beside the rows agrees with the rows, and nothing points at
nothing. Each check is one query that returns the offending rows (at most `SAMPLE` shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marsad.store.db import Store

SAMPLE = 5


@dataclass(slots=True, frozen=True)
class CheckResult:
    """One invariant: its name, what it means, and the offending rows found (none: it holds)."""

    name: str
    meaning: str
    problems: int
    examples: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.problems == 0


@dataclass(slots=True)
class CheckReport:
    results: list[CheckResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if not r.ok]

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": [
                {"name": r.name, "meaning": r.meaning, "problems": r.problems, "examples": list(r.examples)}
                for r in self.results
            ],
        }


# (name, meaning, query returning one descriptive text per offending row)
_CHECKS: tuple[tuple[str, str, str], ...] = (
    (
        "story_sizes",
        "stories.size equals the number of its members",
        "SELECT s.id || ': size ' || s.size || ', members ' || count(m.article_id) FROM stories s"
        " LEFT JOIN story_members m ON m.story_id = s.id GROUP BY s.id HAVING s.size != count(m.article_id)",
    ),
    (
        "articles_in_one_story",
        "every article belongs to a story",
        "SELECT a.id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id"
        " WHERE m.article_id IS NULL",
    ),
    (
        "members_of_stories",
        "every story member points to a stored article and story",
        "SELECT m.article_id || ' -> ' || m.story_id FROM story_members m"
        " LEFT JOIN articles a ON a.id = m.article_id LEFT JOIN stories s ON s.id = m.story_id"
        " WHERE a.id IS NULL OR s.id IS NULL",
    ),
    (
        "arrival_order",
        "story members have distinct arrival numbers",
        "SELECT seq || ' x' || count(*) FROM story_members GROUP BY seq HAVING count(*) > 1",
    ),
    (
        "articles_have_documents",
        "every article keeps its raw document, and every document has its article",
        "SELECT 'article ' || a.id FROM articles a LEFT JOIN documents d ON d.id = a.id WHERE d.id IS NULL"
        " UNION ALL SELECT 'document ' || d.id FROM documents d LEFT JOIN articles a ON a.id = d.id"
        " WHERE a.id IS NULL",
    ),
    (
        "fts_rows",
        "the full-text index holds exactly one row per article",
        "SELECT 'article ' || a.id || ' x' || count(f.article_id) FROM articles a"
        " LEFT JOIN articles_fts f ON f.article_id = a.id GROUP BY a.id HAVING count(f.article_id) != 1"
        " UNION ALL SELECT 'index row for missing ' || f.article_id FROM articles_fts f"
        " LEFT JOIN articles a ON a.id = f.article_id WHERE a.id IS NULL",
    ),
    (
        "dedup_group_sizes",
        "dedup_groups.size equals the number of its members, and no group is empty",
        "SELECT g.id || ': size ' || g.size || ', members ' || count(m.article_id) FROM dedup_groups g"
        " LEFT JOIN dedup_members m ON m.group_id = g.id GROUP BY g.id"
        " HAVING g.size != count(m.article_id) OR count(m.article_id) = 0",
    ),
    (
        "dedup_members",
        "every article is in one duplicate group, and every group member is a stored article",
        "SELECT 'article ' || a.id FROM articles a LEFT JOIN dedup_members m ON m.article_id = a.id"
        " WHERE m.article_id IS NULL AND EXISTS (SELECT 1 FROM dedup_members)"
        " UNION ALL SELECT 'member ' || m.article_id FROM dedup_members m"
        " LEFT JOIN articles a ON a.id = m.article_id WHERE a.id IS NULL",
    ),
)


def check_store(store: Store) -> CheckReport:
    """Every invariant above, then SQLite's integrity_check and foreign_key_check."""
    report = CheckReport()
    conn = store.conn
    for name, meaning, query in _CHECKS:
        rows = [str(r[0]) for r in conn.execute(query).fetchall()]
        report.results.append(CheckResult(name, meaning, len(rows), tuple(rows[:SAMPLE])))
    integrity = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    bad = [r for r in integrity if r != "ok"]
    report.results.append(
        CheckResult("integrity_check", "SQLite finds the file sound", len(bad), tuple(bad[:SAMPLE]))
    )
    keys = [f"{r[0]} row {r[1]} -> {r[2]}" for r in conn.execute("PRAGMA foreign_key_check").fetchall()]
    report.results.append(
        CheckResult("foreign_keys", "every reference points at a stored row", len(keys), tuple(keys[:SAMPLE]))
    )
    return report
