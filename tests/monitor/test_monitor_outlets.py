"""The outlet registry, coverage by country and kind, and silences, on the sample corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.errors import ConfigError
from marsad.monitor.coverage import story_coverage
from marsad.monitor.outlets import KINDS, OutletRegistry
from marsad.store import Store


def test_story_two_of_three_outlets_of_a_country_covered_shows_the_third_silent(
    samples_store: Path, registry: OutletRegistry
) -> None:
    # The rate hike: Al-Saha and Al-Nakheel (Ramlan) covered it; Coastline Post (Ramlan) covered two of
    # the three other stories those two covered (the quake and the port strike) but not this one.
    with Store(samples_store) as store:
        rate = story_coverage(store, "srate", registry)
        assert rate is not None
        assert rate.countries == {"XR": ["alsaha", "nakheel"]} and rate.kinds == {
            "private": ["alsaha", "nakheel"]
        }
        assert [s.outlet.id for s in rate.silences] == ["coastline"]
        assert "covered 2 of the 3 other stories that Al-Saha News, Al-Nakheel Network (XR) covered" in [
            r.text for r in rate.silences[0].reasons
        ]
        # No silence anywhere else: no other story has two outlets of one country with a third
        # outlet of that country that usually follows them.
        for story_id in ("squake", "skafr_salim", "ssummit", "scup", "sstrike"):
            other = story_coverage(store, story_id, registry)
            assert other is not None and other.silences == [], (story_id, other.silences)


def test_story_coverage_counts_countries_kinds_and_unknown_outlets(
    samples_store: Path, registry: OutletRegistry
) -> None:
    with Store(samples_store) as store:
        summit = story_coverage(store, "ssummit", registry)
        assert story_coverage(store, "snothing", registry) is None
    assert summit is not None
    assert summit.countries == {"XS": ["meridian", "tidewater"]}
    assert summit.kinds == {"private": ["tidewater"], "public": ["meridian"]}
    assert summit.outlets == {"meridian": 1, "tidewater": 1}
    assert "صوت المرسى" in summit.unknown and sum(summit.unknown.values()) == 5


def test_shipped_registry_is_valid_and_resolves_urls_and_names() -> None:
    registry = OutletRegistry.load()
    assert len(registry.outlets) >= 60
    assert all(o.kind in KINDS and len(o.country) == 2 and o.domains for o in registry.outlets.values())
    cases = {
        "https://www.aljazeera.net/news/2024/1/1/x": "aljazeera",
        "https://aawsat.com/node/123": "aawsat",
        "https://www.bbc.com/arabic/articles/c1": "bbc_arabic",
        "https://www.bbc.com/news/world-1": "bbc",
        "https://arabic.rt.com/middle_east/1/": "rt_arabic",
        "https://www.rt.com/news/1/": "rt",
        "https://www.spa.gov.sa/w123": "spa",
        "https://english.ahram.org.eg/News/1.aspx": "ahram",
    }
    for url, expected in cases.items():
        found = registry.by_url(url)
        assert found is not None and found.id == expected, (url, found)
    for name, expected in [
        ("العربية", "alarabiya"),
        ("الجزيرة", "aljazeera"),
        ("Reuters", "reuters"),
        ("واس", "spa"),
    ]:
        found = registry.by_name(name)
        assert found is not None and found.id == expected, name
    assert registry.by_url("https://unknown.example/x") is None


def test_user_registry_replaces_and_adds_entries(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[outlet]]\nid = "okaz"\nname = "Okaz"\nname_ar = "عكاظ"\ndomains = ["okaz.com.sa"]\n'
        'country = "SA"\nlanguages = ["ar"]\nkind = "state"\nnote = "my own reading"\n',
        "utf-8",
    )
    registry = OutletRegistry.load(path)
    assert registry.outlets["okaz"].kind == "state" and registry.outlets["okaz"].note == "my own reading"
    assert "aljazeera" in registry.outlets
    path.write_text('[[outlet]]\nid = "x"\nname = "X"\ncountry = "XX"\nkind = "tabloid"\n', "utf-8")
    with pytest.raises(ConfigError, match="kind must be one of"):
        OutletRegistry.load(path)


@pytest.mark.usefixtures("sample_outlets_env")
def test_coverage_and_outlets_api(samples_store: Path) -> None:
    with TestClient(create_app(ApiSettings(db_path=samples_store, meaning_search=False))) as client:
        body = client.get("/api/stories/srate/coverage").json()
        assert [s["id"] for s in body["silences"]] == ["coastline"]
        assert body["countries"] == {"XR": ["alsaha", "nakheel"]}
        assert body["silences"][0]["reasons"] and body["silences"][0]["why"][0]["basis"] == "region"
        assert body["silences"][0]["why"][0]["peers"] == ["alsaha", "nakheel"]
        assert client.get("/api/stories/snothing/coverage").status_code == 404
        saudi = client.get("/api/outlets", params={"country": "sa"}).json()
        assert {"spa", "okaz", "aawsat"} <= {o["id"] for o in saudi}
        assert any(o["id"] == "coastline" for o in client.get("/api/outlets").json())
        nakheel = client.get("/api/outlets/nakheel/coverage").json()
        assert nakheel["outlet"]["name_ar"] == "شبكة النخيل"
        # Its page of 2026-03-15 and its two feed records, each in its own story.
        assert nakheel["days"] == [
            {"day": "2026-03-15", "articles": 1, "stories": 1},
            {"day": "2026-04-10", "articles": 1, "stories": 1},
            {"day": "2026-04-26", "articles": 1, "stories": 1},
        ]
        assert client.get("/api/outlets/nowhere/coverage").status_code == 404


@pytest.mark.usefixtures("sample_outlets_env")
def test_coverage_page_shows_countries_kinds_and_the_silent_outlet_in_arabic(samples_copy: Path) -> None:
    with TestClient(create_app(ApiSettings(db_path=samples_copy, meaning_search=False))) as client:
        story = client.get("/stories/srate", headers={"Accept-Language": "ar"}).text
        assert 'href="/stories/srate/coverage"' in story and "من غطّاها ومن سكت عنها" in story
        res = client.get("/stories/srate/coverage", headers={"Accept-Language": "ar"})
        english = client.get("/stories/srate/coverage", headers={"Accept-Language": "en"}).text
        assert client.get("/stories/snothing/coverage").status_code == 404
    assert res.status_code == 200 and '<html lang="ar" dir="rtl">' in res.text
    page = res.text
    # Two of Ramlan's three outlets covered the rate story, by their Arabic names; the third is silent.
    ramlan = re.search(r'<tr data-country="XR">(.*?)</tr>', page, re.S)
    assert ramlan and "الساحة نيوز" in ramlan.group(1) and "شبكة النخيل" in ramlan.group(1)
    silent = re.findall(r'<li class="silence" data-outlet="([^"]+)">', page)
    assert silent == ["coastline"] and "منافذ صامتة" in page and "خاص" in page
    # The reason in the reader's language, with the peers' Arabic names (Ramlan's two other outlets).
    reason = re.search(r'<li class="reason">(.*?)</li>', page, re.S)
    assert reason and "غطّت 2 من 3 قصص أخرى غطّتها" in reason.group(1), reason
    assert "الساحة نيوز" in reason.group(1) and "Al-Saha" not in reason.group(1)
    english_reason = re.search(r'<li class="reason">(.*?)</li>', english, re.S)
    assert (
        english_reason
        and "covered 2 of the 3 other stories that <bdi>Al-Saha News" in english_reason.group(1)
    )
    assert re.findall(r'<li class="silence" data-outlet="([^"]+)">', english) == ["coastline"]
    assert "Coastline Post" in english and "Silent outlets" in english


@pytest.mark.usefixtures("sample_outlets_env")
def test_outlet_pages_list_the_registry_and_an_outlets_days(samples_store: Path) -> None:
    with Store(samples_store) as store:
        saha = store.conn.execute("SELECT count(*) FROM articles WHERE outlet = 'الساحة نيوز'").fetchone()[0]
    assert saha > 1
    with TestClient(create_app(ApiSettings(db_path=samples_store, meaning_search=False))) as client:
        listing = client.get("/outlets", headers={"Accept-Language": "ar"}).text
        page = client.get("/outlets/alsaha", headers={"Accept-Language": "ar"}).text
        later = client.get("/outlets/alsaha", params={"since": "2100-01-01"}).text
        assert client.get("/outlets/alsaha", params={"since": ""}).status_code == 200
        assert client.get("/outlets/nope").status_code == 404
    ramlan = re.search(r'<tr data-country="XR">(.*?)</tr>', listing, re.S)
    assert ramlan and set(re.findall(r'data-outlet="(\w+)"', ramlan.group(1))) == {
        "alsaha",
        "nakheel",
        "coastline",
    }
    assert "الساحة نيوز" in ramlan.group(1) and 'data-outlet="aljazeera"' in listing  # the shipped ones too
    # Countries by their names in the reader's language, the code kept as a title.
    assert '<span class="country" title="QA">قطر</span>' in listing
    assert '<h1 dir="rtl">الساحة نيوز</h1>' in page and "Al-Saha News" in page
    days = re.findall(r'<meter min="0" max="\d+" value="(\d+)"', page)
    assert days and sum(map(int, days)) == saha
    assert "<meter" not in later and "لا مقال" not in later  # English page: no days after 2100
