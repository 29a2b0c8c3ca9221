"""Direct quotes in every quote style, their speaker and verb, continuation and split quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.extract import extract
from marsad.ingest.files import read_paths
from marsad.quotes import extract_quotes, find_quoted_spans
from marsad.records import Article, RawDocument


def article(body: str, language: str = "ar") -> Article:
    return Article(
        id="q1", url=None, outlet=None, title=None, body=body, paragraphs=tuple(body.split("\n\n")),
        published=None, language=language,
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "قال “نحن هنا”.",
        "قال ”نحن هنا”.",
        'قال "نحن هنا".',
        "قال «نحن هنا».",
        "قال »نحن هنا«.",
        "il a dit « nous sommes là ».",
    ],
)
def test_find_quoted_spans_every_style(text: str) -> None:
    spans = find_quoted_spans(text)
    assert [text[s.start : s.end] for s in spans] in (["نحن هنا"], ["nous sommes là"])


def test_find_quoted_spans_never_cross_paragraphs() -> None:
    assert find_quoted_spans('قال "بداية\nنهاية"') == []


def test_extract_quotes_continuation_credits_previous_speaker() -> None:
    art = article(
        "وصرح وزير الخارجية الروسي سيرغي لافروف خلال قمة “أقول بكل ثقة إننا مستعدون لمثل هذا التنسيق”.\n\n"
        "وأضاف “بالطبع الرقة هي واحدة من أهداف التحالف ضد الإرهاب”.\n\n"
        "وتابع قائلا: “نحن مقتنعون بأن ذلك كان ممكنا قبل وقت طويل”."
    )
    quotes = extract_quotes(art)
    assert [q.speaker for q in quotes] == ["سيرغي لافروف"] * 3
    assert [q.continuation for q in quotes] == [False, True, True]
    assert quotes[1].verb == "وأضاف"


def test_extract_quotes_participle_takes_sentence_subject() -> None:
    art = article(
        "وقال إبراهيم لوكالة إنترفاكس إن الهجوم قريب.\n\n"
        'وأكد لافروف أن الرقة هدف، قائلا: "نحن على قناعة بأنه كان من الممكن تحريرها بسرعة أكبر".'
    )
    (quote,) = extract_quotes(art)
    assert quote.speaker == "لافروف" and quote.verb == "قائلا" and not quote.continuation


def test_extract_quotes_scare_quotes_are_not_quotes() -> None:
    art = article("أعلن المشروع في مدينة “الشيخ زايد” ضمن خطة “JANNA” للإسكان.")
    assert extract_quotes(art) == []


def test_extract_quotes_arabic_report_keeps_long_latin_quote() -> None:
    art = article('وقال أوباما في كلمته "We will not back down from this fight" أمام الجنود.')
    (quote,) = extract_quotes(art)
    assert quote.text == "We will not back down from this fight" and quote.speaker == "أوباما"


def test_extract_quotes_english_split_quote_joined() -> None:
    art = article(
        "Foreign Minister Sergei Lavrov met reporters in Tashkent. "
        '"We are ready for such coordination," Lavrov said, "and we will work with Washington on it."',
        language="en",
    )
    (quote,) = extract_quotes(art)
    assert quote.text.startswith("We are ready") and quote.text.endswith("on it.")
    assert quote.speaker == "Sergei Lavrov" and quote.verb == "said"


def test_extract_quotes_english_pronoun_and_after_attribution() -> None:
    art = article(
        '"There is no ground for us to be bound any longer," Kim Jong-un said.\n\n'
        '"The world will witness a new strategic weapon soon," he added.',
        language="en",
    )
    quotes = extract_quotes(art)
    assert [q.speaker for q in quotes] == ["Kim Jong-un", "Kim Jong-un"]
    assert quotes[1].continuation


def test_extract_quotes_french_guillemets() -> None:
    art = article(
        "« Nous ne soutenons pas cette idée du tout », a déclaré Sebastian Kurz à la presse.", language="fr"
    )
    (quote,) = extract_quotes(art)
    assert quote.speaker == "Sebastian Kurz" and quote.verb == "déclaré"


def test_extract_quotes_seed_003_interfax_quote(seeds_dir: Path) -> None:
    raw = next(i for i in read_paths([str(seeds_dir / "003_78029ccb64208adf.txt")], max_bytes=10**7))
    assert isinstance(raw, RawDocument)
    quotes = extract_quotes(extract(raw))
    ibrahim = [q for q in quotes if q.speaker and "إبراهيم" in q.speaker]
    assert len(ibrahim) == 1 and ibrahim[0].text.startswith("بلا شك")
    assert all("لافروف" in (q.speaker or "") for q in quotes if q is not ibrahim[0])
