"""Convert a downloaded Hugging Face chat model into an int4 ONNX Runtime GenAI folder, on this machine.

ONNX Runtime GenAI decodes fastest of the CPU runtimes measured for the fast local script
engine (tests/bench/llm_bench.py --quick, random Qwen2.5-1.5B shape, 2 threads, 1300-token
prompt, 900-token answer; run of 2026-12-07 10:40 UTC, load average 3.3 on 2 cores, 28.8 GB/s
numpy-copy bandwidth). Its own converter is the model builder (``python -m
onnxruntime_genai.models.builder -p int4 -e cpu``) with int4 weights in blocks of 256 and
accuracy level 4 (int8 activations, so the MatMulNBits kernels use the CPU's integer dot
products: AVX-512 VNNI, AVX-VNNI or AVX2):

====================  =========  ===========  ========  =======
variant               prefill s  decode tok/s  answer s  peak GB
====================  =========  ===========  ========  =======
transformers bf16 1t  20.5       2.58         369       3.68
OpenVINO int4 asym    7.1        22.0         48        2.09
OpenVINO int4 sym     7.1        23.8         45        2.07
ORT block 32          16.7       23.6         55        2.49
ORT block 128         12.1       27.4         45        2.10
ORT block 256         10.7       35.6         36        2.02
====================  =========  ===========  ========  =======

(accuracy level 1, fp32 activations, decoded 2.5 tokens/s in an earlier run.) Blocks of 256
read 0.81 GB of weights per token, and at 35.6 tokens/s that is the whole measured memory
bandwidth: decoding is bandwidth bound, so fewer bytes per token (bigger blocks, fewer
scales) is what makes it faster. A model whose layers 256 does not divide (Qwen2.5-0.5B is
896 wide) gets the largest block that fits (``fitting_block``: 128 there). The bench's
random weights cannot measure what bigger blocks cost in quality. Like ``engines.llm.convert`` it runs in a child process (a cancel kills
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

BLOCK_SIZE = 256
"""The preferred int4 block; ``fitting_block`` lowers it for a model whose widths it does not divide."""
_BLOCKS = (256, 128, 64, 32, 16)
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


def fitting_block(folder: Path, preferred: int = BLOCK_SIZE) -> int:
    """The largest int4 block (group) size up to ``preferred`` that divides every layer width of the model
    in ``folder`` (its config.json): 256 for Qwen2.5-1.5B and 3B, 128 for the 0.5B, 16 for the tests' tiny model."""
    try:
        config = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
        hidden, inner = int(config["hidden_size"]), int(config["intermediate_size"])
        heads = int(config.get("num_attention_heads") or 1)
        head_dim = int(config.get("head_dim") or hidden // heads)
    except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError):
        return preferred
    widths = (hidden, inner, heads * head_dim)
    for block in (b for b in _BLOCKS if b <= preferred):
        if all(w % block == 0 and w > block for w in widths):
            return block
    return _BLOCKS[-1]


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


def convert_to_onnx(hf_folder: str | Path, out: str | Path, ctx: JobContext, *, block_size: int | None = None,
                    accuracy_level: int = ACCURACY_LEVEL) -> Path:
    """Convert ``hf_folder`` (a transformers chat model) into ``out``; progress and cancel through ``ctx``.

    ``block_size`` must divide the model's layer widths; by default ``fitting_block`` picks it.
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
    block_size = block_size or fitting_block(hf_folder)
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
