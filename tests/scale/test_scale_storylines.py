"""`marsad batch` carries storylines: every document's story belongs to one storyline, named after the
storyline's first story, across time windows too."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from marsad.cluster.base import storyline_id_for
from marsad.config import load_config
from marsad.scale import BatchOptions, LocalExecutor, run_batch
from marsad.scale.results import load_output

WEEK = 7 * 86400


def test_batch_stories_carry_one_storyline_each(shared_data: Path, tmp_path: Path) -> None:
    articles = json.loads(
        (shared_data / "mmds2025-event-clusters" / "mds_ac_dev_final.json").read_text("utf-8")
    )["articles"][:30]
    start = datetime.fromtimestamp((1_463_000_000 // WEEK + 1) * WEEK, UTC)
    path = tmp_path / "in.jsonl"
    # two weeks: two batch windows, merged at their boundary
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"mmds-{n}",
                    "title": art["title"],
                    "text": "\n".join(s["content"] for s in art["sentences"]),
                    "published": (start + timedelta(hours=11 * n)).isoformat(),
                },
                ensure_ascii=False,
            )
            + "\n"
            for n, art in enumerate(articles)
        ),
        "utf-8",
    )
    options = BatchOptions(partitions=2, clusterer="embedding")
    manifest = run_batch(
        [str(path)], tmp_path / "out", config=load_config(), options=options, executor=LocalExecutor(1)
    )
    assert manifest["counts"]["stories"]["windows"] == 2
    rows = load_output(tmp_path / "out", "stories").to_pylist()
    assert len(rows) == 30
    line_of_story: dict[str, str] = {}
    for r in rows:
        assert line_of_story.setdefault(r["story_id"], r["storyline_id"]) == r["storyline_id"]
    # a storyline is named after its first story, which is one of the run's stories and its own storyline's
    for line in set(line_of_story.values()):
        first = "s" + line[1:]
        assert storyline_id_for(first) == line and line_of_story[first] == line
