"""Story-wide claims: figures, adds/omits, disagreements, entities across scripts, the seed cases."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from marsad.compare import CompareConfig, compare_articles
from marsad.compare.claims import goes_on_speaking, may_be_same_person
from marsad.compare.numbers import Figure, conflict, figures
from marsad.compare.records import Comparison
from marsad.extract import extract
from marsad.ingest.files import read_paths
from marsad.records import Article

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> Any:
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("bench_claims", ROOT / "bench" / "bench_claims.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def story(name: str) -> Comparison:
    bench = _bench()
    found = next(s for s in bench.load_stories() if s["story"] == name)
    return compare_articles(bench.story_articles(found))


def _article(aid: str, outlet: str, title: str, sentences: list[str]) -> Article:
    body = "\n".join(sentences)
    return Article(aid, None, outlet, title, body, tuple(sentences), published=None, language="ar")


def texts_of(comp: Comparison, claim_ids: list[str]) -> str:
    return " | ".join(t for c in comp.claims if c.id in claim_ids for t in c.texts.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بلغ التضخم 35.7% في فبراير", ["35.7%"]),
        ("L'inflation a atteint 35,7 % en février.", ["35.7%"]),
        ("سجل ٣٥٫٧٪ خلال فبراير", ["35.7%"]),
        ("ارتفع 15 في المئة", ["15%"]),
        ("around 2,000 people", ["2000"]),
        ("فاز 2-1 وسجل في الدقيقة 87", ["2-1", "87"]),
        ("à la 87e minute", ["87"]),
        ("95-octane now costs 1.25 dinars", ["95", "1.25"]),
    ],
)
def test_figures_normalized_across_scripts_and_conventions(text: str, expected: list[str]) -> None:
    assert [str(f) for f in figures(text)] == expected


def test_conflict_needs_a_close_figure_on_both_sides() -> None:
    assert conflict(figures("31 dead, 140 injured"), figures("34 dead")) == [
        (Figure("31", "number"), Figure("34", "number"))
    ]
    assert conflict(figures("31 dead, 140 injured"), figures("31 dead")) == []  # a left-out detail
    assert conflict(figures("35.7%"), figures("35.2%"))
    assert not conflict(figures("15%"), figures("2009"))


def test_bounds_and_approximations_are_no_disagreement() -> None:
    assert [f.bound for f in figures("وسجلت محطات الرصد أكثر من 20 هزة ارتدادية.")] == ["min"]
    assert [f.bound for f in figures("Some 45 patients were transferred")] == ["about"]
    assert [f.bound for f in figures("ويقدر العجز بنحو 2.1 مليار دينار")] == ["about"]  # "بـ" glued
    assert not conflict(figures("At least 57 buildings collapsed"), figures("60 buildings collapsed"))
    assert conflict(figures("57 buildings collapsed"), figures("60 buildings collapsed"))
    assert not conflict(figures("نحو 50 جنيها"), figures("48.5 جنيها"))
    assert conflict(figures("نحو 50 جنيها"), figures("40 جنيها"))
    assert conflict(figures("أكثر من 20 هزة"), figures("18 هزة"))  # under the bound


def test_vague_quantities_share_an_order_of_magnitude() -> None:
    from marsad.compare.numbers import magnitudes

    assert magnitudes("وتبعت الزلزال عشرات الهزات الارتدادية.") == {10}
    assert magnitudes("وسجلت محطات الرصد أكثر من 20 هزة ارتدادية.") == {10}
    assert magnitudes("Dozens of aftershocks followed.") == {10}
    assert magnitudes("خرج عشرات الآلاف إلى الشوارع") == {10_000}
    assert magnitudes("قتل 3 آلاف شخص") == set()  # a figure, not a vague quantity
    assert magnitudes("قتل 31 شخصا") == set()  # an exact figure has no order of magnitude of its own


def test_days_named_relative_to_the_article() -> None:
    from datetime import datetime

    from marsad.compare.numbers import days

    sunday = datetime(2015, 8, 2, 20, 0)
    assert [f.value for f in days("تستأنف الشركة التداول اليوم الأحد", sunday)] == ["2015-08-02"]
    assert [f.value for f in days("وتستأنف غداً", sunday)] == ["2015-08-03"]
    assert [f.value for f in days("Trading resumes tomorrow.", sunday)] == ["2015-08-03"]
    assert [f.value for f in days("وكان قد وصل أمس الأول", sunday)] == ["2015-07-31"]
    assert days("قالت صحيفة اليوم إن", sunday) == []  # the outlet, not the day
    assert days("وفي اليوم التالي", sunday) == []
    assert days("تستأنف اليوم", None) == []
    # today against tomorrow, written the same day: a disagreement
    assert conflict(days("تستأنف التداول اليوم", sunday), days("تستأنف التداول غدا", sunday))
    # the same day named from two days of writing: none
    assert not conflict(days("تستأنف اليوم", sunday), days("تستأنف غدا", datetime(2015, 8, 1, 9)))
    # "at dawn today" / "at dawn yesterday" stamped the same day: a print edition or a fetch time, not a clash
    assert not conflict(days("فجر اليوم", sunday), days("فجر أمس", sunday))


def test_claims_flag_a_day_named_differently() -> None:
    from datetime import UTC, datetime

    def article(aid: str, when: str) -> Article:
        body = (
            f"أعلنت هيئة السوق المالية أن تداول أسهم الشركة يستأنف {when} بعد تعليقه ثلاثة أيام.\n"
            "وكانت الهيئة قد علقت التداول بسبب تأخر الشركة في نشر نتائجها المالية."
        )
        return Article(
            aid, None, aid, "استئناف التداول", body, tuple(body.split("\n")),
            published=datetime(2015, 8, 2, 9, tzinfo=UTC), language="ar",
        )  # fmt: skip

    comp = compare_articles([article("a", "اليوم"), article("b", "غدا"), article("c", "غداً")])
    (clash,) = comp.disagreements
    assert {v.value: set(v.docs) for v in clash.versions} == {"2015-08-02": {"a"}, "2015-08-03": {"b", "c"}}


def test_claims_inflation_figure_carried_across_languages_and_disputed() -> None:
    comp = story("cbe-rate")
    inflation = next(c for c in comp.claims if "35.7%" in next(iter(c.texts.values())))
    assert set(inflation.outlets) == {"cbe-rate-ar1", "cbe-rate-ar2", "cbe-rate-en", "cbe-rate-fr"}
    assert set(inflation.languages) == {"ar", "en", "fr"}
    assert inflation.first == "cbe-rate-en"  # published 09:15, before the Arabic and French reports
    assert "35.7%" not in texts_of(comp, comp.adds["cbe-rate-ar1"])
    clash = next(d for d in comp.disagreements if d.claim == inflation.id)
    values = {v.value: set(v.docs) for v in clash.versions}
    assert values == {"35.7%": {"cbe-rate-ar1", "cbe-rate-en", "cbe-rate-fr"}, "35.2%": {"cbe-rate-ar2"}}
    assert [d.kind for d in comp.disagreements] == ["number"]  # no quote put in another mouth


def test_claims_entities_joined_across_scripts() -> None:
    comp = story("cbe-rate")
    assert "Banque centrale d'Égypte" not in comp.unique_entities["cbe-rate-fr"]
    assert "Abdalla" not in comp.unique_entities["cbe-rate-en"]
    assert not any("حسن" in n for n in comp.unique_entities["cbe-rate-ar1"])


def test_claims_yemen_story_adds_and_omits() -> None:
    comp = story("yemen-truce")
    assert "الرياض الأسبوع المقبل" in texts_of(comp, comp.adds["yemen-truce-ar1"])
    assert "أسيرا" in texts_of(comp, comp.adds["yemen-truce-ar2"])
    assert comp.unique["yemen-truce-ar1"] == [
        "ومن المقرر أن تستأنف المحادثات بين الطرفين في الرياض الأسبوع المقبل."
    ]
    # ar2 leaves out the envoy's quote that the two others carry
    assert "تسوية سياسية شاملة" in texts_of(comp, comp.omits["yemen-truce-ar2"])


def test_claims_toll_and_speaker_disagreements() -> None:
    comp = story("rayhan-quake")
    kinds = {d.kind: d for d in comp.disagreements}
    toll = {v.value: set(v.docs) for v in kinds["number"].versions}
    assert toll["34"] == {"rayhan-quake-ar2"}
    speaker = [v.value for v in kinds["speaker"].versions]
    # two people, each once (سامر حداد and Samer Haddad are one version)
    assert len(speaker) == 2
    assert any(may_be_same_person(s, "سامر حداد") for s in speaker)
    assert any(may_be_same_person(s, "نبيل عيسى") for s in speaker)


def test_claims_json_contract() -> None:
    out = story("yemen-truce").to_json()
    for key in ("documents", "pairs", "unique", "quotes", "first_reported", "agencies", "entities"):
        assert key in out
    claim = out["claims"][0]
    assert set(claim) >= {"id", "kind", "speaker", "outlets", "languages", "first", "texts", "numbers"}
    assert set(out["adds"]) == set(out["omits"]) == {d["id"] for d in out["documents"]}
    ids = {c["id"] for c in out["claims"]}
    assert all(cid in ids for v in out["adds"].values() for cid in v)


@pytest.fixture(scope="module")
def seed_pair() -> Comparison:
    path = ROOT.parent / "shared" / "seeds"
    if not (path / "000_f462c494be0ac3b8.txt").exists():
        pytest.skip(f"seed documents not found at {path}")
    articles = []
    for name in ("000_f462c494be0ac3b8.txt", "003_78029ccb64208adf.txt"):
        raw = next(iter(read_paths([str(path / name)], max_bytes=10**7)))
        articles.append(extract(raw))  # type: ignore[arg-type]
    return compare_articles(articles)


def _claim_with(comp: Comparison, fragment: str) -> Any:
    return next(c for c in comp.claims if any(fragment in t for t in c.texts.values()))


def test_seed_lavrov_not_paired_with_the_pyd_announcement(seed_pair: Comparison) -> None:
    lavrov = _claim_with(seed_pair, "أعلن وزير الخارجية الروسي سيرغي لافروف")
    assert not any("ممثل حزب الاتحاد الديمقراطي" in t for t in lavrov.texts.values())
    b = seed_pair.documents[1].id
    assert "ممثل حزب الاتحاد الديمقراطي" in texts_of(seed_pair, seed_pair.adds[b])


def test_seed_folded_quote_joins_both_statements(seed_pair: Comparison) -> None:
    # 003 folds two statements into one quote; 000 gives them apart: both of 000's join 003's one
    claim = _claim_with(seed_pair, "لا أدري ما إذا كانت التقارير")
    assert any("لا أستطيع تأكيد" in t for t in claim.texts.values())
    assert any("مستعدون لمثل هذا التنسيق" in t for t in claim.texts.values())
    a = seed_pair.documents[0].id
    assert "لا أدري" not in texts_of(seed_pair, seed_pair.adds[a])


def test_seed_defence_ministries_sentence_is_shared(seed_pair: Comparison) -> None:
    # 000 gives in two sentences ("وأكد لافروف أن ..." then "وقال إن وزارتي الدفاع ...") what 003 says in
    # one ("..., مضيفا أن عسكريي البلدين يبحثون ..."): the second goes on with Lavrov's speech and joins
    claim = _claim_with(seed_pair, "وزارتي الدفاع في البلدين")
    assert any("عسكريي البلدين" in t for t in claim.texts.values())
    assert any("اتفقتا على تنسيق العمليات العسكرية" in t for t in claim.texts.values())
    a = seed_pair.documents[0].id
    assert "وزارتي الدفاع" not in texts_of(seed_pair, seed_pair.adds[a])


def test_seed_lavrov_quotes_paired_across_wordings(seed_pair: Comparison) -> None:
    # the same four Lavrov statements in the two wordings; 003 folds two of 000's quotes into one
    found = [(p.a.text, p.b.text) for p in seed_pair.pairs if p.kind == "quote"]
    for a, b in [
        ("أقول بكل ثقة", "لا أستطيع تأكيد"),
        ("لا أدري ما إذا", "لا أستطيع تأكيد"),
        ("نحن مقتنعون", "نحن على قناعة"),
        ("لم نتوصل إلى اتفاق", "إننا توصلنا"),
    ]:
        assert any(x.startswith(a) and y.startswith(b) for x, y in found), (a, b)
    assert all("إبراهيم" not in (p.a.speaker or "") + (p.b.speaker or "") for p in seed_pair.pairs)


@pytest.mark.slow
def test_claims_gold_floors() -> None:
    from marsad.compare import CompareConfig
    from marsad.embed import UsemEmbedder

    bench = _bench()
    stories = bench.load_stories()
    embedder = UsemEmbedder()

    def part(split: str, real: bool) -> dict[str, Any]:
        chosen = [s for s in stories if s["split"] == split and (s.get("added") == "events-dev") is real]
        return dict(bench.run(chosen, embedder, CompareConfig()))

    tune, unseen = part("tune", False), part("unseen", False)
    # measured (bench/bench_claims.py --unseen) on the written stories, with round3 in the gold
    # (sidra-water, municipal-vote tune; jafr-bus unseen), continuation sentences joined, number words as
    # anchors, claim_link 0.33, a sentence stating two claims carried in both (also_link 0.45) and no
    # merge of a unit averaging under unit_link 0.20 with the other group: tune pairs P 0.938 R 0.938
    # (0.938 / 0.932 with one claim per sentence), unique P 0.917 R 0.917, disagreements P 0.875 R 0.778
    # (the chairman's quote credited to a spokeswoman the recognizer types as an organisation is missed,
    # and the dam figure is flagged on a claim that also holds the rationing lead); unseen pairs P 0.919
    # R 0.944, unique P 0.812 R 0.929, disagreements P 1.0 R 1.0.
    assert tune["claim_pairs"]["p"] >= 0.93 and tune["claim_pairs"]["r"] >= 0.93
    assert tune["unique_claims"]["p"] >= 0.91 and tune["unique_claims"]["r"] >= 0.91
    assert unseen["claim_pairs"]["p"] >= 0.91 and unseen["claim_pairs"]["r"] >= 0.94
    assert unseen["unique_claims"]["p"] >= 0.80 and unseen["unique_claims"]["r"] >= 0.92
    assert tune["disagreements"]["p"] >= 0.87 and tune["disagreements"]["r"] >= 0.77
    assert unseen["disagreements"]["p"] >= 0.99 and unseen["disagreements"]["r"] >= 0.99
    if bench.EVENTS_DEV.exists():  # the real events-dev stories (texts in ../shared/data)
        real_tune, real_unseen = part("tune", True), part("unseen", True)
        # measured with datelines kept out of the matching, a line repeating the headline in its lead's
        # claim and never added, also_link 0.45, unit_link 0.20: tune (taawon-nice, duma-condemnation,
        # madinah-election-meeting) pairs P 0.940 R 0.877, unique P 1.0 R 1.0 (the base: 0.948 / 0.744,
        # 0.917 / 0.917); unseen (seven stories) pairs P 0.889 R 0.779, unique P 0.903 R 0.966 (the base:
        # 0.876 / 0.690, 0.848 / 0.966).
        # issue 18 (bench/bench_claims.py --unseen --fresh): with the acronym and attribution-tail splitter
        # fixes, bounded figures, orders of magnitude and plural stems, tune and unseen unchanged; the fresh
        # split (six stories labelled after the rest, measured on main before any change and at the end):
        # pairs P 0.923 R 0.623 (main 0.938 / 0.458), unique P 0.640 R 0.842 (main the same), disagreements
        # 0 of 2 (main the same).
        assert real_tune["claim_pairs"]["p"] >= 0.93 and real_tune["claim_pairs"]["r"] >= 0.87
        assert real_tune["unique_claims"]["p"] >= 0.99 and real_tune["unique_claims"]["r"] >= 0.99
        assert real_unseen["claim_pairs"]["p"] >= 0.88 and real_unseen["claim_pairs"]["r"] >= 0.77
        assert real_unseen["unique_claims"]["p"] >= 0.90 and real_unseen["unique_claims"]["r"] >= 0.96
        fresh = part("fresh", True)
        assert fresh["claim_pairs"]["p"] >= 0.92 and fresh["claim_pairs"]["r"] >= 0.62
        assert fresh["unique_claims"]["p"] >= 0.63 and fresh["unique_claims"]["r"] >= 0.84
    if bench.SEMEVAL.exists():  # two real SemEval pairs (en, fr) in the fresh split: P 0.857 R 0.375,
        # unique P 0.812 R 0.929 (14 unique sentences), main the same
        sem = dict(bench.run([s for s in stories if s.get("added") == "semeval"], embedder, CompareConfig()))
        assert sem["claim_pairs"]["p"] >= 0.85 and sem["claim_pairs"]["r"] >= 0.37
        assert sem["unique_claims"]["p"] >= 0.80 and sem["unique_claims"]["r"] >= 0.92


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("عين اليوم – الرياض", True),  # a dateline (dev-195)
        ("Reuters, Cairo", True),
        ("الرئيس التركي رجب طيب أردوغان", False),  # five words: read as a sentence
        ("Schools stayed shut.", False),  # a short sentence, closed
        ("وقتل اثنان منهم.", False),
    ],
)
def test_is_fragment_tells_datelines_from_short_sentences(line: str, fragment: bool) -> None:
    from marsad.compare.boilerplate import is_fragment

    assert is_fragment(line) is fragment


@pytest.mark.parametrize(
    ("title", "sentence", "restates"),
    [
        (
            "المملكة تعرب عن إدانتها للجريمة البشعة التي أدت إلى حرق رضيع فلسطيني",
            "رابط الخبر بصحيفة الوئام: المملكة تعرب عن إدانتها للجريمة البشعة التي أدت إلى حرق رضيع فلسطيني",
            True,
        ),
        (
            "المملكة تعرب عن إدانتها للجريمة البشعة التي أدت إلى حرق رضيع فلسطيني",
            "وطالب معاليه المجتمع الدولي بالاضطلاع بمسؤولياته لحماية الفلسطينيين",
            False,
        ),
        ("Floods", "Floods hit the north.", False),  # a one-word headline says too little to tell
    ],
)
def test_restates_title_finds_the_headline_repeated(title: str, sentence: str, restates: bool) -> None:
    from marsad.compare.boilerplate import restates_title

    assert restates_title(title, sentence) is restates


def test_claims_link_line_and_dateline_not_added() -> None:
    """A story whose outlets add a dateline and a 'link to the story' line: neither takes the place of
    the lead in the matching, and the link line is not what its outlet adds."""
    arts = [
        _article("a", "موقع أ", "المملكة تدين حرق رضيع فلسطيني على يد مستوطنين", [
            "عين اليوم – الرياض",
            "أدانت المملكة بأشد العبارات الجريمة الإرهابية التي نفذها مستوطنون إسرائيليون"
            " وأدت إلى حرق رضيع فلسطيني.",
            "وطالب وزير الخارجية المجتمع الدولي بحماية الفلسطينيين من اعتداءات المستوطنين.",
        ]),
        _article("b", "موقع ب", "المملكة تدين الجريمة البشعة بحق رضيع فلسطيني", [
            "الرياض - واس: أدانت المملكة العربية السعودية بأشد العبارات الجريمة الإرهابية البشعة"
            " التي أدت إلى حرق رضيع فلسطيني على يد مستوطنين.",
            "ودعا وزير الخارجية المجتمع الدولي إلى حماية الفلسطينيين من الممارسات العدوانية للمستوطنين.",
            "رابط الخبر بصحيفة ب: المملكة تدين الجريمة البشعة بحق رضيع فلسطيني",
        ]),
    ]  # fmt: skip
    comp = compare_articles(arts, config=CompareConfig(use_embeddings=False))
    lead = next(c for c in comp.claims if any("أدانت المملكة" in t for t in c.texts.values()))
    assert set(lead.outlets) == {"a", "b"}
    assert all("رابط الخبر" not in t for t in comp.unique["b"])


@pytest.mark.parametrize(
    ("a", "b", "family"),
    [
        ("لا أدري ما إذا كانت التقارير", "لا أستطيع تأكيد الأنباء", "~news"),
        ("بدأت واقعية", "تتناسب مع الواقع", "~real"),
        ("وزارتي الدفاع تدرسان", "عسكريي البلدين يبحثون", "~study"),
        ("مقتل 31 شخصا", "سقوط 31 قتيلا", "~kill"),
    ],
)
def test_features_share_a_near_synonym_family(a: str, b: str, family: str) -> None:
    from marsad.compare.scoring import features

    assert family in features(a) & features(b)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("حسن عبد الله", "Abdalla", True),  # an ʿAbd- compound is one name, as the Latin spelling writes it
        ("حسن عبد الله", "Hassan Abdallah", True),
        ("عبد العزيز", "Abd al-Aziz", True),
        ("الملك عبد الله الثاني", "Abdullah", True),
        ("حسن عبد الله", "Hassan Nasrallah", False),
        ("عبد الله", "عبد العزيز", False),
    ],
)
def test_may_be_same_person_reads_abd_compounds(a: str, b: str, same: bool) -> None:
    assert may_be_same_person(a, b) is same


def test_claims_one_key_for_a_minister_named_by_first_name_in_english() -> None:
    comp = story("amal-fire")  # the English and French recognizers give "Sami" for سامي الحلبي
    quote = next(c for c in comp.claims if any("العناية المركزة" in t for t in c.texts.values()))
    assert {"amal-fire-ar1", "amal-fire-en"} <= set(quote.outlets)
    assert [d for d in comp.disagreements if d.kind == "speaker"] == []


@pytest.mark.parametrize(
    ("sentence", "goes_on"),
    [
        ("وأضاف أن الضخ سيعود إلى طبيعته مع أول موجة أمطار.", True),
        ("وقال إن وزارتي الدفاع في البلدين تدرسان كيفية تنسيق التحركات.", True),
        ("He added that the plant would open in 2027.", True),
        ("Il a ajouté que l'enquête était ouverte.", True),
        ("وقال لافروف إن موسكو مستعدة.", False),  # the speaker is named: not a continuation
        ("وأكد المهندس نادر السويدي أن التقنين لن يستمر طويلا.", False),
        ("وقالت مصادر طبية إن الحصيلة ارتفعت.", False),
    ],
)
def test_goes_on_speaking_needs_the_verb_and_its_complement(sentence: str, goes_on: bool) -> None:
    assert goes_on_speaking(sentence) is goes_on


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("وتستوعب المخيمات نحو ألفي شخص", ["2000"]),
        ("وأعلنت الحكومة الحداد لثلاثة أيام", ["3"]),
        ("نزح ثلاثة آلاف شخص", ["3000"]),
        ("سقط خمسة وعشرون قتيلا", ["25"]),
        ("around two thousand people", ["2000"]),
        ("deux mille personnes", ["2000"]),
        ("وتبعت الزلزال عشرات الهزات", []),  # dozens: no figure
    ],
)
def test_word_numbers_give_the_figure_a_digit_would(text: str, numbers: list[str]) -> None:
    from marsad.compare.numbers import word_numbers
    from marsad.text.tokens import tokenize

    assert word_numbers(tokenize(text)) == numbers


def test_claims_sentence_stating_two_claims_carried_in_both() -> None:
    # budget-vote-ar2 quotes the minister on subsidies and the embassy cut in one sentence; the English
    # outlet gives them apart: the sentence is in both claims (many-to-many), so ar2 omits neither and
    # the cut is not what the English outlet adds.
    comp = story("budget-vote")
    folded = {c.id for c in comp.claims if 2 in c.units.get("budget-vote-ar2", [])}
    subsidies = next(c for c in comp.claims if any("protects subsidies" in t for t in c.texts.values()))
    embassies = next(c for c in comp.claims if any("embassies by 10%" in t for t in c.texts.values()))
    assert subsidies.id != embassies.id
    assert {subsidies.id, embassies.id} <= folded
    assert embassies.id not in comp.adds["budget-vote-en"]


def test_group_units_folded_sentence_carries_both_claims_apart() -> None:
    """Article 0 states x and y in one sentence, article 1 states x, article 2 states y: x and y stay two
    claims (1's and 2's sentences score 0.05 together), and 0's sentence is in both."""
    import numpy as np

    from marsad.compare.claims import Edge, group_units

    def one(v: float) -> Any:
        return np.array([[v]])

    scores = {(0, 1): one(0.7), (0, 2): one(0.68), (1, 2): one(0.05)}
    edges = [Edge(0.7, (0, 0), (1, 0)), Edge(0.68, (0, 0), (2, 0))]
    merged = group_units([1, 1, 1], scores, edges, 0.33, 0.55, 0.45)
    assert sorted(merged) == [[(0, 0), (1, 0), (2, 0)]]  # one weak link chains them (no unit_link)
    apart = group_units([1, 1, 1], scores, edges, 0.33, 0.55, 0.45, also_link=0.4, unit_link=0.2)
    assert sorted(apart) == [[(0, 0), (1, 0)], [(0, 0), (2, 0)]]
