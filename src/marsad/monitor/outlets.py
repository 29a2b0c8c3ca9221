"""The outlet registry: who an article's outlet is (country, languages, kind), from a TOML shipped with
the package (`monitor/data/outlets.toml`, its sources documented there) and an optional user file
($MARSAD_OUTLETS) whose entries replace shipped ones with the same id or add new ones.

An article is matched to an entry by its URL (the longest matching domain, or host/path prefix for a
section of a larger site such as bbc.com/arabic), else by its outlet name (the Latin or Arabic name or
an alias, compared after marsad's normalization).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from marsad.errors import ConfigError
from marsad.text.arabic import normalize

KINDS = ("state", "public", "private", "party", "agency")
ENV_FILE = "MARSAD_OUTLETS"


@dataclass(slots=True, frozen=True)
class Outlet:
    """One registered outlet."""

    id: str
    name: str
    name_ar: str | None
    domains: tuple[str, ...]
    country: str
    languages: tuple[str, ...]
    kind: str
    aliases: tuple[str, ...] = ()
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_ar": self.name_ar,
            "domains": list(self.domains),
            "country": self.country,
            "languages": list(self.languages),
            "kind": self.kind,
            "aliases": list(self.aliases),
            "note": self.note,
        }


def _strings(entry: dict[str, Any], key: str, origin: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{origin}: outlet {entry.get('id')!r}: {key} must be a list of strings")
    return tuple(v.strip() for v in value)


def _outlet(entry: dict[str, Any], origin: str) -> Outlet:
    ident = entry.get("id")
    if not isinstance(ident, str) or not ident:
        raise ConfigError(f"{origin}: every [[outlet]] needs an id, got {entry!r:.120}")
    known = {"id", "name", "name_ar", "domains", "country", "languages", "kind", "aliases", "note"}
    unknown = set(entry) - known
    if unknown:
        raise ConfigError(
            f"{origin}: outlet {ident!r}: unknown keys {sorted(unknown)}; known: {sorted(known)}"
        )
    name, country, kind = entry.get("name"), entry.get("country"), entry.get("kind")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{origin}: outlet {ident!r} needs a name")
    if not isinstance(country, str) or len(country) != 2 or not country.isalpha():
        raise ConfigError(
            f"{origin}: outlet {ident!r}: country must be an ISO 3166 code such as SA, got {country!r}"
        )
    if kind not in KINDS:
        raise ConfigError(f"{origin}: outlet {ident!r}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    domains = tuple(d.lower().removeprefix("www.").rstrip("/") for d in _strings(entry, "domains", origin))
    name_ar = entry.get("name_ar")
    return Outlet(
        id=ident,
        name=name,
        name_ar=name_ar if isinstance(name_ar, str) and name_ar else None,
        domains=domains,
        country=country.upper(),
        languages=_strings(entry, "languages", origin),
        kind=str(kind),
        aliases=_strings(entry, "aliases", origin),
        note=str(entry["note"]) if entry.get("note") else None,
    )


def _entries(text: str, origin: str) -> list[Outlet]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: not a readable TOML file: {exc}") from exc
    tables = data.get("outlet", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{origin}: outlets are [[outlet]] tables")
    return [_outlet(t, origin) for t in tables]


class OutletRegistry:
    """Registered outlets and the lookups from an article's URL or outlet name to one of them."""

    def __init__(self, outlets: list[Outlet]) -> None:
        self.outlets = {o.id: o for o in outlets}
        self._by_domain: dict[str, Outlet] = {}
        self._by_name: dict[str, Outlet] = {}
        for outlet in self.outlets.values():
            for domain in outlet.domains:
                self._by_domain[domain] = outlet
            for label in (outlet.name, outlet.name_ar, *outlet.aliases):
                if label:
                    self._by_name.setdefault(normalize(label), outlet)

    @classmethod
    def load(cls, user_file: Path | None = None) -> OutletRegistry:
        """The shipped registry with `user_file` (or $MARSAD_OUTLETS) on top.
        Raises ConfigError on a file that cannot be read or an entry that is not valid."""
        shipped = resources.files("marsad.monitor").joinpath("data", "outlets.toml").read_text("utf-8")
        merged = {o.id: o for o in _entries(shipped, "outlets.toml")}
        if user_file is None and os.environ.get(ENV_FILE):
            user_file = Path(os.environ[ENV_FILE])
        if user_file is not None:
            try:
                text = user_file.read_text("utf-8")
            except OSError as exc:
                raise ConfigError(f"{user_file}: cannot read the outlet file: {exc}") from exc
            merged.update({o.id: o for o in _entries(text, str(user_file))})
        return cls(list(merged.values()))

    def by_url(self, url: str | None) -> Outlet | None:
        """The entry whose domain (or host/path prefix) matches `url` most specifically."""
        if not url:
            return None
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        if not host:
            return None
        path = parts.path.lower()
        labels = host.split(".")
        for i in range(len(labels) - 1):
            domain = ".".join(labels[i:])
            # A section of the site (bbc.com/arabic) before the site itself (bbc.com).
            segment = path.strip("/").split("/")[0]
            if segment and f"{domain}/{segment}" in self._by_domain:
                return self._by_domain[f"{domain}/{segment}"]
            if domain in self._by_domain:
                return self._by_domain[domain]
        return None

    def by_name(self, name: str | None) -> Outlet | None:
        return self._by_name.get(normalize(name)) if name else None

    def resolve(self, outlet: str | None, url: str | None) -> Outlet | None:
        """The entry for an article of `outlet` at `url`: by URL first, then by name."""
        return self.by_url(url) or self.by_name(outlet)


@lru_cache(maxsize=4)
def _cached(path: str | None, mtime: float) -> OutletRegistry:
    return OutletRegistry.load(Path(path) if path else None)


def default_registry() -> OutletRegistry:
    """The registry the API and CLI use: shipped plus $MARSAD_OUTLETS (re-read when that file changes)."""
    path = os.environ.get(ENV_FILE) or None
    mtime = Path(path).stat().st_mtime if path and Path(path).exists() else 0.0
    return _cached(path, mtime)
