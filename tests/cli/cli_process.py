"""Running the real `marsad` command in a child process (entry point, exit code, both streams)."""

from __future__ import annotations

import subprocess
import sys


def run_marsad(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m marsad ARGS` in a child process: the real entry point, exit code and streams."""
    return subprocess.run(
        [sys.executable, "-m", "marsad", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )
