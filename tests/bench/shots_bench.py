"""Shot-change bench (run on demand, not collected): our detector against PySceneDetect.

Builds with the bundled ffmpeg one synthetic long take whose cut points are known:
segments of moving test patterns, flat colours with noise, a Mandelbrot zoom, a
crossfade inside one segment and a camera-pan-like move across a wide picture (both
of which must NOT cut). Then, in ONE run, side by side, it times and scores:

  ours       ``studio.pipeline.media.shots.suggest_cuts`` (PyAV stream, 96 px frames)
  sd-content PySceneDetect ``ContentDetector`` (default threshold 27, PyAV backend)
  sd-adapt   PySceneDetect ``AdaptiveDetector`` (defaults, PyAV backend)

and prints precision, recall, the largest timing error of a found cut and wall seconds.
A cut counts as found when it lies within ``--tolerance`` seconds (default 0.1).

    pip install scenedetect opencv-python-headless    # bench only, not a dependency
    python tests/bench/shots_bench.py [--size 1280x720] [--fps 30] [--tolerance 0.1]

Measured 2026-12-07 on the shared 2-core machine, 1280x720 30 fps, 41 s take, 8 cuts:
see the report in the issue-15 `cut` branch; the decision it supports is written in
studio/pipeline/media/shots.py's docstring (ours is kept: PySceneDetect is no
dependency).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rss_sampler import PeakRss  # noqa: E402

from studio.core.jobs import JobContext  # noqa: E402
from studio.pipeline.media import ffmpeg  # noqa: E402
from studio.pipeline.media.shots import suggest_cuts  # noqa: E402


def segments(w: int, h: int, fps: int) -> list[tuple[str, float, bool]]:
    """(lavfi graph of one segment, seconds, whether it starts with a cut) in order."""
    s = f"{w}x{h}"
    wide = f"{w * 3}x{h}"
    return [
        (f"testsrc2=s={s}:r={fps}", 5.0, False),
        (f"mandelbrot=s={s}:r={fps}", 5.0, True),
        # Flat warm colour crossfading into a cool one over 2 s inside one shot: no cut.
        (f"color=c=0xb06030:s={s}:r={fps}:d=6[a];color=c=0x3060b0:s={s}:r={fps}:d=6[b];"
         f"[a][b]xfade=transition=fade:duration=2:offset=2,noise=alls=12:allf=t", 6.0, True),
        # A camera pan: a window sliding across a picture three times as wide: no cut.
        (f"smptehdbars=s={wide}:r={fps},crop={w}:{h}:x='min(t*{w * 2 / 6:.1f},{w * 2})':y=0", 6.0, True),
        (f"testsrc=s={s}:r={fps}", 4.0, True),
        (f"life=s={s}:r={fps}:mold=10:ratio=0.1:death_color=#203040:life_color=#e0c080", 4.0, True),
        (f"rgbtestsrc=s={s}:r={fps},hue=H=2*PI*t/4", 4.0, True),
        (f"color=c=0x208040:s={s}:r={fps},noise=alls=20:allf=t", 3.0, True),
        (f"testsrc2=s={s}:r={fps},hflip,negate", 4.0, True),
    ]


def build(path: Path, w: int, h: int, fps: int, repeat: int = 1) -> list[float]:
    """Write the long take (the segments ``repeat`` times over) to ``path``; the known cut times."""
    parts: list[str] = []
    cuts: list[float] = []
    at = 0.0
    for k, (graph, seconds, cut) in enumerate(segments(w, h, fps) * repeat):
        if cut or k > 0:
            cuts.append(round(at, 6))
        parts.append(f"{graph},trim=duration={seconds},setpts=PTS-STARTPTS,format=yuv420p,"
                     f"scale={w}:{h},setsar=1,fps={fps}[v{k}]")
        at += seconds
    graph = ";".join(parts) + ";" + "".join(f"[v{k}]" for k in range(len(parts))) + \
        f"concat=n={len(parts)}:v=1:a=0[out]"
    cmd = [ffmpeg.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-filter_complex", graph,
           "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", "-g", str(fps * 4), "-pix_fmt", "yuv420p",
           str(path)]
    subprocess.run(cmd, check=True)
    return cuts


def score(found: list[float], truth: list[float], tol: float) -> tuple[float, float, float]:
    """Precision, recall and the largest timing error of a matched cut (greedy one-to-one)."""
    left = list(truth)
    hits, worst = 0, 0.0
    for t in found:
        best = min(left, key=lambda c: abs(c - t), default=None)
        if best is not None and abs(best - t) <= tol:
            hits += 1
            worst = max(worst, abs(best - t))
            left.remove(best)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall, worst


def scenedetect_cuts(path: Path, detector: str) -> list[float]:
    from scenedetect import AdaptiveDetector, ContentDetector, detect

    det = ContentDetector() if detector == "content" else AdaptiveDetector()
    scenes = detect(str(path), det, backend="pyav")
    return [start.seconds for start, _ in scenes[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--tolerance", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=1,
                        help="the take this many times over (5 at 1920x1080: a 3.4-minute 1080p recording)")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long-take.mp4"
        t0 = time.perf_counter()
        truth = build(path, w, h, args.fps, args.repeat)
        total = sum(s for _, s, _ in segments(w, h, args.fps)) * args.repeat
        print(f"long take {w}x{h} {args.fps} fps, {total:.0f} s, "
              f"{len(truth)} cuts at {truth} (made in {time.perf_counter() - t0:.1f} s)")
        starts = [sum(x for _, x, _ in segments(w, h, args.fps)[:k]) for k in range(3)]
        print(f"a crossfade ({starts[2] + 2:.0f}-{starts[2] + 4:.0f} s) and a pan ({truth[2]:.0f}-{truth[3]:.0f} s) "
              "must not cut")
        runs = [("ours", lambda: suggest_cuts(path, JobContext("shots")))]
        try:
            import scenedetect  # noqa: F401

            runs += [("sd-content", lambda: scenedetect_cuts(path, "content")),
                     ("sd-adapt", lambda: scenedetect_cuts(path, "adaptive"))]
        except ImportError:
            print("PySceneDetect is not installed: pip install scenedetect opencv-python-headless")
        print(f"{'detector':<11} {'precision':>9} {'recall':>7} {'max err s':>9} {'seconds':>8}  cuts found")
        base = None
        for name, run in runs:
            t0 = time.perf_counter()
            with PeakRss() as rss:
                found = run()
            wall = time.perf_counter() - t0
            base = base or wall
            p, r, worst = score(found, truth, args.tolerance)
            print(f"{name:<11} {p:>9.2f} {r:>7.2f} {worst:>9.3f} {wall:>8.2f}  "
                  f"{[round(t, 3) for t in found]}  (time/ours {wall / base:.2f}, "
                  f"peak RSS {rss.peak / 2**20:.0f} MB)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
