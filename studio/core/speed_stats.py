"""How fast local AI engines wrote on this machine: the measured rates behind "Perkiraan: ±1 menit".

One small JSON file per user (``paths.speed_stats_path``), written atomically. Each record is
one local script generation: the engine, the model folder's name, the thread count, the
runtime, the seconds until the first text appeared (loading and prefill), the seconds of
writing after it, and how many characters and tokens it wrote for how many words asked.
Nothing else: no prompt, no text, no path beyond the folder's name. A missing, unreadable
or corrupt file is treated as "no runs yet" (estimates fall back to the rough one), and
a record that does not parse is skipped.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from studio.core import paths

log = logging.getLogger(__name__)

VERSION = 1
KEEP_PER_SETUP = 5
"""Runs kept per engine + model + threads (the estimate is their median)."""
KEEP_ALL = 60


@dataclass(frozen=True)
class ScriptRun:
    """One measured local script generation."""

    engine: str
    model: str
    threads: int
    first_text_s: float
    """From the request to the first streamed text: loading the model and reading the prompt (prefill)."""
    write_s: float
    """From the first text to the end of the answer."""
    chars: int
    tokens: int = 0
    word_budget: int = 0
    runtime: str = ""
    at: str = ""

    @property
    def setup(self) -> tuple[str, str, int]:
        return (self.engine, self.model, self.threads)

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.write_s if self.write_s > 0 else 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.write_s if self.write_s > 0 else 0.0

    @property
    def seconds(self) -> float:
        return self.first_text_s + self.write_s


def _run(data: Any) -> ScriptRun | None:
    """A record read back, its types checked (None for one that is not a whole, sane record)."""
    if not isinstance(data, dict):
        return None
    try:
        run = ScriptRun(engine=str(data["engine"]), model=str(data["model"]), threads=int(data["threads"]),
                        first_text_s=float(data["first_text_s"]), write_s=float(data["write_s"]),
                        chars=int(data["chars"]), tokens=int(data.get("tokens", 0)),
                        word_budget=int(data.get("word_budget", 0)), runtime=str(data.get("runtime", "")),
                        at=str(data.get("at", "")))
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    numbers = (run.first_text_s, run.write_s, run.chars, run.threads, run.tokens, run.word_budget)
    if not all(math.isfinite(n) and n >= 0 for n in numbers) or run.write_s <= 0 or run.chars <= 0:
        return None
    return run


def load(path: Path | None = None) -> list[ScriptRun]:
    """The recorded runs, oldest first ([] for a missing or corrupt file; bad records are skipped)."""
    path = path or paths.speed_stats_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        log.info("speed stats %s are unreadable and ignored: %s", path, exc)
        return []
    items = data.get("script") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [run for run in (_run(item) for item in items) if run is not None]


def record(run: ScriptRun, path: Path | None = None) -> list[ScriptRun]:
    """Add ``run`` (stamped now) and keep the newest ``KEEP_PER_SETUP`` of its setup; returns all kept."""
    from studio.core.storage import atomic_write_text

    path = path or paths.speed_stats_path()
    if not run.at:
        run = replace(run, at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    if _run(asdict(run)) is None:
        raise ValueError(f"A speed record needs positive seconds and characters: {run!r}.")
    runs = load(path) + [run]
    same = [r for r in runs if r.setup == run.setup][-KEEP_PER_SETUP:]
    runs = ([r for r in runs if r.setup != run.setup] + same)[-KEEP_ALL:]
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps({"version": VERSION, "script": [asdict(r) for r in runs]},
                                       ensure_ascii=False, indent=1))
    return runs


def runs_for(engine: str, model: str, threads: int, path: Path | None = None) -> list[ScriptRun]:
    """The recorded runs of one setup, oldest first."""
    return [r for r in load(path) if r.setup == (engine, model, int(threads))]
