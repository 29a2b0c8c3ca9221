"""The pages as HTML: untrusted text escaped, a direction on every text, comments apart, safe links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api import ApiSettings
from marsad.api.schemas import ComparisonOut
from marsad.app import create_app
from marsad.store import Store
from marsad.web.render import Mark, marked_paragraphs, safe_href, segments, text_dir


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ApiSettings(db_path=web_db, meaning_search=False))) as c:
        yield c


def article_id_from(db: Path, source_suffix: str) -> str:
    with Store(db) as store:
        row = store.conn.execute(
            "SELECT id FROM documents WHERE source LIKE ? ESCAPE '\\'", (f"%{source_suffix}",)
        ).fetchone()
    assert row is not None, source_suffix
    return str(row[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("روسيا مستعدة للتنسيق", "rtl"),
        ("Reuters: قال لافروف إن موسكو مستعدة", "rtl"),
        ("Lavrov said Moscow was ready", "ltr"),
        ("La Russie est prête", "ltr"),
        ("שלום עולם", "rtl"),
        ("2016-05-24 12:00", "auto"),
        ("", "auto"),
        (None, "auto"),
    ],
)
def test_text_dir_follows_the_script(text: str | None, expected: str) -> None:
    assert text_dir(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("http://x.test", "http://x.test"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.test/x", None),
        ("/relative", None),
        ("vbscript:x", None),
        (None, None),
    ],
)
def test_safe_href_allows_only_http_links(url: str | None, expected: str | None) -> None:
    assert safe_href(url) == expected


def test_segments_mark_pairs_and_leave_text_whole() -> None:
    para = 'وصرح لافروف "أقول بكل ثقة إننا مستعدون لمثل هذا التنسيق". بحسب تاس.'
    segs = segments(para, [("أقول بكل ثقة إننا مستعدون لمثل هذا التنسيق", Mark("quote", 0))])
    assert "".join(s.text for s in segs) == para
    assert [s.text for s in segs if s.mark] == ["أقول بكل ثقة إننا مستعدون لمثل هذا التنسيق"]


def test_marked_paragraphs_find_normalized_sentences() -> None:
    comparison = ComparisonOut.model_validate(
        {
            "documents": ["a", "b"],
            "claims": [
                {
                    "id": "c1",
                    "kind": "sentence",
                    "outlets": ["a", "b"],
                    "texts": {"a": "وأكد لافروف أن موسكو وواشنطن اتفقتا", "b": "x"},
                },
                {"id": "c2", "kind": "sentence", "outlets": ["a"], "texts": {"a": "جملة فريدة."}},
            ],
        }
    )
    paras = ["وأكّد لافروف أنّ موسكو وواشنطن اتفقتا. جملة فريدة."]
    segs = marked_paragraphs(paras, comparison, "a")[0]
    assert [(s.mark.kind, s.mark.claim) for s in segs if s.mark] == [("sentence", "c1"), ("unique", "c2")]
    assert "".join(s.text for s in segs) == paras[0]


def test_story_list_page_shows_sources_and_directions(client: TestClient) -> None:
    html = client.get("/").text
    assert 'dir="rtl"' in html and "عكس السير" in html
    assert re.search(r'<a class="story-title" href="/stories/s[0-9a-f]+" dir="(rtl|ltr|auto)"', html)


def test_story_page_without_compare_says_so(client: TestClient, web_db: Path) -> None:
    seed = article_id_from(web_db, "000_f462c494be0ac3b8.txt")
    story_id = client.get(f"/api/articles/{seed}").json()["story_id"]
    html = client.get(f"/stories/{story_id}").text
    status = client.get(f"/api/stories/{story_id}").json()["comparison_status"]
    if status == "unavailable":
        assert "comparison unavailable" in html
    assert html.count('class="column"') == 2 and "عكس السير" in html
    assert "Timeline" in html and 'class="timeline"' in html


def test_article_page_escapes_untrusted_text(client: TestClient, web_db: Path) -> None:
    hostile = article_id_from(web_db, "test:hostile")
    html = client.get(f"/articles/{hostile}").text
    assert "&lt;script&gt;window.__xss = 1;" in html
    assert "<script>window" not in html and "<img src=x" not in html and "<svg" not in html
    assert 'href="javascript:' not in html.lower() and "onerror=" not in html.replace("onerror=&#34;", "")
    assert "&lt;i onmouseover=" in html  # the outlet name, shown as text
    # The page loads only its own script file: no inline script, no event handler attributes.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
    assert not re.search(r"<[^>]+\son[a-z]+=", html)


def test_article_page_sets_comments_apart(client: TestClient, web_db: Path) -> None:
    seed = article_id_from(web_db, "000_f462c494be0ac3b8.txt")
    html = client.get(f"/articles/{seed}").text
    body, _, comments = html.partition('<section class="comments"')
    assert comments, "comments have their own section"
    assert "5 shown, 9 stated" in comments
    assert "التنسيق العالي بين القيادة السورية" in comments and "التنسيق العالي" not in body
    assert comments.count('class="comment-thread"') >= 2  # a reply nests under its parent


def test_search_page_echoes_the_query_as_text(client: TestClient) -> None:
    html = client.get("/search", params={"q": "<script>alert(1)</script>"}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    res = client.get("/search", params={"q": "' OR 1=1 --"})
    assert res.status_code == 200 and "0 results" in res.text


def test_pages_bad_input_get_an_html_error(client: TestClient) -> None:
    res = client.get("/stories/s0000000000000")
    assert res.status_code == 404 and res.headers["content-type"].startswith("text/html")
    assert "E501" in res.text
    assert client.get("/?since=nonsense").status_code == 422
