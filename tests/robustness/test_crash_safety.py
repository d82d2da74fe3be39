"""Kill the CLI with SIGKILL at random moments of a real run, many times, and reload.

Whatever the moment (saving, generating images, synthesising voice, transcribing,
rendering, writing the export bundle), afterwards:
- project.json loads;
- every asset the project refers to exists and matches its recorded hash (so no file
  under a final name is partial);
- every MP4 under a final name in render/ and export/ decodes completely;
- running again finishes the job.
Bounded by a count and a time budget so CI stays fast; STUDIO_KILL_RUNS raises it.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.core import storage
from studio.core.integrity import verify_assets

RUNS = int(os.environ.get("STUDIO_KILL_RUNS", "10"))
BUDGET_S = float(os.environ.get("STUDIO_KILL_BUDGET", "150"))

DRIVER = """
import sys
from studio.cli import main
d = sys.argv[1]
mode = sys.argv[2]
if mode == "resume":
    code = main(["run", "all", d]) or main(["export", d])
elif mode == "export":
    code = main(["export", d])
else:
    code = main(["run", mode, d, "--force"])
sys.exit(code)
"""


def _new_project(root: Path) -> None:
    code = subprocess.run([sys.executable, "-m", "studio", "new", str(root), "--title", "Tari Saman",
                           "--region", "Aceh", "--theme", "tari", "--preset", "free",
                           "--creator", "Uji", "--agency", "Dinas Uji"], capture_output=True, text=True)
    assert code.returncode == 0, code.stderr
    data = json.loads((root / "project.json").read_text(encoding="utf-8"))
    # Small frames (the free preset's minimum) keep each render short; the code path is the same.
    data["render"].update({"width": 360, "height": 640, "title_seconds": 1.5, "end_seconds": 1.5})
    (root / "project.json").write_text(json.dumps(data), encoding="utf-8")


def _check_consistent(root: Path) -> None:
    import av

    project = storage.load_project(root)  # must not raise
    issues = verify_assets(root, project)
    assert issues == [], [i.sentence() for i in issues]
    for mp4 in list((root / "render").glob("*.mp4")) + list((root / "export").rglob("*.mp4")):
        if any(part.endswith(".part") for part in mp4.parts):
            continue  # a bundle being assembled: its folder is not under a final name yet
        with av.open(str(mp4)) as container:
            frames = sum(1 for _ in container.decode(video=0))
        assert frames > 0, mp4


@pytest.mark.slow
def test_sigkill_at_random_points_never_corrupts_the_project(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    _new_project(root)
    rng = random.Random(int(os.environ.get("STUDIO_KILL_SEED", "20261122")))
    started = time.monotonic()
    modes = ["resume", "resume", "resume", "images", "voice", "export"]
    kills = 0
    for i in range(RUNS):
        if time.monotonic() - started > BUDGET_S:
            break
        mode = modes[i % len(modes)] if i >= 3 else "resume"
        proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(root), mode],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        delay = rng.uniform(0.3, 6.0)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
        _check_consistent(root)
    assert kills >= 1
    # Then the work finishes from wherever it was left.
    final = subprocess.run([sys.executable, "-c", DRIVER, str(root), "resume"], capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    _check_consistent(root)
    project = storage.load_project(root)
    assert project.last_export is not None
    assert (root / project.last_export.video).is_file()
