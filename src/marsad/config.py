"""Typed configuration: shipped `defaults.toml`, overridden key by key by a user TOML file."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.dedup.params import DedupParams
from marsad.errors import ConfigError
from marsad.ingest.policy import FetchPolicy


@dataclass(slots=True, frozen=True)
class StoreConfig:
    path: str = "~/.local/share/marsad/marsad.db"
    # Seconds a second writer (ingest, watch, the API's ingest) waits for the store's writer lock.
    lock_wait: float = 3600.0

    def __post_init__(self) -> None:
        if self.lock_wait < 0:
            raise ConfigError(f"store.lock_wait must be >= 0 seconds, got {self.lock_wait}")


@dataclass(slots=True, frozen=True)
class IngestConfig:
    max_bytes: int = 20_000_000
    sniff_bytes: int = 65536
    max_binary_ratio: float = 0.02
    # Seconds of CPU time allowed per document (extraction and features); over it: rejected, E109.
    time_budget: float = 15.0
    # Seconds the end of a run may spend comparing the stories it changed (0: none), and the
    # largest story compared (the story page shows no comparison above it).
    compare_budget: float = 600.0
    compare_max_articles: int = 12

    def __post_init__(self) -> None:
        if self.compare_budget < 0:
            raise ConfigError(
                f"ingest.compare_budget must be >= 0 seconds (0: off), got {self.compare_budget}"
            )
        if self.time_budget < 0:
            raise ConfigError(
                f"ingest.time_budget must be >= 0 seconds (0: no limit), got {self.time_budget}"
            )
        if self.max_bytes <= 0:
            raise ConfigError(f"ingest.max_bytes must be > 0, got {self.max_bytes}; set a byte count")
        if not 0.0 <= self.max_binary_ratio <= 1.0:
            raise ConfigError(f"ingest.max_binary_ratio must be in [0, 1], got {self.max_binary_ratio}")


@dataclass(slots=True, frozen=True)
class ClusterConfig:
    window_days: float = 7.0
    join_threshold: float = 0.30

    def __post_init__(self) -> None:
        if self.window_days <= 0:
            raise ConfigError(f"cluster.window_days must be > 0, got {self.window_days}")


@dataclass(slots=True, frozen=True)
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    dedup: DedupParams = field(default_factory=DedupParams)
    fetch: FetchPolicy = field(default_factory=FetchPolicy)

    def fingerprint(self) -> str:
        """A short stable hash of every setting, recorded with the outputs it produced."""
        blob = json.dumps(asdict(self), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]


_SECTIONS: dict[str, type[Any]] = {
    "store": StoreConfig,
    "ingest": IngestConfig,
    "cluster": ClusterConfig,
    "dedup": DedupParams,
    "fetch": FetchPolicy,
}


def _merge(base: dict[str, Any], override: dict[str, Any], origin: str) -> dict[str, Any]:
    merged = {k: dict(v) for k, v in base.items()}
    for section, values in override.items():
        if section not in _SECTIONS:
            raise ConfigError(f"{origin}: unknown section [{section}]; known: {sorted(_SECTIONS)}")
        if not isinstance(values, dict):
            raise ConfigError(f"{origin}: [{section}] must be a table")
        known = {f.name for f in fields(_SECTIONS[section])}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(f"{origin}: unknown key {section}.{key}; known: {sorted(known)}")
            merged.setdefault(section, {})[key] = value
    return merged


def load_config(user_file: Path | None = None) -> Config:
    """Defaults, then `user_file` (or $MARSAD_CONFIG) on top. Raises ConfigError on unknown keys."""
    shipped = tomllib.loads(resources.files("marsad").joinpath("defaults.toml").read_text("utf-8"))
    data = _merge({}, shipped, "defaults.toml")
    if user_file is None and os.environ.get("MARSAD_CONFIG"):
        user_file = Path(os.environ["MARSAD_CONFIG"])
    if user_file is not None:
        try:
            user = tomllib.loads(user_file.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{user_file}: cannot read config: {exc}") from exc
        data = _merge(data, user, str(user_file))
    try:
        return Config(**{name: cls(**data.get(name, {})) for name, cls in _SECTIONS.items()})
    except TypeError as exc:
        raise ConfigError(f"bad configuration value: {exc}") from exc


def default_db_path(config: Config) -> Path:
    """$MARSAD_DB if set, else the configured path (user home expanded)."""
    return Path(os.environ.get("MARSAD_DB") or config.store.path).expanduser()
