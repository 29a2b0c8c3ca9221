"""Shipped defaults, user overrides key by key, and clear errors for bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.config import load_config
from marsad.errors import ConfigError


def test_config_user_file_overrides_only_what_it_sets(tmp_path: Path) -> None:
    base = load_config()
    user = tmp_path / "marsad.toml"
    user.write_text("[dedup]\nnear_threshold = 0.6\n\n[ingest]\nmax_bytes = 1000\n", encoding="utf-8")
    cfg = load_config(user)
    assert cfg.dedup.near_threshold == 0.6 and cfg.ingest.max_bytes == 1000
    assert cfg.dedup.bands == base.dedup.bands and cfg.cluster == base.cluster
    assert cfg.fingerprint() != base.fingerprint()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[dedup]\nbands = 100\nrows = 3\n", "exceeds num_perm"),
        ("[dedup]\nnear_threshold = 1.5\n", "near_threshold"),
        ("[ingest]\nmax_bytes = 0\n", "max_bytes"),
        ("[ingest]\nmax_byte = 10\n", "unknown key ingest.max_byte"),
        ("[nonsense]\nx = 1\n", "unknown section"),
        ("[ingest\n", "cannot read config"),
        ("[fetch]\ntimeout = 0\n", "fetch timeout must be > 0"),
        ("[fetch]\nmax_crawl_delay = -1\n", "fetch max_crawl_delay must be >= 0"),
        ("[fetch]\nuser_agnet = 'x'\n", "unknown key fetch.user_agnet"),
    ],
)
def test_config_bad_values_raise_with_the_key(tmp_path: Path, text: str, message: str) -> None:
    user = tmp_path / "bad.toml"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(user)


def test_config_fetch_section_overrides_the_polite_fetcher(tmp_path: Path) -> None:
    base = load_config()
    assert base.fetch.respect_robots and not base.fetch.allow_private and base.fetch.min_interval == 1.0
    user = tmp_path / "marsad.toml"
    user.write_text('[fetch]\nuser_agent = "observatory-test/1"\nmin_interval = 0.0\n', encoding="utf-8")
    cfg = load_config(user)
    assert cfg.fetch.user_agent == "observatory-test/1" and cfg.fetch.min_interval == 0.0
    assert cfg.fetch.timeout == base.fetch.timeout and cfg.fingerprint() != base.fingerprint()
