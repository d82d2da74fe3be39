"""Convert a downloaded Hugging Face chat model into an int4 ONNX Runtime GenAI folder, on this machine.

ONNX Runtime GenAI decodes fastest of the CPU runtimes measured for the fast local script
engine (tests/bench/llm_bench.py). Its own converter is the model builder
(``python -m onnxruntime_genai.models.builder -p int4 -e cpu``); the options used here are
the fastest the bench measured on the 1.5B shape: int4 weights in blocks of 128 with
accuracy level 4 (int8 activations, so the MatMulNBits kernels use the CPU's integer dot
products: AVX-512 VNNI, AVX-VNNI or AVX2). On the 1.5B shape, 2 threads (bench run of
2026-12-07, load average 3–4 on 2 cores): blocks of 32 decoded 7.1 tokens/s, 128 9.5, 256
10.8; accuracy level 1 (fp32 activations) 2.5. Blocks of 128 are kept rather than 256: 12 %
slower, but half the rounding span per scale for a small model writing Indonesian (the
bench's random weights cannot measure quality). Like ``engines.llm.convert`` it runs in a child process (a cancel kills
it at once, and its conversion memory goes back to the system when it ends), writes into
``<out>.partial`` and renames only a whole folder.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

from studio.core.errors import EngineFailed, EngineUnavailable
from studio.core.jobs import JobContext
from studio.engines.llm.convert import finish_conversion, run_converter

GENAI_CONFIG = "genai_config.json"
"""Present in every ONNX Runtime GenAI folder: the model's file names, search and session options."""

BLOCK_SIZE = 128
ACCURACY_LEVEL = 4

# The builder prints "Reading layer N" while it builds the graph, then one "complete quantization of
# /model/layers.N/..." per weight while it compresses them, then saves the configs and tokenizer.
_READ = re.compile(r"Reading (?:decoder )?layer (\d+)")
_QUANT = re.compile(r"complete quantization of /model/layers\.(\d+)/")
_STAGES = (("Reading embedding", "Membaca lapisan embedding", 0.05), ("Saving ONNX", "Memampatkan bobot ke int4", 0.4),
           ("Saving GenAI config", "Menyimpan konfigurasi", 0.9), ("Saving processing files", "Menyimpan tokenizer", 0.95))


def builder_command(hf_folder: Path, out: Path, cache: Path, *, block_size: int = BLOCK_SIZE,
                    accuracy_level: int = ACCURACY_LEVEL, extra: list[str] | None = None) -> list[str]:
    """The model builder's command line (through this Python, so the same environment converts).

    ``extra`` replaces the ``--extra_options`` (key=value words) when given (the bench's variants).
    """
    options = extra if extra is not None else [f"block_size={int(block_size)}", f"accuracy_level={int(accuracy_level)}"]
    return [sys.executable, "-m", "onnxruntime_genai.models.builder", "-i", str(hf_folder), "-o", str(out),
            "-p", "int4", "-e", "cpu", "-c", str(cache), "--extra_options", *options]


def builder_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime_genai", "onnxruntime", "onnx"))


def is_converted_ort(folder: Path) -> bool:
    """True for a whole ONNX Runtime GenAI chat folder: its config, the graph it names and a tokenizer."""
    folder = Path(folder)
    try:
        config = json.loads((folder / GENAI_CONFIG).read_text(encoding="utf-8"))
        graph = config["model"]["decoder"]["filename"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (folder / graph).is_file() and (folder / "tokenizer.json").is_file()


def convert_to_onnx(hf_folder: str | Path, out: str | Path, ctx: JobContext, *, block_size: int = BLOCK_SIZE,
                    accuracy_level: int = ACCURACY_LEVEL) -> Path:
    """Convert ``hf_folder`` (a transformers chat model) into ``out``; progress and cancel through ``ctx``.

    ``block_size`` must divide the model's layer widths (the tests' tiny model needs 16).
    Raises Cancelled (partial output removed), EngineUnavailable when the builder is not
    installed, EngineFailed with the builder's last words when it fails.
    """
    hf_folder, out = Path(hf_folder), Path(out)
    if not builder_available():
        raise EngineUnavailable(
            "The ONNX Runtime GenAI model builder is not installed; install Studio Lokal with its 'fast' extra.",
            "Pembuat model ONNX Runtime GenAI belum terpasang; pasang Studio Lokal dengan tambahan 'fast'.")
    try:
        layers = int(json.loads((hf_folder / "config.json").read_text(encoding="utf-8"))["num_hidden_layers"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EngineFailed(f"{hf_folder} is not a Hugging Face model folder (its config.json is missing or "
                           "unreadable).",
                           f"{hf_folder} bukan folder model Hugging Face (config.json tidak ada atau tidak "
                           "terbaca).") from exc
    if is_converted_ort(out):
        return out
    partial = out.with_name(out.name + ".partial")
    cache = out.with_name(out.name + ".cache")
    state: dict[str, object] = {"fraction": 0.0, "message": "Mengonversi model ke ONNX int4"}

    def on_line(line: str) -> None:
        for pattern, start, span, what in ((_READ, 0.05, 0.3, "Membaca lapisan"), (_QUANT, 0.4, 0.5, "Memampatkan lapisan")):
            found = pattern.search(line)
            if found:
                done = min(layers, int(found.group(1)) + 1)
                fraction = start + span * done / max(1, layers)
                if fraction > float(state["fraction"]):  # type: ignore[arg-type]
                    state.update(fraction=fraction, message=f"{what} {done} dari {layers}")
                return
        for key, message, start in _STAGES:
            if key in line and float(state["fraction"]) < start:  # type: ignore[arg-type]
                state.update(fraction=start, message=message)

    try:
        run_converter(builder_command(hf_folder, partial, cache, block_size=block_size,
                                      accuracy_level=accuracy_level),
                      partial, ctx, state, on_line, is_converted_ort, ("ONNX Runtime GenAI", "ONNX Runtime GenAI"))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    finish_conversion(hf_folder, partial, out)
    ctx.progress(1, 1, "Model ONNX int4 siap")
    return out
