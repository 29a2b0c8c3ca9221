"""Organisations from trigger heads, titles before "في X", Amman vs Oman, clean alias surfaces."""

from __future__ import annotations

import pytest

from marsad.entities import RuleEntityRecognizer, extract_entities, group_mentions
from marsad.entities.recognizer import clean_alias
from marsad.records import Article


def article(body: str, language: str = "ar") -> Article:
    return Article(
        id="o1", url=None, outlet=None, title=None, body=body, paragraphs=(body,), published=None,
        language=language,
    )  # fmt: skip


# The trigger rules read English and French text, and Arabic text when no tagger is given (the
# baseline of bench/entities.py); the Arabic tests of the rules themselves use this recognizer.
RULES = RuleEntityRecognizer()


def orgs(body: str, language: str = "ar") -> list[tuple[str, str]]:
    return [(m.name, m.rule) for m in RULES(article(body, language)) if m.kind == "org"]


def test_extract_entities_arabic_trigger_heads_with_definite_words() -> None:
    found = orgs(
        "وأعلنت وزارة الإسكان أن البنك المركزي وللبنك الأهلي ومحكمة النقض قررت، "
        "وقالت الشرطة إن هيئة المجتمعات العمرانية الجديدة بدأت الخميس."
    )
    assert found == [
        ("وزارة الإسكان", "trigger"),
        ("البنك المركزي", "trigger"),
        ("البنك الأهلي", "trigger"),
        ("محكمة النقض", "trigger"),
        ("هيئة المجتمعات العمرانية الجديدة", "trigger"),
    ]  # "الشرطة" alone is a reference, not a name; the weekday ends the phrase


def test_extract_entities_org_trigger_keeps_listed_names_and_one_key_per_spelling() -> None:
    found = orgs("قال حزب الاتحاد الديمقراطي إن جامعة القاهرة ووزارة الإسكان وبوزارة الإسكان اتفقت.")
    assert ("Democratic Union Party (PYD)", "gazetteer") in found
    assert ("جامعة القاهرة", "trigger") in found
    mentions = RULES(article("وزارة الإسكان وبوزارة الإسكان"))
    assert len({m.key for m in mentions}) == 1
    places = [m for m in RULES(article("قال رئيس جامعة القاهرة إن")) if m.kind == "place"]
    assert places == []  # Cairo inside the university's name is not a place mention


def test_extract_entities_english_capitalized_run_with_head() -> None:
    found = orgs(
        "The Supreme Court Justice Brett Kavanaugh, the Royal Canadian Mounted Police, the Ministry "
        "of Defence and the University of Toronto agreed. Police are investigating.",
        "en",
    )
    assert [n for n, _ in found] == [
        "Supreme Court",
        "Royal Canadian Mounted Police",
        "Ministry of Defence",
        "University of Toronto",
    ]


def test_extract_entities_french_head_adjectives_and_complement() -> None:
    found = orgs(
        "Il fera appel devant la Cour fédérale d'arbitrage du SPD, la Cour constitutionnelle "
        "fédérale et le Parti autrichien de la liberté d'extrême droite. Le tribunal régional a jugé.",
        "fr",
    )
    assert [n for n, _ in found] == [
        "Cour fédérale d'arbitrage",
        "SPD",  # an acronym
        "Cour constitutionnelle fédérale",
        "Parti autrichien de la liberté",
    ]


def test_extract_entities_title_then_place_then_name() -> None:
    # The title rule (the tagger reads the unknown place «رملان» as the start of the name).
    persons = RULES(article("قال وزير المالية في رملان سامي النوري إن الأسعار سترتفع."))
    named = [(m.text, m.role) for m in persons if m.kind == "person"]
    assert named == [("سامي النوري", "وزير المالية في رملان")]


def test_extract_entities_linked_name_and_accusative_title_end() -> None:
    found = [
        m.text
        for m in extract_entities(
            article("وكان رئيس الدولة المؤقت عبد القادر بن صالح عين العميد عبد الغني راشدي مديرا للمعهد.")
        )
        if m.kind == "person"
    ]
    assert found == ["عبد القادر بن صالح", "عبد الغني راشدي"]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("العسكريين الأمريكيين العاملين في العاصمة الأردنية عمان.", "geo:250441"),
        ("زار الوفد سلطنة عمان أمس.", "country:OM"),
    ],
)
def test_extract_entities_amman_or_oman_by_context(body: str, key: str) -> None:
    assert [m.key for m in extract_entities(article(body)) if m.kind == "place"] == [key]


def test_group_mentions_alias_without_dangling_quote() -> None:
    ents = group_mentions(extract_entities(article("هاجم تنظيم “الدولة الإسلامية” المدينة.")))
    isis = next(e for e in ents if e.key == "org:ISIS")
    assert isis.aliases == ["تنظيم الدولة الإسلامية"]
    assert clean_alias("«الدولة»") == "«الدولة»" and clean_alias('"Etat islamique') == "Etat islamique"


def test_extract_entities_latin_acronyms_are_organisations_but_not_units_or_shouting() -> None:
    found = orgs("CNN and ESPN said the RCMP opened an inquiry at 10 AM under Charles III.", "en")
    assert found == [("CNN", "acronym"), ("ESPN", "acronym"), ("RCMP", "acronym")]
    assert orgs("BREAKING NEWS FROM THE COURT: appeal rejected.", "en") == []


def test_extract_entities_us_states_and_continents_are_places() -> None:
    en = extract_entities(article("Wildfires spread across California and smoke reached Europe.", "en"))
    ar = extract_entities(article("وصل الدخان إلى أوروبا وأفريقيا.", "ar"))
    assert [(m.text, m.kind) for m in en] == [("California", "place"), ("Europe", "place")]
    europe = next(m.key for m in en if m.text == "Europe")
    assert len(ar) == 2 and ar[0].key == europe


def test_extract_entities_english_companies_listed_or_with_a_company_word() -> None:
    found = orgs(
        "Microsoft shares rose while Amazon said it would hire, and Greg Abbott said Tesla will expand. "
        "Acme Holdings and Ford Motor Company also grew.",
        "en",
    )
    assert [n for n, _ in found] == ["Microsoft", "Amazon", "Tesla", "Acme Holdings", "Ford Motor Company"]
    persons = [m.text for m in RULES(article("Amazon said it would hire.", "en")) if m.kind == "person"]
    assert persons == []  # a listed company before a speech verb is not its subject-person
