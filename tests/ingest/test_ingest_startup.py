"""What `marsad ingest FILE` loads: only what its documents need (no HTTP client, no batch machinery,
no py3langid model for Arabic text, no HTML extractor for a text file), and one embedding model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from marsad.compare.comparison import default_embedder
from marsad.config import load_config
from marsad.embed import CachedEmbedder, shared_embedder
from marsad.pipeline import default_clusterer
from marsad.store import Store

SRC = Path(__file__).resolve().parents[2] / "src"
ARTICLE = (
    "زلزال بقوة ست درجات يضرب جنوب البلاد\n\n"
    "قال مسؤولون في هيئة المساحة الجيولوجية يوم الاثنين إن زلزالا بقوة ست درجات ضرب جنوب البلاد"
    " فجر اليوم، وإن فرق الإنقاذ تبحث عن ناجين تحت أنقاض المنازل في ثلاث قرى. (أ ف ب)\n"
)
PROBE = """
import json, sys
from typer.testing import CliRunner
from marsad.cli.main import app
result = CliRunner().invoke(app, ["ingest", sys.argv[1], "--db", sys.argv[2], "--lexical"])
import py3langid.langid as langid
from marsad.text.language import _identifier
print(json.dumps({
    "exit": result.exit_code,
    "loaded": sorted(m for m in ("httpx", "pyarrow", "marsad.scale", "trafilatura") if m in sys.modules),
    "langid_model": langid.IDENTIFIER is not None or _identifier.cache_info().currsize > 0,
}))
"""


def test_ingest_text_file_loads_only_what_it_needs(tmp_path: Path) -> None:
    dump = tmp_path / "quake.txt"
    dump.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(dump), str(tmp_path / "s.db")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"exit": 0, "loaded": [], "langid_model": False}, out.stderr[-2000:]


def test_clusterer_and_comparisons_share_one_embedding_model(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        clusterer = default_clusterer(store.conn, load_config())
        embedder = clusterer.embedder  # type: ignore[attr-defined]
        assert isinstance(embedder, CachedEmbedder)
        assert embedder.inner is shared_embedder() is default_embedder()
