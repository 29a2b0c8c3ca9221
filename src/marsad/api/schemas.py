"""The typed shapes the API returns and accepts (they make the OpenAPI schema); the web pages use them too."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ComparisonStatus = Literal["ok", "unavailable", "skipped", "error"]
FirstReportedBasis = Literal["published", "agency", "fetched"]


class StorySummaryOut(BaseModel):
    id: str
    title: str | None
    size: int
    outlets: list[str]
    languages: list[str]
    first_published: str | None
    last_published: str | None
    articles: list[str] = Field(description="Article ids, earliest first.")
    unnamed_sources: int = Field(default=0, description="Articles whose outlet is not known.")


class StoryListOut(BaseModel):
    total: int
    limit: int
    offset: int
    order: str
    next_offset: int | None
    items: list[StorySummaryOut]


class StorylineEventOut(BaseModel):
    id: str = Field(description="A story (one event) of the storyline.")
    title: str | None
    size: int
    first_published: str | None
    last_published: str | None


class StorylineOut(BaseModel):
    id: str
    title: str | None
    size: int = Field(description="Articles over all its stories.")
    first_published: str | None
    last_published: str | None
    stories: list[StorylineEventOut] = Field(description="Its stories in time order: the timeline.")


class StorylineListOut(BaseModel):
    limit: int
    offset: int
    items: list[StorylineOut]


class ArticleBrief(BaseModel):
    id: str
    label: str = Field(description="Outlet, else host or file name: what the UI calls this source.")
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None
    url: str | None
    agencies: list[str]


class TimelineEntry(BaseModel):
    article_id: str
    label: str
    title: str | None
    at: str | None
    basis: Literal["published", "fetched", "ingested"] = Field(
        description="Which time `at` is: the stated publication time, else when it was fetched or ingested."
    )


class SideOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    doc: str
    text: str
    speaker: str | None = None


class PairOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    kind: str
    a: SideOut
    b: SideOut
    score: float | None = None
    group: int | None = Field(
        default=None,
        description="Pairs of one alignment share it: two pairs share a group when one source says in"
        " one sentence what the other says in two (a split).",
    )


class QuoteOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    doc: str
    speaker: str | None = None
    text: str


class ClaimOut(BaseModel):
    """One statement of a story once, with the outlets carrying it and their wording."""

    model_config = ConfigDict(extra="allow")
    id: str
    kind: str = Field(description='"quote" when it carries a direct quote, else "sentence".')
    speaker: str | None = None
    outlets: list[str] = Field(description="Ids of the articles carrying it.")
    languages: list[str] = []
    first: str | None = Field(default=None, description="The article that published it earliest.")
    texts: dict[str, str] = Field(default={}, description="Its wording per article id.")
    numbers: dict[str, list[str]] = {}
    speakers: dict[str, str] = {}


class VersionOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    docs: list[str]
    text: str
    value: str


class DisagreementOut(BaseModel):
    """Outlets carrying one claim with different figures ("number") or speakers ("speaker")."""

    model_config = ConfigDict(extra="allow")
    claim: str
    kind: str
    versions: list[VersionOut]


class ComparisonOut(BaseModel):
    """The `marsad compare --story ID` JSON contract (extra fields kept as they come)."""

    model_config = ConfigDict(extra="allow")
    documents: list[Any] = []
    pairs: list[PairOut] = []
    unique: dict[str, list[str]] = {}
    quotes: list[QuoteOut] = []
    first_reported: Any = None
    first_reported_basis: str | None = None
    agencies: dict[str, list[str]] = {}
    claims: list[ClaimOut] = []
    adds: dict[str, list[str]] = Field(default={}, description="Claim ids only this article carries.")
    omits: dict[str, list[str]] = Field(
        default={}, description="Claim ids most of the other articles carry and this one does not."
    )
    disagreements: list[DisagreementOut] = []


class EntityOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str
    key: str | None = None
    kind: str | None = None
    count: int = 1


class StoryDetailOut(BaseModel):
    story: StorySummaryOut
    articles: list[ArticleBrief]
    timeline: list[TimelineEntry]
    first_reported: str | None = Field(description="Article id reported first, when it can be told.")
    first_reported_basis: FirstReportedBasis | None = Field(
        default=None,
        description="How that was told: stated publication times, an agency credit (the only source"
        " crediting a wire the others do not cite), or fetch times (feeds without publication times).",
    )
    first_reported_note: str | None = Field(
        default=None, description="The basis of `first_reported` in words, for people."
    )
    entities: list[EntityOut]
    quotes: list[QuoteOut]
    comparison: ComparisonOut | None
    comparison_status: ComparisonStatus
    comparison_note: str | None = None


class CommentOut(BaseModel):
    index: int
    parent: int | None
    text: str
    author: str | None = None


DuplicateKind = Literal["exact", "near", "contained", "unique"]


class DuplicateMemberOut(BaseModel):
    id: str
    kind: DuplicateKind = Field(
        description="exact: same normalized body; near: nearly the same text; contained: one text holds"
        " the other (a wire copy inside a longer article); unique: in the group only through another member."
    )
    label: str = Field(description="Outlet, else host or file name.")
    outlet: str | None
    title: str | None
    published: str | None
    matched: str | None = Field(description="The member it was matched to, when it joined the group.")
    score: float | None
    href: str = Field(description="Its article page.")


class DuplicateGroupOut(BaseModel):
    """The duplicate group of an article: the other copies of the same text, canonical (earliest) first."""

    id: str
    canonical: str
    kind: DuplicateKind = Field(description="How this article duplicates the others.")
    size: int
    others: list[DuplicateMemberOut]


class ArticleOut(BaseModel):
    id: str
    url: str | None
    outlet: str | None
    label: str
    title: str | None
    body: str
    paragraphs: list[str]
    published: str | None
    language: str | None
    agencies: list[str]
    comments: list[CommentOut]
    comments_stated: int | None
    boilerplate: list[str]
    source: str | None
    story_id: str | None
    raw_url: str = Field(description="Where the raw input bytes are served (as plain text, never HTML).")
    duplicates: DuplicateGroupOut | None = Field(
        default=None, description="Its duplicate group, when other stored articles copy the same text."
    )


class ExcerptPart(BaseModel):
    text: str
    match: bool


class ExcerptOut(BaseModel):
    text: str
    parts: list[ExcerptPart]


class SearchHitOut(BaseModel):
    article_id: str
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None
    story_id: str | None
    score: float
    excerpt: ExcerptOut


class SearchOut(BaseModel):
    query: str
    mode: Literal["text", "meaning"]
    total: int
    limit: int
    offset: int
    items: list[SearchHitOut]
    note: str | None = None


class DocumentIn(BaseModel):
    """One document as a JSON record, the same fields `marsad ingest` reads from JSONL."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(default=None, max_length=200)
    text: str | None = Field(default=None, max_length=1_000_000)
    html: str | None = Field(default=None, max_length=2_000_000)
    title: str | None = Field(default=None, max_length=2_000)
    published: str | None = Field(default=None, max_length=64)
    outlet: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2_048)
    language: str | None = Field(default=None, max_length=16)

    @model_validator(mode="after")
    def _has_content(self) -> DocumentIn:
        if not (self.text and self.text.strip()) and not (self.html and self.html.strip()):
            raise ValueError("a document needs a non-empty 'text' or 'html'")
        return self


class IngestIn(BaseModel):
    """Exactly one of `url` (an http(s) page or feed) or `document`."""

    model_config = ConfigDict(extra="forbid")
    url: str | None = Field(default=None, max_length=2_048)
    document: DocumentIn | None = None

    @model_validator(mode="after")
    def _one_of(self) -> IngestIn:
        if (self.url is None) == (self.document is None):
            raise ValueError("send exactly one of 'url' or 'document'")
        return self


class RejectedOut(BaseModel):
    stage: str
    code: str
    record_id: str
    detail: str


class IngestedOut(BaseModel):
    article_id: str
    story_id: str | None


class IngestOut(BaseModel):
    seen: int
    added: int
    already_stored: int
    new_stories: int
    articles: list[IngestedOut]
    rejected: list[RejectedOut]


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    schema_version: int
    counts: dict[str, int]
    ingest_enabled: bool
    comparison_available: bool
    meaning_search: bool
