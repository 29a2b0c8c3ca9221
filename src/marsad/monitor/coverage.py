"""Who covered a story (the countries and kinds of its registered outlets) and who stayed silent.

An outlet is *silent* on a story when it did not cover it although, in the store's history around the
story (`window_days` on either side), it usually covers what the story is about:
- its region: at least `min_peers` outlets of its own country covered the story, and it covered at
  least `min_share` (and at least `min_stories`) of the other stories those same outlets covered;
- or its entities: for one of the story's main entities (named in at least two of its articles), it
  covered at least `min_share` (and at least `min_stories`) of the other stories naming that entity.
Only registered outlets are judged (the registry says which country an outlet belongs to). Each
silence carries the reasons, with their counts, so a reader can weigh it. A story the clusterer split
in two can make an outlet look silent on one half: the reasons say which stories it did cover.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from marsad.monitor.outlets import Outlet, OutletRegistry
from marsad.store import Store


@dataclass(slots=True, frozen=True)
class SilenceSettings:
    """How "usually covers" is decided (see the module docstring)."""

    window_days: float = 90.0
    min_stories: int = 2
    min_share: float = 0.5
    min_peers: int = 2

    def __post_init__(self) -> None:
        if self.window_days <= 0 or self.min_stories < 1 or self.min_peers < 1:
            raise ValueError("window_days must be > 0, min_stories and min_peers >= 1")
        if not 0.0 < self.min_share <= 1.0:
            raise ValueError(f"min_share must be in (0, 1], got {self.min_share}")


@dataclass(slots=True, frozen=True)
class SilenceReason:
    """Why an outlet counts as silent: it covered `covered` of the `total` other stories around this
    one that its region's peers covered (`basis` "region": `about` names the peers, `country` theirs)
    or that name one of the story's main entities (`basis` "entity": `about` is the entity's name).
    Structured, so each interface language words it; `text` is the English wording of the JSON."""

    covered: int
    total: int
    basis: str
    about: str
    country: str = ""
    peers: tuple[str, ...] = ()  # basis "region": the peers' outlet ids

    @property
    def text(self) -> str:
        what = (
            f"that {self.about} ({self.country}) covered"
            if self.basis == "region"
            else f"naming {self.about}"
        )
        return f"covered {self.covered} of the {self.total} other stories {what}"

    def to_json(self) -> dict[str, Any]:
        return {
            "covered": self.covered,
            "total": self.total,
            "basis": self.basis,
            "about": self.about,
            "country": self.country,
            "peers": list(self.peers),
        }


@dataclass(slots=True, frozen=True)
class Silence:
    outlet: Outlet
    reasons: tuple[SilenceReason, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.outlet.to_json(),
            "reasons": [r.text for r in self.reasons],
            "why": [r.to_json() for r in self.reasons],
        }


@dataclass(slots=True)
class StoryCoverage:
    """The registered outlets that covered a story, grouped by country and kind, the outlets the
    registry does not know, and the silences."""

    story_id: str
    outlets: dict[str, int] = field(default_factory=dict)  # outlet id -> articles in the story
    countries: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, list[str]] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)  # outlet label -> articles
    silences: list[Silence] = field(default_factory=list)

    def to_json(self, registry: OutletRegistry) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "outlets": [
                {**registry.outlets[i].to_json(), "articles": n} for i, n in sorted(self.outlets.items())
            ],
            "countries": self.countries,
            "kinds": self.kinds,
            "unknown": [{"outlet": k, "articles": n} for k, n in sorted(self.unknown.items())],
            "silences": [s.to_json() for s in self.silences],
        }


def _label(outlet: str | None, url: str | None) -> str:
    if outlet:
        return outlet
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or "(unnamed)"


def _utc(iso: str) -> datetime:
    """An ISO time from the store as an aware UTC datetime (a naive one is taken as UTC)."""
    moment = datetime.fromisoformat(iso)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _span(store: Store, story_id: str) -> tuple[datetime, datetime] | None:
    row = store.conn.execute(
        "SELECT min(coalesce(a.published, d.ingested_at)), max(coalesce(a.published, d.ingested_at))"
        " FROM story_members m JOIN articles a ON a.id = m.article_id JOIN documents d ON d.id = a.id"
        " WHERE m.story_id = ?",
        (story_id,),
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return _utc(row[0]), _utc(row[1])


def _covered(
    store: Store, registry: OutletRegistry, start: datetime, end: datetime
) -> dict[str, dict[str, int]]:
    """story id -> {outlet id: articles} for registered outlets, over articles dated in [start, end]."""
    rows = store.conn.execute(
        "SELECT m.story_id, a.outlet, a.url, coalesce(a.published, d.ingested_at) AS at"
        " FROM story_members m JOIN articles a ON a.id = m.article_id JOIN documents d ON d.id = a.id"
    )
    stories: dict[str, dict[str, int]] = defaultdict(dict)
    for story_id, outlet, url, at in rows:
        if not start <= _utc(at) <= end:
            continue
        found = registry.resolve(outlet, url)
        if found is not None:
            stories[story_id][found.id] = stories[story_id].get(found.id, 0) + 1
    return stories


def _main_entities(store: Store, story_id: str) -> dict[str, str]:
    """key -> display name of the person, place and organisation keys named in 2+ of the story's
    articles (in all of them when it has one)."""
    size = store.conn.execute(
        "SELECT count(*) FROM story_members WHERE story_id = ?", (story_id,)
    ).fetchone()[0]
    rows = store.conn.execute(
        "SELECT mm.key, max(mm.name), count(DISTINCT mm.article_id) AS n FROM mentions mm"
        " JOIN story_members m ON m.article_id = mm.article_id WHERE m.story_id = ? AND mm.kind != 'agency'"
        " GROUP BY mm.key HAVING n >= ?",
        (story_id, min(2, int(size))),
    ).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def _stories_naming(store: Store, key: str) -> set[str]:
    rows = store.conn.execute(
        "SELECT DISTINCT m.story_id FROM mentions mm JOIN story_members m ON m.article_id = mm.article_id"
        " WHERE mm.key = ?",
        (key,),
    )
    return {str(r[0]) for r in rows}


def story_coverage(
    store: Store, story_id: str, registry: OutletRegistry, settings: SilenceSettings | None = None
) -> StoryCoverage | None:
    """Coverage and silences of `story_id`, or None when the store has no such story."""
    settings = settings or SilenceSettings()
    span = _span(store, story_id)
    if span is None:
        return None
    coverage = StoryCoverage(story_id)
    for outlet, url in store.conn.execute(
        "SELECT a.outlet, a.url FROM story_members m JOIN articles a ON a.id = m.article_id"
        " WHERE m.story_id = ?",
        (story_id,),
    ):
        found = registry.resolve(outlet, url)
        if found is None:
            label = _label(outlet, url)
            coverage.unknown[label] = coverage.unknown.get(label, 0) + 1
        else:
            coverage.outlets[found.id] = coverage.outlets.get(found.id, 0) + 1
    for outlet_id in sorted(coverage.outlets):
        entry = registry.outlets[outlet_id]
        coverage.countries.setdefault(entry.country, []).append(outlet_id)
        coverage.kinds.setdefault(entry.kind, []).append(outlet_id)

    window = timedelta(days=settings.window_days)
    history = _covered(store, registry, span[0] - window, span[1] + window)
    history.pop(story_id, None)
    by_outlet: dict[str, set[str]] = defaultdict(set)
    for sid, outlets in history.items():
        for outlet_id in outlets:
            by_outlet[outlet_id].add(sid)
    reasons: dict[str, list[SilenceReason]] = defaultdict(list)

    def usual(
        outlet_id: str,
        stories: set[str],
        basis: str,
        about: str,
        country: str = "",
        peers: tuple[str, ...] = (),
    ) -> None:
        if outlet_id in coverage.outlets or not stories:
            return
        share = len(by_outlet[outlet_id] & stories)
        if share >= settings.min_stories and share / len(stories) >= settings.min_share:
            reasons[outlet_id].append(SilenceReason(share, len(stories), basis, about, country, peers))

    # Region: the outlets of one country that covered the story, and what else they covered.
    for country, peers in coverage.countries.items():
        if len(peers) < settings.min_peers:
            continue
        peer_stories = set().union(*(by_outlet[p] for p in peers))
        names = ", ".join(registry.outlets[p].name for p in peers)
        for outlet in registry.outlets.values():
            if outlet.country == country:
                usual(outlet.id, peer_stories, "region", names, country, tuple(peers))
    # Entities: the stories naming one of the story's main entities.
    for key, name in sorted(_main_entities(store, story_id).items()):
        naming = _stories_naming(store, key) & set(history)
        for outlet_id in by_outlet:
            usual(outlet_id, naming, "entity", name)
    coverage.silences = [
        Silence(registry.outlets[i], tuple(r)) for i, r in sorted(reasons.items(), key=lambda kv: kv[0])
    ]
    return coverage


def outlet_timeline(
    store: Store, registry: OutletRegistry, outlet_id: str, *, since: str | None = None
) -> list[dict[str, Any]]:
    """Per UTC day (publication, else ingest date): the articles of a registered outlet and the stories
    they went to, oldest first; `since` an ISO date. Raises KeyError for an unknown outlet id."""
    outlet = registry.outlets[outlet_id]
    # Narrow in SQL to the articles that can be this outlet (its names, its domains), then resolve
    # each exactly: a domain's LIKE also catches other sites whose URL merely contains it.
    names = [n for n in (outlet.name, outlet.name_ar, *outlet.aliases) if n]
    where = " OR ".join(
        ["a.outlet IN (" + ",".join("?" * len(names)) + ")"] + ["a.url LIKE ?"] * len(outlet.domains)
    )
    params = [*names, *(f"%{d.split('/')[0]}%" for d in outlet.domains)]
    rows = store.conn.execute(
        "SELECT a.outlet, a.url, coalesce(a.published, d.ingested_at) AS at, m.story_id FROM articles a"
        f" JOIN documents d ON d.id = a.id LEFT JOIN story_members m ON m.article_id = a.id WHERE {where}",
        params,
    )
    days: dict[str, tuple[int, set[str]]] = {}
    for name, url, at, story_id in rows:
        found = registry.resolve(name, url)
        if found is None or found.id != outlet_id:
            continue
        day = _utc(at).date().isoformat()
        if since and day < since[:10]:
            continue
        count, stories = days.get(day, (0, set()))
        days[day] = (count + 1, stories | ({story_id} if story_id else set()))
    return [{"day": d, "articles": n, "stories": len(s)} for d, (n, s) in sorted(days.items())]
