#!/usr/bin/env bash
# Smoke test of what users install: build the wheel, install it with `pip install --only-binary=:all:`
# into a fresh venv (no dev extras, nothing built from source), then run every command from a
# directory outside the checkout. The commands run in a network namespace that has only loopback
# (when we may create one), so anything that reaches for the network fails here.
#
#   bash tools/smoke.sh            (PY=python3.11 to pick the interpreter; KEEP=1 keeps the work dir)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-python3}"
SEEDS="$ROOT/../shared/seeds"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/marsad-smoke.XXXXXX")"
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "smoke: kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
T0="$(date +%s)"
step() { printf '\n== smoke [%ss]: %s\n' "$(($(date +%s) - T0))" "$*"; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

step "build the wheel"
"$PY" -m pip wheel -q --no-deps --wheel-dir "$WORK/dist" "$ROOT"
WHEEL="$(ls "$WORK"/dist/marsad-*.whl)"
echo "$(basename "$WHEEL"): $(du -k "$WHEEL" | cut -f1) kB"

step "every run-time file under src/marsad is in the wheel"
"$PY" - "$ROOT" "$WHEEL" <<'EOF'
import os, subprocess, sys, zipfile
root, wheel = sys.argv[1], sys.argv[2]
tracked = subprocess.run(["git", "-C", root, "ls-files", "src/marsad"], capture_output=True, text=True)
if tracked.returncode == 0:
    files = tracked.stdout.split()
else:  # not a git checkout: every file under src/marsad
    files = [os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(os.path.join(root, "src/marsad"))
             if "__pycache__" not in d for f in fs]
wanted = {p.removeprefix("src/") for p in files if not p.endswith((".py", ".pyc"))}
shipped = set(zipfile.ZipFile(wheel).namelist())
missing = sorted(wanted - shipped)
if missing:
    sys.exit(f"missing from the wheel (add them to [tool.setuptools.package-data]): {missing}")
print(f"{len(wanted)} data files shipped")
EOF

step "install into a fresh venv, wheels only, no extras"
"$PY" -m venv "$WORK/venv"
BIN="$WORK/venv/bin"
started="$(now)"
"$BIN/pip" install -q --disable-pip-version-check --only-binary=:all: "$WHEEL" 2>&1 \
  | { grep -v "^WARNING: Location 'file:" || true; }
SITE="$("$BIN/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "installed in $(took "$started") s; site-packages $(du -sh "$SITE" | cut -f1)"
for dev in pytest mypy ruff playwright; do
  if "$BIN/python" -c "import $dev" 2>/dev/null; then echo "dev package $dev leaked into the install"; exit 1; fi
done

RUN="$WORK/run"
mkdir -p "$RUN"
cp "$ROOT/tests/smoke/page.html" "$ROOT/tests/smoke/dump.txt" "$RUN/"
if [ -d "$SEEDS" ]; then cp -r "$SEEDS" "$RUN/seeds"; fi

# Everything below runs from $RUN (outside the checkout), with only loopback when possible.
cat > "$WORK/commands.sh" <<'EOF'
set -euo pipefail
export PATH="$BIN:$PATH" MARSAD_DB="$RUN/never-used.db" COLUMNS=100
cd "$RUN"
step() { printf '\n== smoke [%ss]: %s\n' "$(($(date +%s) - T0))" "$*"; }
check() { "$BIN/python" -c "$1" "${@:2}"; }

step "marsad --version, -h"
marsad --version
marsad -h >/dev/null

step "extract an HTML page and a text dump"
marsad extract page.html --json > page.json
check 'import json,sys; a=json.load(open(sys.argv[1])); assert "200 نقطة" in a["title"] and a["language"]=="ar", a["title"]; print("page:", a["title"])' page.json
marsad extract dump.txt --json > dump.json
check 'import json,sys; a=json.load(open(sys.argv[1])); assert "200 points" in a["title"] and "AFP" in a["agencies"], a; print("dump:", a["title"])' dump.json

step "a read command on a store that does not exist creates nothing"
if marsad stories --db nowhere/x.db 2> missing.err; then echo "stories on a missing store exited 0"; exit 1; fi
grep -q "no store at nowhere/x.db" missing.err && [ ! -e nowhere ]

step "ingest into a new store, then stories, show, duplicates, search"
marsad ingest page.html dump.txt --db store.db
if [ -d seeds ]; then
  marsad ingest seeds --db store.db
else
  echo "SKIP seeds: ../shared/seeds is absent (the user's documents live outside the repo)"
fi
marsad stories --db store.db
marsad stories --db store.db --json > stories.json
STORY="$(check 'import json,sys; s=json.load(open(sys.argv[1])); print(s[0]["id"])' stories.json)"
ARTICLE="$(check 'import json,sys; s=json.load(open(sys.argv[1])); print(s[0]["articles"][0])' stories.json)"
marsad show "$STORY" --db store.db
marsad show "$ARTICLE" --db store.db > show.txt
if grep -q "None" show.txt; then echo "show printed None"; exit 1; fi
marsad duplicates --db store.db --json > /dev/null
marsad search "الفائدة" --db store.db --json > search.json
check 'import json,sys; r=json.load(open(sys.argv[1])); assert r["total"] >= 1, r; print("search:", r["total"], "hit(s)")' search.json

step "compare two documents"
if [ -d seeds ]; then A=seeds/000_f462c494be0ac3b8.txt; B=seeds/003_78029ccb64208adf.txt; else A=page.html; B=dump.txt; fi
marsad compare "$A" "$B" > compare.txt
marsad compare "$A" "$B" --json > compare.json
check '
import json, re, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[1], encoding="utf-8").read()
forms = re.findall("[\ufb50-\ufdff\ufe70-\ufeff]", text)
assert not forms, f"{len(forms)} presentation-form characters in compare --json"
sources = "".join(open(p, encoding="utf-8").read() for p in sys.argv[2:])
for q in data["quotes"]:
    assert q["text"] in sources, q
print("compare:", len(data["pairs"]), "pairs,", len(data["quotes"]), "quotes found verbatim in the inputs")
' compare.json "$A" "$B"
check '
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
forms = re.findall("[\ufb50-\ufdff\ufe70-\ufeff]", text)
assert not forms, f"{len(forms)} presentation-form characters in the compare text written to a file"
sources = "".join(open(p, encoding="utf-8").read() for p in sys.argv[2:])
quotes = [line.split("] ", 1)[1].strip() for line in text.splitlines() if line.startswith("  [")]
missing = [q for q in quotes if q not in sources]
assert not missing, missing
print("compare text:", len(quotes), "quotes, each found verbatim in the inputs; no presentation forms")
' compare.txt "$A" "$B"
marsad compare --story "$STORY" --db store.db --json > /dev/null

step "cluster, dedup, similarity (JSONL contracts)"
check '
import json
page, dump = json.load(open("page.json")), json.load(open("dump.json"))
recs = [
    {"id": "p", "title": page["title"], "text": page["body"], "published": page["published"]},
    {"id": "d", "title": dump["title"], "text": dump["body"], "published": "2026-04-02T10:00:00+00:00"},
    {"id": "d2", "title": dump["title"], "text": dump["body"], "published": "2026-04-02T11:00:00+00:00"},
]
with open("docs.jsonl", "w", encoding="utf-8") as f:
    f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)
with open("pairs.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "x", "text1": page["body"], "text2": dump["body"]}, ensure_ascii=False) + "\n")
'
marsad cluster docs.jsonl -o stories.jsonl
marsad dedup docs.jsonl -o dups.jsonl
marsad similarity pairs.jsonl -o scores.jsonl
check '
import json
story = {r["id"]: r["story_id"] for r in map(json.loads, open("stories.jsonl"))}
kind = {r["id"]: r["kind"] for r in map(json.loads, open("dups.jsonl"))}
score = [json.loads(l)["score"] for l in open("scores.jsonl")]
assert set(story) == {"p", "d", "d2"} and story["d"] == story["d2"], story
assert kind["d2"] == "exact" and kind["p"] == "unique", kind
assert len(score) == 1 and 0.0 <= score[0] <= 1.0, score
print("cluster:", story, "dedup:", kind, "similarity:", score)
'

step "batch (local executor)"
marsad batch docs.jsonl -o batch-out --format jsonl
check 'import json; m=json.load(open("batch-out/manifest.json")); assert m["counts"]["read"] == 3, m["counts"]; print("batch:", m["counts"]["read"], "read,", m["counts"]["stories"]["stories"], "stories")'

step "serve: /api/stories and /docs with every asset, no outside network"
PORT="$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
marsad serve --db store.db --port "$PORT" --no-meaning 2> serve.err &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
check '
import json, re, sys, time, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
def get(path):
    with urllib.request.urlopen(base + path, timeout=10) as r:
        return r.status, r.headers, r.read()
deadline = time.monotonic() + 60
while True:
    try:
        get("/api/health"); break
    except OSError:
        if time.monotonic() > deadline: sys.exit("marsad serve did not answer in 60 s")
        time.sleep(0.3)
status, _, body = get("/api/stories")
assert status == 200 and json.loads(body)["items"], body[:200]
for page in ("/docs",):
    status, headers, body = get(page)
    html = body.decode()
    assert status == 200 and "http" not in headers["content-security-policy"], headers
    urls = re.findall(r"(?:src|href|data-openapi-url)=\"([^\"]+)\"", html)
    assert urls and all(u.startswith("/") for u in urls), urls
    for url in urls:
        assert get(url)[0] == 200, url
print("serve: /api/stories, and /docs with", len(urls), "local assets")
' "$PORT"
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
trap - EXIT
EOF

step "run the commands from $RUN"
export BIN RUN T0
if [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null; then
  echo "(in a network namespace with loopback only)"
  unshare --net bash -c 'ip link set lo up && exec bash "$0"' "$WORK/commands.sh"
else
  echo "(not root: the commands run with the machine's network)"
  bash "$WORK/commands.sh"
fi
step "passed"
