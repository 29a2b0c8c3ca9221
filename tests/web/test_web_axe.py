"""Accessibility: axe-core (from the npm registry, `make axe`) run inside the real browser on the story
list, a story page, an article page and search, in Arabic and in English: no serious or critical
violation. Skipped, saying why, when axe-core is not installed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from marsad.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parents[2] / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""


def _article(db: Path) -> str:
    with Store(db) as store:
        return str(
            store.conn.execute(
                "SELECT a.id FROM articles a JOIN documents d ON d.id = a.id"
                " WHERE d.source LIKE '%wadi-zahra-survivors-ar.html'"
            ).fetchone()[0]
        )


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_browser_pages_have_no_serious_accessibility_violation(
    browser: Any,
    pipeline_server: Any,
    pipeline_web_db: Path,
    story_with: Callable[[Path, str], str],
    lang: str,
) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE}: run `make axe` (npm install axe-core@4)")
    story = story_with(pipeline_web_db, "Wadi Zahra survivors")
    paths = [
        "/",
        f"/stories/{story}",
        f"/articles/{_article(pipeline_web_db)}",
        "/search?mode=meaning&q=%D8%B2%D9%84%D8%B2%D8%A7%D9%84%20%D9%88%D8%A7%D8%AF%D9%8A%20%D8%A7%D9%84%D8%B2%D9%87%D8%B1%D8%A9",
        "/search?q=Wadi%20Zahra",
        "/storylines",
        "/monitor",
        f"/stories/{story}/coverage",
        "/outlets",
        "/outlets/aljazeera",
    ]
    # The pages forbid inline scripts (CSP); only the test injects axe, so only the test bypasses it.
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=lang, bypass_csp=True)
    page = context.new_page()
    failures: dict[str, list[Any]] = {}
    try:
        for path in paths:
            page.goto(f"{pipeline_server.url}{path}")
            assert page.evaluate("document.documentElement.lang") == lang
            page.add_script_tag(path=str(AXE))
            serious = [v for v in page.evaluate(RUN_AXE) if v["impact"] in ("serious", "critical")]
            if serious:
                failures[path] = serious
    finally:
        context.close()
    assert not failures, failures
