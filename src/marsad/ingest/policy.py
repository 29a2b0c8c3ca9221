"""How politely and how far marsad fetches: the `[fetch]` section of the configuration.

Kept apart from `marsad.ingest.fetch` so that reading the configuration does not import the HTTP
client.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.errors import ConfigError


@dataclass(slots=True, frozen=True)
class FetchPolicy:
    """How politely and how far to fetch. Times in seconds, sizes in bytes."""

    user_agent: str = "marsad/0.1 (news observatory; polite fetcher)"
    robots_agent: str = "marsad"
    timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    min_interval: float = 1.0
    max_crawl_delay: float = 30.0
    retries: int = 2
    backoff: float = 1.0
    max_retry_after: float = 60.0
    allow_private: bool = False
    respect_robots: bool = True

    def __post_init__(self) -> None:
        for name in ("timeout", "total_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"fetch {name} must be > 0 seconds, got {getattr(self, name)}")
        if self.max_bytes <= 0:
            raise ConfigError(f"fetch max_bytes must be > 0, got {self.max_bytes}")
        for name in ("max_redirects", "retries"):
            if getattr(self, name) < 0:
                raise ConfigError(f"fetch {name} must be >= 0, got {getattr(self, name)}")
        for name in ("min_interval", "backoff", "max_crawl_delay", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ConfigError(f"fetch {name} must be >= 0 seconds, got {getattr(self, name)}")
