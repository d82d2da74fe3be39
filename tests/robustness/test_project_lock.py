"""Two processes on one project never lose a save (issue 21 #1): a lock file in the
project folder names its holder; a second writer refuses (or waits with ``--wait``);
a lock left by a dead process is taken over; the window holds the same lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.core import lock, storage
from studio.core.project import Project, Scene

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env


def _studio(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True,
                          env=_env(), timeout=timeout)


def _project(root: Path) -> None:
    project = Project()
    project.brief.title, project.brief.region, project.brief.theme = "Weton", "Jawa", "weton"
    project.scenes = [Scene(id="s1", narration="Kalimat satu.")]
    storage.create_project(root, project)


def _holder(root: Path, seconds: float) -> subprocess.Popen[str]:
    """A real second process holding the project's lock, as a long step would."""
    code = ("import sys, time; from pathlib import Path; from studio.core.lock import project_lock\n"
            f"with project_lock(Path({str(root)!r}), 'studio run subtitles --force'):\n"
            "    print('held', flush=True); time.sleep(float(sys.argv[1]))\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(seconds)], stdout=subprocess.PIPE, text=True,
                            env=_env())
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_writer_is_refused_naming_the_holder(tmp_path: Path) -> None:
    root = tmp_path / "P"
    _project(root)
    before = (root / "project.json").read_bytes()
    holder = _holder(root, 30)
    try:
        done = _studio("run", "script", str(root))
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2, done
    assert f"process {holder.pid}" in done.stderr and "studio run subtitles --force" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert (root / "project.json").read_bytes() == before  # nothing changed, nothing lost


def test_wait_lets_the_second_writer_run_after_the_first(tmp_path: Path) -> None:
    root = tmp_path / "P"
    _project(root)
    holder = _holder(root, 2)
    done = _studio("--wait", "60", "run", "script", str(root))
    holder.wait()
    assert done.returncode == 0, done.stderr
    assert len(storage.load_project(root).scenes) > 1  # the template script landed in project.json
    assert not (root / lock.LOCK_FILE).exists()


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    root = tmp_path / "P"
    _project(root)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (root / lock.LOCK_FILE).write_text(json.dumps({"pid": dead.pid, "host": os.uname().nodename,
                                                   "command": "studio run voice", "since": "x"}))
    done = _studio("run", "script", str(root))
    assert done.returncode == 0, done.stderr
    assert not (root / lock.LOCK_FILE).exists()


def test_two_real_runs_never_lose_a_save(tmp_path: Path) -> None:
    """The issue's case: subtitles --force running, then a script run; the script must not vanish."""
    root = tmp_path / "P"
    assert _studio("new", str(root), "--title", "Weton", "--region", "Jawa", "--theme", "weton").returncode == 0
    assert _studio("run", "script", str(root)).returncode == 0
    assert _studio("run", "voice", str(root)).returncode == 0
    first = subprocess.Popen([sys.executable, "-m", "studio", "run", "subtitles", "--force", str(root)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    deadline = time.monotonic() + 60
    while not (root / lock.LOCK_FILE).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    second = _studio("run", "script", "--force", str(root))
    first.send_signal(signal.SIGINT)
    first.communicate(timeout=120)
    if second.returncode == 0:  # it only ran after the first had finished: both saves are there
        pytest.fail("the second run did not meet the lock: " + second.stdout)
    assert second.returncode == 2 and "in use by" in second.stderr, second.stderr
    assert first.returncode in (0, 130)
    storage.load_project(root)  # still loads


def test_window_respects_the_lock(tmp_path: Path, qapp: object) -> None:
    from studio.core.lock import ProjectLocked
    from studio.ui.session.state import Session

    root = tmp_path / "P"
    _project(root)
    holder = _holder(root, 30)
    session = Session()
    try:
        with pytest.raises(ProjectLocked) as caught:
            session.open_project(root)
        assert str(holder.pid) in caught.value.text("id") and "sedang dipakai" in caught.value.text("id")
    finally:
        holder.kill()
        holder.wait()
    session.open_project(root)  # free now: the window takes the lock and a CLI writer is refused
    try:
        held = _studio("run", "script", str(root))
        assert held.returncode == 2 and "studio (window)" in held.stderr, held.stderr
    finally:
        session.close_project()
    assert not (root / lock.LOCK_FILE).exists()
