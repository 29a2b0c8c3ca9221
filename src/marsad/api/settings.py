"""The one validated settings class of the API and web app, from arguments or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from marsad.config import Config, default_db_path, load_config
from marsad.errors import ConfigError

MIN_TOKEN_CHARS = 16


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"${name} must be an integer, got {raw!r}") from None


@dataclass(slots=True, frozen=True)
class ApiSettings:
    """How the app runs. Every size is bounded so one request cannot exhaust the machine.

    - `db_path`: the SQLite store file served.
    - `api_token`: bearer token for the ingest endpoints ($MARSAD_API_TOKEN); None disables ingest.
    - `max_body_bytes`: largest request body accepted (413 above it).
    - `max_query_chars`: longest search query accepted.
    - `max_page_size`: most items one list or search page returns.
    - `compare_max_articles`: stories bigger than this are shown without the side-by-side comparison.
    - `meaning_candidates`: most articles without cached vectors embedded per search by meaning.
    - `meaning_search`: False turns search by meaning off (it loads a sentence-embedding model).
    - `ingest_max_bytes`: largest document fetched or accepted for ingest.
    - `ingest_allow_private`: let URL ingest fetch private and loopback addresses
      ($MARSAD_API_INGEST_ALLOW_PRIVATE=1); off, so the API cannot be used to reach internal hosts.
    """

    db_path: Path
    api_token: str | None = None
    max_body_bytes: int = 2_000_000
    max_query_chars: int = 500
    max_page_size: int = 100
    compare_max_articles: int = 12
    meaning_candidates: int = 48
    meaning_search: bool = True
    ingest_max_bytes: int = 5_000_000
    ingest_allow_private: bool = False
    config: Config | None = None

    def __post_init__(self) -> None:
        if self.api_token is not None and len(self.api_token) < MIN_TOKEN_CHARS:
            raise ConfigError(
                f"the API token is {len(self.api_token)} characters; use at least {MIN_TOKEN_CHARS}"
                " random characters (for example: python -c 'import secrets; print(secrets.token_urlsafe())')"
            )
        for name in ("max_body_bytes", "max_query_chars", "max_page_size", "compare_max_articles"):
            if getattr(self, name) < 1:
                raise ConfigError(f"api setting {name} must be >= 1, got {getattr(self, name)}")
        if not 1 <= self.meaning_candidates <= 1000:
            raise ConfigError(f"meaning_candidates must be in [1, 1000], got {self.meaning_candidates}")
        if self.ingest_max_bytes < 1:
            raise ConfigError(f"ingest_max_bytes must be >= 1, got {self.ingest_max_bytes}")

    @property
    def ingest_enabled(self) -> bool:
        return self.api_token is not None

    def with_(self, **changes: object) -> ApiSettings:
        """A copy with `changes` applied (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, db_path: Path | None = None, config: Config | None = None) -> ApiSettings:
        """Settings from the environment: $MARSAD_DB (or `db_path`, or the configured store),
        $MARSAD_API_TOKEN, $MARSAD_API_MAX_BODY_BYTES, $MARSAD_API_MEANING_SEARCH (0 to disable).
        Raises ConfigError on a bad value."""
        cfg = config if config is not None else load_config()
        token = os.environ.get("MARSAD_API_TOKEN") or None
        return cls(
            db_path=db_path if db_path is not None else default_db_path(cfg),
            api_token=token,
            max_body_bytes=_int_env("MARSAD_API_MAX_BODY_BYTES", 2_000_000),
            meaning_search=os.environ.get("MARSAD_API_MEANING_SEARCH", "1") not in ("0", "false", "no"),
            ingest_max_bytes=min(cfg.ingest.max_bytes, _int_env("MARSAD_API_INGEST_MAX_BYTES", 5_000_000)),
            ingest_allow_private=os.environ.get("MARSAD_API_INGEST_ALLOW_PRIVATE", "0")
            in ("1", "true", "yes"),
            config=cfg,
        )
