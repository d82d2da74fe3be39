"""Cold start to window: how long from launching `python -m studio` until the window is shown.

Run on demand (not collected by pytest)::

    python tests/bench/startup_bench.py [--runs 7]

Each run is a fresh interpreter (offscreen Qt, an empty STUDIO_HOME). The app writes
the wall-clock time of its first shown window (``STUDIO_EXIT_AFTER_SHOWN``) and quits.
Side by side, in the same session: a bare PySide6 window (the floor for any Qt app
here) and a bare interpreter. Prints median / min / max and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_QT = r"""
import json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setWindowTitle("bare"); w.resize(1366, 768); w.show()
def done():
    open(sys.argv[1], "w").write(json.dumps({"shown": time.time()}))
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def _run(cmd: list[str], env: dict[str, str], probe: Path) -> float:
    probe.unlink(missing_ok=True)
    started = time.time()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=300)
    return json.loads(probe.read_text(encoding="utf-8"))["shown"] - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="studio-startup-"))
    probe = tmp / "shown.json"
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "STUDIO_HOME": str(tmp / "home"), "STUDIO_EXIT_AFTER_SHOWN": str(probe)}
    results: dict[str, list[float]] = {"studio": [], "bare_qt": [], "python": []}
    heavy: list[str] = []
    for i in range(args.runs):
        # Interleaved so machine noise hits all three alike.
        results["studio"].append(_run([sys.executable, "-m", "studio"], env, probe))
        heavy = json.loads(probe.read_text(encoding="utf-8")).get("heavy", [])
        results["bare_qt"].append(_run([sys.executable, "-c", BARE_QT, str(probe)], env, probe))
        started = time.time()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        results["python"].append(time.time() - started)
        print(f"run {i + 1}/{args.runs}: studio {results['studio'][-1]:.2f} s, "
              f"bare Qt {results['bare_qt'][-1]:.2f} s", flush=True)
    print()
    print(f"{'':10} {'median':>8} {'min':>8} {'max':>8}")
    for name, values in results.items():
        print(f"{name:10} {statistics.median(values):8.3f} {min(values):8.3f} {max(values):8.3f}")
    floor = statistics.median(results["bare_qt"])
    print(f"\nstudio / bare Qt window (medians): {statistics.median(results['studio']) / floor:.2f}x")
    print(f"heavy libraries loaded when the window was shown: {heavy or 'none'}")


if __name__ == "__main__":
    main()
