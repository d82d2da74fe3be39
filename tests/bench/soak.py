"""Soak: N full demo projects back to back in one process (issue 8, point 6).

Run on demand (not collected):

    python tests/bench/soak.py N [--draft] [--preset ai-local-content-2025] [--keep DIR]

Each project is ``studio demo --out DIR/demo-i`` (script, images, voice, Whisper
subtitles, music, render, export bundle with the offline defaults) called through
``studio.cli.main`` in this same process, as a workshop laptop that builds one clip
after another without restarting the app. After each project the bundle is checked: the
exported MP4 exists and passes the preset's file rules (``checks.check_file``),
``check-project`` loads the folder, and no partial file is left.

Printed per project: exit code, wall seconds, peak RSS while it ran (this process; the
ffmpeg children are sampled too and reported separately), settled RSS after it (after
``gc.collect()``); then failures, the overall peak and the RSS growth from the first
project to the last. Exit status 1 if any project failed.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import sys
import tempfile
import time
import traceback
from pathlib import Path

from rss_sampler import PeakRss, rss_mb  # tests/bench is sys.path[0] when run as a script

from studio import cli
from studio.core import storage
from studio.core.integrity import find_leftovers
from studio.core.rules.findings import blocking


def verify(out: Path) -> list[str]:
    """What is wrong with a finished demo folder (empty: nothing)."""
    from studio.pipeline import checks

    problems: list[str] = []
    project = storage.load_project(out)
    if project.last_export is None:
        return ["no export recorded in project.json"]
    video = out / project.last_export.video
    if not video.is_file():
        return [f"the exported video {video} is missing"]
    blocked = blocking(checks.check_file(video, project.preset))
    problems += [f"rule {f.rule}: {f.message_en}" for f in blocked]
    leftovers = find_leftovers(out)
    problems += [f"leftover partial item {p}" for p in leftovers]
    with contextlib.redirect_stdout(io.StringIO()):
        if cli.main(["check-project", str(out)]) != 0:
            problems.append("check-project did not exit 0")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="how many demo projects to build back to back")
    ap.add_argument("--draft", action="store_true", help="render at half resolution (faster)")
    ap.add_argument("--preset", default="ai-local-content-2025")
    ap.add_argument("--keep", help="build the projects here (kept) instead of a temporary folder")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="studio-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[int, int, float, float, float, float, list[str]]] = []
    start_all = time.monotonic()
    with PeakRss() as overall:
        for i in range(1, args.n + 1):
            out = work / f"demo-{i}"
            argv = ["demo", "--out", str(out), "--preset", args.preset] + (["--draft"] if args.draft else [])
            started = time.monotonic()
            problems: list[str] = []
            err = io.StringIO()  # progress bars and error lines: kept for the report
            with PeakRss() as s:
                try:
                    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                        code = cli.main(argv)
                except Exception:  # a soak reports every failure and goes on
                    code = -1
                    problems.append(traceback.format_exc(limit=3).strip().splitlines()[-1])
            seconds = time.monotonic() - started
            if code == 0:
                try:
                    problems += verify(out)
                except Exception as exc:  # noqa: BLE001 - reported, not raised
                    problems.append(f"verify failed: {exc}")
            elif not problems:
                reason = [ln for ln in err.getvalue().splitlines() if ln.startswith("error:")]
                problems.append(f"studio demo exited {code}" + (f" ({reason[-1]})" if reason else ""))
            gc.collect()
            after = rss_mb()
            rows.append((i, code, seconds, s.peak_self / 2 ** 20, s.peak_children / 2 ** 20, after, problems))
            print(f"project {i}/{args.n}: exit {code}, {seconds:.0f} s, peak RSS {s.peak_self / 2 ** 20:.0f} MB "
                  f"(+ ffmpeg {s.peak_children / 2 ** 20:.0f} MB), settled RSS after {after:.0f} MB"
                  + ("" if not problems else f", PROBLEMS: {'; '.join(problems)}"), flush=True)
    failures = [r for r in rows if r[1] != 0 or r[6]]
    print(f"\n{args.n} demo project(s){' (draft)' if args.draft else ''} in {time.monotonic() - start_all:.0f} s; "
          f"{len(failures)} failure(s)")
    if rows:
        times = [r[2] for r in rows]
        print(f"time per project: {', '.join(f'{t:.0f}' for t in times)} s (mean {sum(times) / len(times):.0f} s)")
        print(f"peak RSS: {overall.peak_self / 2 ** 20:.0f} MB (this process), {overall.peak_children / 2 ** 20:.0f} MB "
              f"(ffmpeg children); settled RSS after project 1: {rows[0][5]:.0f} MB, after project "
              f"{rows[-1][0]}: {rows[-1][5]:.0f} MB (growth {rows[-1][5] - rows[0][5]:+.0f} MB)")
    print(f"projects in {work}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
