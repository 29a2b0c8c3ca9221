"""The systemd unit pair of docs/service.md: the units are valid, and their two commands, started
here as processes with the units' environment file, serve the store and poll its feeds together."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from monitor_servers import Answer, Server, article_html, rss

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
TOKEN = "service-token-0123456789abcdef"


def _exec_start(unit: Path) -> list[str]:
    line = next(x for x in unit.read_text("utf-8").splitlines() if x.startswith("ExecStart="))
    return line.removeprefix("ExecStart=").split()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("name", ["marsad-serve.service", "marsad-watch.service"])
def test_service_units_verify(name: str, tmp_path: Path) -> None:
    # The units name /opt/marsad/venv/bin/marsad; verify a copy pointing at this venv's marsad.
    unit = tmp_path / name
    marsad = Path(sys.executable).with_name("marsad")
    unit.write_text((UNITS / name).read_text("utf-8").replace("/opt/marsad/venv/bin/marsad", str(marsad)))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    problems = [x for x in done.stderr.splitlines() if name in x]
    assert not problems, problems


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _marsad(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from marsad.cli.main import main; main()", *args]
    return subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


@pytest.mark.slow
def test_serve_and_watch_run_together_as_the_units_start_them(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    holder: list[Server] = []

    def route(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if path == "/feed.xml":
            return Answer(200, rss(holder[0].base, [("g1", "Quay opens", "/a.html")]), "application/rss+xml")
        if path == "/a.html":
            text = [
                "The harbour authority opened the new container quay on Tuesday after two years of work."
            ] * 3
            return Answer(200, article_html("Quay opens", text))
        return Answer(404, b"")

    holder.append(serve(route))
    config = tmp_path / "marsad.toml"
    config.write_text("[fetch]\nallow_private = true\nmin_interval = 0.0\n", "utf-8")
    env_file = tmp_path / "marsad.env"  # the units' EnvironmentFile
    env_file.write_text(
        (UNITS / "marsad.env.example")
        .read_text("utf-8")
        .replace("/var/lib/marsad/marsad.db", str(tmp_path / "marsad.db"))
        .replace("change-me-to-a-long-random-secret", TOKEN)
        + f"MARSAD_CONFIG={config}\nMARSAD_API_MEANING_SEARCH=0\n",
        "utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    for line in env_file.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    port = _free_port()
    serve_args = _exec_start(UNITS / "marsad-serve.service")[1:]
    serve_args[serve_args.index("--port") + 1] = str(port)
    watch_args = _exec_start(UNITS / "marsad-watch.service")[1:]
    assert serve_args[0] == "serve" and watch_args == ["watch", "--log-json"]

    server = _marsad(serve_args, env, tmp_path / "serve.log")
    watcher: subprocess.Popen[bytes] | None = None
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(0.3)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        added = httpx.post(
            f"{base}/api/feeds", json={"url": f"{holder[0].base}/feed.xml", "every_seconds": 60}, headers=auth
        )
        assert added.status_code == 201, added.text
        watcher = _marsad(watch_args, env, tmp_path / "watch.log")
        deadline = time.monotonic() + 120
        while httpx.get(f"{base}/api/stories").json()["total"] == 0:
            assert time.monotonic() < deadline and watcher.poll() is None, (
                tmp_path / "watch.log"
            ).read_text()
            time.sleep(0.5)
        feed = httpx.get(f"{base}/api/feeds").json()[0]
        assert feed["status"] == "ok" and feed["items"] == 1
        watcher.send_signal(signal.SIGTERM)  # systemctl stop
        assert watcher.wait(timeout=30) == 0
        events = [
            json.loads(x)
            for x in (tmp_path / "watch.log").read_text("utf-8").splitlines()
            if x.startswith("{")
        ]
        assert [e["event"] for e in events][-1] == "stop"
        assert any(e["event"] == "feed" and e.get("titles") == ["Quay opens"] for e in events)
        served = (tmp_path / "serve.log").read_text("utf-8")
        assert re.search(r"^\S+Z request POST /api/feeds 201 [0-9.]+ ms$", served, re.MULTILINE), served
    finally:
        for process in (watcher, server):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
