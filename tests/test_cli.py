"""The command line as a user meets it: exit codes, one-line reasons, Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.cli import main
from studio.core import storage


def _studio(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True, **kw)


def test_usage_and_input_errors_exit_2_with_one_line(tmp_path: Path, capsys) -> None:
    assert main(["new", str(tmp_path / "a"), "--title", "x", "--region", "y", "--theme", "z",
                 "--preset", "no-such-preset"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: There is no preset called 'no-such-preset'") and "\n" not in err
    assert main(["run", "voice", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    assert main(["check", str(tmp_path / "nothing.mp4"), "--preset", "free"]) == 2


def test_new_then_status(tmp_path: Path, capsys) -> None:
    root = tmp_path / "proj"
    assert main(["new", str(root), "--title", "Tenun Ikat Sumba", "--region", "Sumba Timur",
                 "--theme", "kerajinan", "--fact", "Motif kuda melambangkan kepahlawanan."]) == 0
    project = storage.load_project(root)
    assert project.brief.key_facts == ["Motif kuda melambangkan kepahlawanan."]
    assert main(["status", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Tenun Ikat Sumba" in out and "script" in out


@pytest.mark.slow
def test_ctrl_c_during_export_cancels_cleanly(tmp_path: Path) -> None:
    """The first Ctrl-C stops the render at the next frame: exit 130, nothing half-written,
    the project as it was; running again finishes."""
    root = tmp_path / "proj"
    assert _studio("new", str(root), "--title", "Tari Saman", "--region", "Aceh", "--theme", "tari",
                   "--preset", "free", "--creator", "Uji", "--agency", "Dinas").returncode == 0
    data = json.loads((root / "project.json").read_text(encoding="utf-8"))
    data["render"].update({"width": 360, "height": 640})
    (root / "project.json").write_text(json.dumps(data), encoding="utf-8")
    assert _studio("run", "all", str(root)).returncode == 0
    before = (root / "project.json").read_text(encoding="utf-8")

    proc = subprocess.Popen([sys.executable, "-m", "studio", "export", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    seen = ""
    while time.monotonic() < deadline:  # wait until frames are being encoded
        line = proc.stderr.readline()
        seen += line
        if "bingkai" in line or "frame" in line:
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, seen + err
    assert "Cancelled" in err
    assert list(root.rglob("*.part")) == [] and list((root / "render").glob("*.mp4")) == []
    assert list((root / "export").iterdir()) == []
    assert (root / "project.json").read_text(encoding="utf-8") == before
    again = _studio("export", str(root))
    assert again.returncode == 0, again.stderr
    assert storage.load_project(root).last_export is not None
