"""Test helpers for fault injection: wait for a command to stop itself, then kill -9 it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

FAULTS = Path(__file__).resolve().parent / "faults"  # holds the sitecustomize that stops a process


def stopping_at(point: str | None) -> dict[str, str] | None:
    """The environment of a command that stops itself (SIGSTOP) at point (see faults/), or None
    for an ordinary run. point: 'module:function[:call|:return][#N]'."""
    if point is None:
        return None
    path = os.pathsep.join(p for p in (str(FAULTS), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "NOTICE_TEST_STOP_AT": point}


def wait_stopped(process: subprocess.Popen, seconds: float) -> bool:
    """True once process stopped itself (SIGSTOP); False if it is still running after seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pid, status = os.waitpid(process.pid, os.WUNTRACED | os.WNOHANG)
        if pid:
            assert os.WIFSTOPPED(status), "the command ended instead of stopping"
            return True
        time.sleep(0.05)
    return False


def kill_9(process: subprocess.Popen) -> None:
    """SIGKILL, as a power cut or an OOM kill would: no cleanup runs."""
    process.send_signal(signal.SIGKILL)
    assert process.wait(30) == -signal.SIGKILL
