"""``studio batch``: a folder of five projects, killed halfway, finished by running it again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from studio.cli import main
from studio.core import storage
from studio.pipeline import batch


def _new(root: Path, title: str) -> None:
    assert main(["new", str(root), "--title", title, "--region", "Bali", "--theme", "tradisi"]) == 0


def _done(folder: Path) -> bool:
    from studio.pipeline import steps

    project = storage.read_project(folder).project
    return not any(steps.needs_run(s, project) for s in steps.STEP_ORDER)


def test_a_killed_batch_resumes_and_finishes_all_five(tmp_path: Path) -> None:
    room = tmp_path / "kelas"
    for i in range(5):
        _new(room / f"peserta-{i + 1}", f"Tradisi Desa {i + 1}")
    (room / "not-a-project").mkdir()
    assert len(batch.find_projects([room])) == 5
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.Popen([sys.executable, "-m", "studio", "batch", str(room)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not _done(room / "peserta-1"):
        time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)  # a power cut halfway through the room
    proc.wait()
    finished = [f for f in batch.find_projects([room]) if _done(f)]
    assert 1 <= len(finished) < 5
    again = subprocess.run([sys.executable, "-m", "studio", "batch", str(room), "--jobs", "2"], env=env,
                           capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stderr[-2000:]
    assert all(_done(f) for f in batch.find_projects([room]))
    lines = again.stdout.splitlines()
    assert lines[0].split() == ["project", "status", "duration", "rules", "output"]
    status = {line.split()[0]: line.split()[1] for line in lines[2:7]}
    for f in finished:
        assert status[f.name] == "up"  # "up to date": nothing was run twice
    assert "5 project(s), 0 failed." in again.stdout


def test_a_failing_project_is_a_row_and_exit_1(tmp_path: Path, capsys) -> None:
    room = tmp_path / "kelas"
    _new(room / "baik", "Tari Kecak")
    _new(room / "rusak", "Tari Pendet")
    (room / "rusak" / storage.PROJECT_FILE).write_text("{ not json", encoding="utf-8")
    os.environ["STUDIO_TRANSCRIBE_ENGINE"] = "transcribe.server"  # no server: subtitles fail with a sentence
    try:
        code = main(["batch", str(room)])
    finally:
        del os.environ["STUDIO_TRANSCRIBE_ENGINE"]
    out = capsys.readouterr().out
    assert code == 1, out
    lines = out.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("project "))
    rows = {line.split()[0]: line for line in lines[top + 2:top + 4]}
    assert set(rows) == {"baik", "rusak"}, out
    assert "failed" in rows["rusak"] and "failed" in rows["baik"]
    assert storage.read_project(room / "baik").project.scenes  # the script it made is kept
