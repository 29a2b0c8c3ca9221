"""`marsad serve`: the real server process on 127.0.0.1 over a store file."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_starts_on_localhost_and_answers(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "served.db"
    subprocess.run(
        [sys.executable, "-m", "marsad", "ingest", str(seeds_dir), "--db", str(db)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsad", "serve", "--port", str(port), "--db", str(db), "--no-meaning"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).json()
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert health is not None, proc.stderr.read() if proc.poll() is not None else "no answer in 60 s"
        assert health["counts"]["articles"] == 2 and health["meaning_search"] is False
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and "عكس السير" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_help_names_host_port_and_db() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "marsad", "serve", "--help"], capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0
    for option in ("--host", "--port", "--db", "127.0.0.1"):
        assert option in res.stdout
