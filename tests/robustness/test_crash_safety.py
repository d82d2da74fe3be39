"""Kill the CLI with SIGKILL in every phase of a real run, and reload after each kill.

The phases are the moments a creator can lose work: saving the project, generating an
image with a diffusion model (a tiny random pipeline from tests/tiny_diffusers.py, so
the real diffusers code path runs), synthesising voice, transcribing with Whisper,
rendering and writing the export bundle. Each run targets one phase: it waits until the
CLI's progress output shows that phase, waits a random moment more and kills. The phase
the kill actually hit is read back from the same output (everything written before the
kill is in the pipe), and every phase must have been hit at least once.

After every kill:
- project.json loads (``studio check-project`` exits 0 and names any leftover partial file);
- every asset the project refers to exists and matches its recorded hash (so no file
  under a final name is partial);
- every MP4 under a final name in render/ and export/ decodes completely;
and at the end running again finishes the job.

The driver makes the progress output unthrottled (one ``@label|message|sub`` line per
report, as the window's progress bar gets them) and marks saves. Saving is made slow
(each fsync sleeps, as on a slow USB stick) so that a kill can land inside a save; the
save itself runs unchanged. Bounded by a time budget; ``STUDIO_KILL_RUNS`` adds random
kills beyond one per phase, ``STUDIO_KILL_SEED`` changes the moments.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tiny_diffusers import tiny_sd_folder

from studio import cli
from studio.core import ailog, storage
from studio.core.integrity import verify_assets

PHASES = ("images", "save", "voice", "transcribe", "render", "bundle")
EXTRA_RUNS = max(0, int(os.environ.get("STUDIO_KILL_RUNS", "6")) - len(PHASES))
BUDGET_S = float(os.environ.get("STUDIO_KILL_BUDGET", "150"))

DRIVER = r"""
import os, sys, time
from studio import cli
from studio.core import console, storage

def mark(text):
    sys.stderr.write("@" + text + "\n")
    sys.stderr.flush()

_call = console.ProgressPrinter.__call__
def call(self, p):
    mark(f"{self.label}|{p.message}|{'sub' if p.sub else ''}")
    _call(self, p)
console.ProgressPrinter.__call__ = call

slow = [False]
_fsync = os.fsync
def fsync(fd):
    if slow[0]:
        time.sleep(0.15)
    _fsync(fd)
os.fsync = fsync
_save = storage.save_project
def save(root, project):
    mark("save||")
    slow[0] = True
    try:
        _save(root, project)
    finally:
        slow[0] = False
        mark("saved||")
storage.save_project = save

d, mode = sys.argv[1], sys.argv[2]
if mode == "resume":
    code = cli.main(["run", "all", d]) or cli.main(["export", d])
elif mode == "export":
    code = cli.main(["export", d])
else:
    code = cli.main(["run", mode, d, "--force"])
sys.exit(code)
"""

# Export's own messages (pipeline/export.py); the rest of the Export job is the render.
BUNDLE_MESSAGES = ("Memeriksa video", "Menyalin video", "Menandatangani", "Menulis subtitle",
                   "Menyalin catatan AI", "Membuat gambar sampul", "Menulis laporan", "Menghitung sidik jari",
                   "Paket ekspor selesai", "Selesai")


def phase_of(line: str) -> str:
    """The phase a progress marker line belongs to."""
    label, message, _sub = (line[1:].rstrip("\n").split("|") + ["", ""])[:3]
    if label in ("save", "saved"):
        return "save" if label == "save" else "after-save"
    if label == "Export":
        return "bundle" if message.startswith(BUNDLE_MESSAGES) else "render"
    return {"Images": "images", "Voice": "voice", "Subtitles": "transcribe"}.get(label, label.lower())


@dataclass
class Plan:
    """How to reach a phase: the CLI mode, the marker that starts the clock, the random delay."""

    mode: str
    trigger: str
    delay: tuple[float, float]
    needs_sub: bool = False
    """Wait for a report from inside the engine (a diffusers denoising step)."""


# "resume" (run all, then export) redoes whatever an earlier kill left unfinished first.
PLANS = {
    "images": Plan("images", "images", (0.0, 0.1), needs_sub=True),
    "save": Plan("voice", "save", (0.0, 0.4)),
    "voice": Plan("voice", "voice", (0.0, 0.02)),
    "transcribe": Plan("resume", "transcribe", (0.2, 1.5)),
    "render": Plan("resume", "render", (0.1, 2.0)),
    "bundle": Plan("export", "bundle", (0.0, 0.25)),
}


@dataclass
class Run:
    target: str
    lines: list[str] = field(default_factory=list)
    killed: bool = False

    @property
    def last_mark(self) -> str:
        marks = [ln for ln in self.lines if ln.startswith("@")]
        return marks[-1].rstrip("\n") if marks else ""

    @property
    def hit(self) -> str:
        """The phase the kill hit; ``images*`` when inside the diffusers generation itself."""
        if not self.last_mark:
            return "startup"
        phase = phase_of(self.last_mark)
        return phase + "*" if phase == "images" and self.last_mark.endswith("|sub") else phase


def _kill_in(root: Path, target: str, rng: random.Random, env: dict[str, str]) -> Run:
    plan = PLANS[target]
    run = Run(target)
    proc = subprocess.Popen([sys.executable, "-u", "-c", DRIVER, str(root), plan.mode], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            run.lines.append(line)
            if line.startswith("@") and phase_of(line) == plan.trigger and (
                    not plan.needs_sub or line.rstrip("\n").endswith("|sub")):
                started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while not started.wait(timeout=0.02):
        if proc.poll() is not None:  # finished (or failed) before reaching the phase
            break
    else:
        time.sleep(rng.uniform(*plan.delay))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            run.killed = True
    proc.wait(timeout=180)
    reader.join(timeout=10)
    return run


def _new_project(root: Path) -> None:
    code = cli.main(["new", str(root), "--title", "Tari Saman", "--region", "Aceh", "--theme", "tari",
                     "--preset", "free", "--creator", "Uji", "--agency", "Dinas Uji"])
    assert code == 0
    data = json.loads((root / "project.json").read_text(encoding="utf-8"))
    # Small frames (the free preset's minimum) keep each render short; the code path is the same.
    data["render"].update({"width": 360, "height": 640, "title_seconds": 1.5, "end_seconds": 1.5})
    # Several denoising steps per image, so a kill can land inside a generation.
    data["images"].update({"steps": 6})
    # A short script written by hand (no script step): three scenes keep Whisper and the
    # render to seconds while every phase still runs on real files.
    data["scenes"] = [
        {"id": "s1", "narration": "Tari Saman berasal dari Gayo di Aceh.", "image_prompt": "tari saman",
         "on_screen_text": "Tari Saman"},
        {"id": "s2", "narration": "Para penari duduk berbaris dan bertepuk tangan.",
         "image_prompt": "penari berbaris", "on_screen_text": ""},
        {"id": "s3", "narration": "Tarian ini diakui dunia sejak tahun 2011.", "image_prompt": "panggung",
         "on_screen_text": "Warisan budaya"},
    ]
    (root / "project.json").write_text(json.dumps(data), encoding="utf-8")


def _check_consistent(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
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
    ailog.read(root)  # a record cut short by the kill is skipped, not fatal
    capsys.readouterr()
    assert cli.main(["check-project", str(root)]) == 0
    return capsys.readouterr().out


@pytest.mark.slow
def test_sigkill_in_every_phase_never_corrupts_the_project(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           tmp_path_factory: pytest.TempPathFactory,
                                                           pytestconfig: pytest.Config) -> None:
    root = tmp_path / "proj"
    _new_project(root)
    env = dict(os.environ, STUDIO_IMAGE_ENGINE="image.diffusers",
               STUDIO_DIFFUSERS_MODEL=str(tiny_sd_folder(tmp_path_factory.mktemp("models"))))
    rng = random.Random(int(os.environ.get("STUDIO_KILL_SEED", "20261123")))
    started = time.monotonic()
    hits: dict[str, int] = {}
    runs: list[Run] = []
    queue = list(PHASES) + [rng.choice(PHASES) for _ in range(EXTRA_RUNS)]
    retries = 0
    while queue and time.monotonic() - started < BUDGET_S:
        target = queue.pop(0)
        run = _kill_in(root, target, rng, env)
        runs.append(run)
        if run.killed:
            phase = run.hit.rstrip("*")
            hits[phase] = hits.get(phase, 0) + 1
            if run.hit == "images*":
                hits["images*"] = hits.get("images*", 0) + 1
        report = _check_consistent(root, capsys)
        assert "Project loads." in report
        wanted = "images*" if target == "images" else target
        if wanted not in hits and retries < 4:
            retries += 1
            queue.insert(0, target)  # missed (the phase was over before the kill): once more
    summary = [(r.target, r.hit if r.killed else "finished") for r in runs]
    if pytestconfig.getoption("capture") == "no":  # shown with -s
        with capsys.disabled():
            print(f"\nkills (target, phase hit; images* = inside a diffusers generation): {summary}")
    assert all(hits.get(p) for p in PHASES), f"phases never hit: {summary}"
    assert hits.get("images*"), f"no kill inside a diffusers generation: {summary}"
    # Then the work finishes from wherever it was left.
    final = subprocess.run([sys.executable, "-c", DRIVER, str(root), "resume"], env=env,
                           capture_output=True, text=True)
    assert final.returncode == 0, final.stderr[-2000:]
    _check_consistent(root, capsys)
    project = storage.load_project(root)
    assert project.last_export is not None
    assert (root / project.last_export.video).is_file()
    assert all(s.image is not None and s.image.engine == "image.diffusers" for s in project.scenes)
