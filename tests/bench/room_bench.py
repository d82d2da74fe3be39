"""Benchmark: a workshop room of N participants against one server that serves two requests at a time.

Run on demand (not collected by pytest):

    python tests/bench/room_bench.py                     # 30 participants, 2 server slots
    python tests/bench/room_bench.py --participants 6 --export 1

Each participant is a thread on loopback with its own project folder and runs
script → images → voice → subtitles through the "Server kelas" engines (chat,
images, speech, transcription) against ``tests/room_server.py``, which runs the
project's tiny Stable Diffusion, espeak-ng and the bundled Whisper base, two
requests at a time, and answers 503 + Retry-After beyond its queue. Every
participant's project is then loaded back (lost work = a finished step whose
files are missing or whose project no longer loads); ``--export K`` exports the
first K projects and checks the MP4. Printed: wall time, throughput (requests/s,
projects/min), p50/p95 of the wait for a server slot, busy answers, failures
(each with its sentence) and lost work. Stops by itself (``--timeout``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ for room_server, tiny_diffusers

from room_server import RoomServer
from tiny_diffusers import tiny_sd_folder

from studio.core import storage
from studio.core.errors import StudioError
from studio.core.project import Brief, Project
from studio.core.settings import Settings
from studio.engines import registry
from studio.pipeline import batch


def room_settings(url: str, srv: RoomServer) -> Settings:
    s = Settings()
    s.llm.base_url, s.llm.model = url, srv.models["chat"]
    s.server.image_model, s.server.speech_model, s.server.transcribe_model = (
        srv.models["image"], srv.models["speech"], srv.models["transcribe"])
    for kind, key in registry.SERVER_ENGINES.items():
        setattr(s.engines, kind, key)
    return s


def lost_work(folder: Path) -> list[str]:
    """Finished steps whose outputs are gone, or a project that no longer loads."""
    try:
        project = storage.read_project(folder).project
    except StudioError as exc:
        return [f"project does not load: {exc}"]
    lost = []
    for scene in project.scenes:
        for asset in (scene.image, scene.voice):
            if asset is not None and not (folder / asset.path).is_file():
                lost.append(asset.path)
    return lost


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--participants", type=int, default=30)
    ap.add_argument("--slots", type=int, default=2, help="requests the server works on at a time")
    ap.add_argument("--queue", type=int, default=8, help="requests it queues before answering 503")
    ap.add_argument("--export", type=int, default=0, help="export and check the first K projects")
    ap.add_argument("--timeout", type=float, default=1800.0)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="room-bench-"))
    with RoomServer(slots=args.slots, queue=args.queue, sd_folder=tiny_sd_folder(work / "models"),
                    retry_after=2.0) as srv:
        settings = room_settings(srv.url, srv)
        room = work / "kelas"
        for i in range(args.participants):
            project = Project(brief=Brief(title=f"Tradisi Desa {i + 1}", region="Bali", theme="tradisi",
                                          creator=f"Peserta {i + 1}", agency="Dinas Kebudayaan"))
            storage.create_project(room / f"peserta-{i + 1:02d}", project)
        stop = threading.Event()
        rows: list[batch.BatchRow] = []
        t0 = time.monotonic()
        from studio.core.jobs import JobContext

        ctx = JobContext("room")
        with ThreadPoolExecutor(max_workers=args.participants) as pool:
            futures = [pool.submit(batch.run_project, batch.BatchRow(f), settings, export=False, ctx=ctx)
                       for f in batch.find_projects([room])]
            done, pending = wait(futures, timeout=args.timeout)
            if pending:
                ctx.cancel()
                stop.set()
            rows = [f.result() for f in futures]
        wall = time.monotonic() - t0
        exported = []
        for row in rows[:args.export]:
            if row.status in ("done", "up to date"):
                exported.append(batch.run_project(batch.BatchRow(row.folder), settings, export=True,
                                                  ctx=JobContext("export")))
        waits = sorted(w for _, _, w in srv.seen)
        failed = [r for r in rows if r.status not in ("done", "up to date")]
        lost = {r.folder.name: lost_work(r.folder) for r in rows}
        lost = {k: v for k, v in lost.items() if v}
        q = statistics.quantiles(waits, n=20) if len(waits) >= 20 else waits or [0.0]
        print(f"participants {args.participants}, server slots {args.slots} (queue {args.queue}), "
              f"peak in server {srv.peak}")
        print(f"wall {wall:.1f} s; requests {len(waits)} ({len(waits) / wall:.2f}/s); "
              f"projects/min {60 * (len(rows) - len(failed)) / wall:.2f}")
        print(f"wait for a server slot: p50 {statistics.median(waits) if waits else 0:.2f} s, "
              f"p95 {q[-1]:.2f} s, max {waits[-1] if waits else 0:.2f} s; busy answers (503/429) {srv.busy_answers}")
        print(f"failures {len(failed)}; lost work {sum(len(v) for v in lost.values())}")
        for r in failed:
            print(f"  {r.folder.name}: {r.status}: {r.error}")
        for name, items in lost.items():
            print(f"  LOST {name}: {items[:3]}")
        for r in exported:
            print(f"  export {r.folder.name}: {r.status}, rules {r.rules}, {r.output} {r.error}")
        return 1 if failed or lost or any(r.status == "failed" for r in exported) else 0


if __name__ == "__main__":
    raise SystemExit(main())
