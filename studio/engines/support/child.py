"""Child processes the engines start (model converters): ending one with everything it started."""

from __future__ import annotations

import os
import signal
import subprocess


def kill_tree(proc: subprocess.Popen) -> None:
    """End ``proc`` and every process it started (it runs in its own process group on POSIX)."""
    if proc.poll() is not None:
        return
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()
