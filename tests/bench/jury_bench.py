"""Jury benchmark (issue 19; run on demand, not collected): the folder check against one
``studio check FILE`` per entry, measured in the same run.

Makes ``--entries`` synthetic contest entries once with the bundled ffmpeg, cached in
``--keep`` (default: the temp folder) so reruns are quick: 60–90 s, 1080×1920 H.264/AAC, each
a distinct sequence of 4 s segments (smooth random gradients, each with its own swelling
tone) joined by stream copy, so every entry is its own video. About one in twelve is bad
(text named .mp4, 0 bytes, truncated, a ten-hour header) and about one in twenty-five a
duplicate: another entry scaled to 720×1280 and re-encoded at a lower quality.

Then, in one run, it times:
  cold   ``studio check DIR --jobs N`` with an empty cache;
  warm   the same command again (every entry cached);
  single ``studio check FILE`` on a sample of ``--sample`` entries, extrapolated to all of
         them (each is a new process, as a jury running it file by file pays);
and prints the seconds, the ratios single/cold and single/warm, and the issue's targets
(cold ≤ 180 s on 2 cores, warm ≤ 10 s).

    python tests/bench/jury_bench.py [--quick] [--entries 125] [--jobs 2] [--sample 10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pipeline"))

PRESET = "ai-local-content-2025"
SEGMENT_S = 4
SEGMENTS = 24


def _ff(*args: str) -> None:
    from studio.pipeline.media.ffmpeg import ffmpeg_exe

    done = subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"ffmpeg failed: {done.stderr[-600:]}")


def _segment(i: int, out: Path) -> None:
    if out.exists():
        return
    part = out.with_suffix(".part.mp4")
    tone = 220 + 37 * i
    swell = 0.15 + 0.05 * (i % 7)
    _ff("-f", "lavfi", "-i", f"gradients=s=1080x1920:r=24:seed={i + 1}:speed=0.03:n=5",
        "-f", "lavfi", "-i", f"aevalsrc=0.35*sin(2*PI*{tone}*t)*(0.55+0.45*sin(2*PI*{swell}*t+{i})):s=48000:c=stereo",
        "-t", str(SEGMENT_S), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-ac", "2", str(part))
    os.replace(part, out)


def make_entries(folder: Path, n: int) -> Path:
    from concurrent.futures import ThreadPoolExecutor

    from jury_samples import ten_hour_header

    seg_dir = folder / "segments"
    seg_dir.mkdir(parents=True, exist_ok=True)
    segs = [seg_dir / f"s{i:02d}.mp4" for i in range(SEGMENTS)]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda i: _segment(i, segs[i]), range(SEGMENTS)))
    entries = folder / f"entries-{n}"
    entries.mkdir(exist_ok=True)
    bad_every, dup_every = 12, 25
    for k in range(n):
        out = entries / f"karya-{k:03d}.mp4"
        if out.exists() or (entries / f"karya-{k:03d}-salinan.mp4").exists():
            continue
        if k % dup_every == dup_every - 1 and k > 0:
            src = entries / f"karya-{k - 1:03d}.mp4"
            dup = entries / f"karya-{k:03d}-salinan.mp4"
            _ff("-i", str(src), "-vf", "scale=720:1280", "-c:v", "libx264", "-preset", "ultrafast",
                "-crf", "30", "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", str(dup))
            continue
        # Seeded per entry, so an interrupted run resumed later still makes every entry its own video.
        rng = random.Random(19_000 + k)
        count = rng.randint(15, 22)  # 60–88 s
        order = [rng.randrange(SEGMENTS) for _ in range(count)]
        listing = entries / f".list-{k}.txt"
        listing.write_text("".join(f"file '{segs[i]}'\n" for i in order), encoding="utf-8")
        part = out.with_suffix(".part.mp4")
        _ff("-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", "-movflags", "+faststart",
            "-metadata", "title=Karya lomba", str(part))
        listing.unlink()
        if k % bad_every == 5:
            kind = (k // bad_every) % 4
            if kind == 0:
                out.write_text("ini bukan video", encoding="utf-8")
            elif kind == 1:
                out.write_bytes(b"")
            elif kind == 2:
                out.write_bytes(part.read_bytes()[: part.stat().st_size // 3])
            else:
                ten_hour_header(part, out)
            part.unlink()
        else:
            os.replace(part, out)
    return entries


def _studio(args: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "studio", *args], env=env, cwd=str(ROOT),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="12 entries, a sample of 3")
    ap.add_argument("--entries", type=int, default=125)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sample", type=int, default=10)
    ap.add_argument("--keep", default=str(Path(tempfile.gettempdir()) / "studio-jury-bench"))
    a = ap.parse_args()
    n, sample = (12, 3) if a.quick else (a.entries, a.sample)
    t = time.perf_counter()
    entries = make_entries(Path(a.keep), n)
    print(f"entries: {n} in {entries} (made or reused in {time.perf_counter() - t:.1f} s)")
    home = Path(tempfile.mkdtemp(prefix="studio-jury-bench-home-"))
    env = {**os.environ, "STUDIO_HOME": str(home), "PYTHONPATH": str(ROOT)}
    out_csv = home / "juri.csv"
    cmd = ["check", str(entries), "--preset", PRESET, "--jobs", str(a.jobs), "--csv", str(out_csv)]
    cold = _studio(cmd, env)
    warm = _studio(cmd, env)
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    files = sorted(entries.glob("*.mp4"))[:sample]
    single = sum(_studio(["check", str(f), "--preset", PRESET], env) for f in files)
    per_file = single / len(files)
    serial = per_file * n
    print(f"rows: {len(rows)}, passed {sum(r['passed'] == 'yes' for r in rows)}, "
          f"duplicates {sum(bool(r['duplicate_of']) for r in rows)}, "
          f"unreadable {sum('file.readable' in r['failed_rules'] for r in rows)}")
    print(f"cold  folder check --jobs {a.jobs}: {cold:7.1f} s   (target <= 180 s for 125 on 2 cores)")
    print(f"warm  folder check --jobs {a.jobs}: {warm:7.1f} s   (target <= 10 s)")
    print(f"single `studio check FILE`: {per_file:.2f} s each, measured on {len(files)} files, "
          f"x{n} = {serial:7.1f} s (extrapolated)")
    print(f"ratio single/cold = {serial / cold:.2f}x   single/warm = {serial / warm:.1f}x")
    if n == 125:
        print(f"targets: cold {'met' if cold <= 180 else 'MISSED'}, warm {'met' if warm <= 10 else 'MISSED'}")
    else:
        print(f"cold extrapolated to 125 entries: {cold / n * 125:.0f} s (not measured)")


if __name__ == "__main__":
    main()
