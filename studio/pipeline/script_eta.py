"""How long a local model will take to write one script here, before the button is pressed.

Measured first: every local script generation records its speed (``core.speed_stats``:
engine, model folder, threads; seconds to the first text, which is loading plus reading the
prompt, and characters per second after it). The estimate for a new request is the median
of that setup's runs: ``first text + expected characters / characters per second``, the
expected characters scaled from the characters those runs wrote per word asked.

Before any run of that setup exists the estimate is rough, from the weights' size on disk
and the CPU's features: decoding a token reads every weight once, so tokens per second ≈
effective bandwidth ÷ weight bytes. The bandwidths below come from tests/bench/llm_bench.py
on the project's 2-core AVX-512 machine (busy, load 3–4): ONNX Runtime GenAI int4 1.5B (837 MB)
at 9.5 tokens/s with 2 threads ≈ 8 GB/s; transformers bf16 1.5B (3.1 GB) at 1.2 tokens/s with
1 thread ≈ 3.7 GB/s; OpenVINO GenAI taken a little below ONNX Runtime (its int4 rows were
slower in the same bench). Prefill is taken as ten times the decode rate (transformers
measured 1,300 tokens in 107 s against 1.2 tokens/s decode). AVX2-only laptops are taken at
0.6 of that (no AVX-512 VNNI), CPUs without AVX2 at 0.25; an instruction-set cap
(``ONEDNN_MAX_CPU_ISA``, ``OV_CPU_MAX_ISA``) counts for PyTorch and OpenVINO, not for ONNX
Runtime, whose own kernels do not read those variables. The UI says "kasar" (rough)
until the first run of the setup is recorded.
"""

from __future__ import annotations

import logging
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core import speed_stats
from studio.core.speed_stats import ScriptRun

log = logging.getLogger(__name__)

LOCAL_SCRIPT_ENGINES = ("script.local", "script.fast_local")
"""The script engines that run on this machine's CPU (their speed is this machine's)."""

PROMPT_TOKENS = 1300
"""The script prompt's size in Qwen tokens (tests/bench/llm_bench.py)."""
CHARS_PER_TOKEN = 2.5
"""The script JSON (Indonesian narration, English image prompts): 900 tokens for a 75-second script."""
CHARS_PER_WORD = 7 * 5 / 2
"""Answer characters per narration word asked for (``ChatScriptEngine``'s expected length)."""
GB_PER_S = {"onnxruntime-genai": 8.0, "openvino": 6.5, "transformers": 3.7}
CALIBRATED_THREADS = {"onnxruntime-genai": 2, "openvino": 2, "transformers": 1}
TIER = {"amx": 1.2, "avx512": 1.0, "avx2": 0.6, "neon": 0.6, "basic": 0.25}
PREFILL_RATIO = 10.0
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".onnx.data", ".onnx", ".pt")


@dataclass(frozen=True)
class Estimate:
    """Expected seconds for one script, and what they rest on."""

    seconds: float
    runs: int
    """Recorded runs behind it; 0 means the rough estimate from model size and CPU."""
    first_text_s: float
    chars_per_s: float
    chars: int

    @property
    def rough(self) -> bool:
        return self.runs == 0


def runtime_of(engine: Any) -> str:
    """``onnxruntime-genai`` / ``openvino`` / ``transformers`` ("" for an engine that runs elsewhere)."""
    key = getattr(getattr(engine, "info", None), "key", "")
    if key == "script.fast_local":
        return str(getattr(engine, "backend", "") or "")
    if key == "script.local":
        return "transformers"
    return ""


def setup_of(engine: Any) -> tuple[str, str, int] | None:
    """(engine key, model folder name, threads) of a local script engine with a model, else None."""
    key = getattr(getattr(engine, "info", None), "key", "")
    folder = getattr(engine, "model_dir", None)
    if key not in LOCAL_SCRIPT_ENGINES or folder is None:
        return None
    return key, Path(folder).name, int(getattr(engine, "threads", 1) or 1)


def weight_bytes(folder: Path) -> int:
    """The bytes of a model folder's weight files (what every decoded token reads)."""
    total = 0
    try:
        for path in Path(folder).rglob("*"):
            name = path.name.lower()
            if name.endswith(WEIGHT_SUFFIXES) and "tokenizer" not in name and path.is_file():
                total += path.stat().st_size
    except OSError:
        return total
    return total


def expected_chars(word_budget: int) -> int:
    """How long the answer to a request of ``word_budget`` narration words is expected to be."""
    return max(400, int(word_budget * CHARS_PER_WORD))


def rough(engine: Any, word_budget: int, cpu: Any) -> Estimate | None:
    """The estimate from the weights' size and the CPU (``engines.support.cpu.CpuFeatures``), or None."""
    setup, runtime = setup_of(engine), runtime_of(engine)
    if setup is None or runtime not in GB_PER_S:
        return None
    size = weight_bytes(Path(engine.model_dir))
    if size <= 0:
        return None
    threads = setup[2]
    # ONNX Runtime's kernels ignore the oneDNN/OpenVINO caps (engines.support.cpu).
    tier = getattr(cpu, "full_tier" if runtime == "onnxruntime-genai" else "tier", "avx2")
    scale = TIER.get(tier, 0.6) * (threads / CALIBRATED_THREADS[runtime]) ** 0.5
    tokens_per_s = GB_PER_S[runtime] * 1e9 * scale / size
    load_s = 2.0 + 2.0 * size / 1e9
    first = load_s + PROMPT_TOKENS / (tokens_per_s * PREFILL_RATIO)
    chars = expected_chars(word_budget)
    rate = tokens_per_s * CHARS_PER_TOKEN
    return Estimate(first + chars / rate, 0, round(first, 1), round(rate, 1), chars)


def measured(runs: list[ScriptRun], word_budget: int) -> Estimate | None:
    """The estimate from recorded runs of one setup (their medians), or None without runs."""
    if not runs:
        return None
    first = statistics.median(r.first_text_s for r in runs)
    rate = statistics.median(r.chars_per_s for r in runs)
    per_word = [r.chars / r.word_budget for r in runs if r.word_budget > 0]
    chars = int(word_budget * statistics.median(per_word)) if per_word else expected_chars(word_budget)
    return Estimate(first + chars / rate, len(runs), round(first, 1), round(rate, 1), chars)


def estimate(engine: Any, word_budget: int, cpu: Any = None, path: Path | None = None) -> Estimate | None:
    """Measured when this setup has runs, else rough; None for an engine that does not run here."""
    setup = setup_of(engine)
    if setup is None:
        return None
    got = measured(speed_stats.runs_for(*setup, path=path), word_budget)
    if got is not None:
        return got
    if cpu is None:
        from studio.engines.support import cpu as cpu_mod

        cpu = cpu_mod.known()
    return rough(engine, word_budget, cpu)


class WriteClock:
    """Times one local script answer: call ``saw`` on every progress report, then ``finish``."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.started = time.perf_counter()
        self.first_text: float | None = None

    def saw(self, _progress: object = None) -> None:
        if self.first_text is None and getattr(self.engine, "partial_text", ""):
            self.first_text = time.perf_counter()

    def finish(self, result: Any, word_budget: int, path: Path | None = None) -> ScriptRun | None:
        """Record the answer's speed (never raises: a speed file is not worth a failed step)."""
        setup = setup_of(self.engine)
        if setup is None or self.first_text is None:
            return None
        raw = result.raw if isinstance(getattr(result, "raw", None), str) else self.engine.partial_text
        params = getattr(getattr(result, "provenance", None), "params", {}) or {}
        run = ScriptRun(engine=setup[0], model=setup[1], threads=setup[2],
                        first_text_s=round(self.first_text - self.started, 2),
                        write_s=round(time.perf_counter() - self.first_text, 2), chars=len(raw),
                        tokens=int(params.get("tokens") or 0), word_budget=int(word_budget),
                        runtime=runtime_of(self.engine))
        try:
            speed_stats.record(run, path)
        except Exception as exc:  # noqa: BLE001 - see the docstring
            log.info("the script's speed was not recorded: %s", exc)
            return None
        return run
