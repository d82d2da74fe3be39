"""Convert a downloaded Hugging Face chat model into an int4 OpenVINO folder, on this machine.

OpenVINO GenAI is one of the fast local script engine's two backends (ONNX Runtime
GenAI, converted by ``engines.llm.convert_ort``, is the other); its own converter is ``optimum-cli export openvino
--weight-format int4`` (optimum-intel + NNCF). It runs in a child process so a cancel
can stop it at once (NNCF's weight compression is one long native call that would not
look at a flag) and so its several GB of conversion memory go back to the system when
it ends. The output is written to ``<out>.partial`` and renamed only when complete; a
cancel or a failure kills the child and removes the partial folder, so a half-converted
model is never mistaken for a whole one.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.core.errors import EngineFailed, EngineUnavailable
from studio.core.jobs import Cancelled, JobContext
from studio.engines.support.child import kill_tree

OV_MODEL = "openvino_model.xml"
"""Present in every converted folder (the model graph; weights in ``openvino_model.bin``)."""

# nncf prints "Applying Weight Compression ━━━━━━ 45% • 0:00:12 • ..." (rich progress bars).
_PERCENT = re.compile(r"(Applying [\w ]+?)\s[━╸╺─\s]*?(\d{1,3})%")
_STAGES = (("Export", "Mengekspor grafik model", 0.05), ("Statistics", "Menghitung statistik bobot", 0.3),
           ("Applying", "Memampatkan bobot ke int4", 0.35), ("tokenizer", "Mengonversi tokenizer", 0.9))


def converter_command(hf_folder: Path, out: Path, weight_format: str = "int4",
                      group_size: int | None = None) -> list[str]:
    """The optimum-cli command line (through this Python, so the same environment converts).

    ``group_size`` overrides the int4 group (128 by default); models whose layers are
    narrower than that (the tests' tiny model) need a smaller one.
    """
    command = [sys.executable, "-m", "optimum.commands.optimum_cli", "export", "openvino", "-m", str(hf_folder),
               "--task", "text-generation-with-past", "--weight-format", weight_format]
    if group_size:
        command += ["--group-size", str(int(group_size))]
    return [*command, str(out)]


def converter_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("optimum.intel", "openvino", "nncf"))


def is_converted(folder: Path) -> bool:
    """True for a whole OpenVINO chat folder: graph, weights and the tokenizer the pipeline needs."""
    folder = Path(folder)
    return all((folder / n).is_file() for n in (OV_MODEL, "openvino_model.bin", "openvino_tokenizer.xml",
                                                  "openvino_detokenizer.xml"))


def run_converter(command: list[str], partial: Path, ctx: JobContext, state: dict[str, Any],
                  on_line: Callable[[str], None], whole: Callable[[Path], bool], names: tuple[str, str]) -> None:
    """Run a converter child writing into ``partial``; ``on_line`` turns its output into ``state``'s
    fraction and message, reported through ``ctx``. A cancel or a failure kills the child (and its
    children) and removes ``partial``; ``whole(partial)`` must hold when it ends. ``names`` names
    the target format in English and Indonesian for the failure message."""
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    ctx.check()
    ctx.progress(0, 1, str(state["message"]))
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
           "TERM": "dumb", "COLUMNS": "120"}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env=env, start_new_session=(os.name == "posix"))
    tail: deque[str] = deque(maxlen=30)

    def read() -> None:
        # Progress bars redraw with \r, so split on both line ends.
        buffer = b""
        assert proc.stdout is not None
        for chunk in iter(lambda: proc.stdout.read1(4096), b""):  # type: ignore[union-attr]
            buffer += chunk
            *lines, buffer = re.split(rb"[\r\n]", buffer)
            for raw in lines:
                line = raw.decode("utf-8", "replace").strip()
                if line:
                    tail.append(line)
                    on_line(line)

    reader = threading.Thread(target=read, name="convert-output", daemon=True)
    reader.start()
    reported = -1.0
    try:
        while proc.poll() is None:
            if ctx.cancelled:
                kill_tree(proc)
                raise Cancelled(ctx.step)
            if state["fraction"] != reported:
                reported = state["fraction"]
                ctx.progress(min(0.95, reported), 1, str(state["message"]))
            time.sleep(0.1)
        reader.join(timeout=5)
        if ctx.cancelled:
            raise Cancelled(ctx.step)
        if proc.returncode != 0 or not whole(partial):
            last = " | ".join(list(tail)[-4:])[:600]
            raise EngineFailed(
                f"Converting the model to {names[0]} failed (exit code {proc.returncode}).",
                f"Konversi model ke {names[1]} gagal (kode keluar {proc.returncode}).", details=last)
    except BaseException:
        kill_tree(proc)
        shutil.rmtree(partial, ignore_errors=True)
        raise


def finish_conversion(hf_folder: Path, partial: Path, out: Path) -> Path:
    """Copy the model card beside the converted graph (licence and id survive), then publish ``out``."""
    for name in ("README.md", "LICENSE", "chat_template.jinja"):
        if (hf_folder / name).is_file() and not (partial / name).exists():
            shutil.copy2(hf_folder / name, partial / name)
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    return out


def convert_to_openvino(hf_folder: str | Path, out: str | Path, ctx: JobContext, *,
                        weight_format: str = "int4", group_size: int | None = None) -> Path:
    """Convert ``hf_folder`` (a transformers chat model) into ``out``; progress and cancel through ``ctx``.

    Raises Cancelled (partial output removed), EngineUnavailable when the converter is
    not installed, EngineFailed with the converter's last words when it fails.
    """
    hf_folder, out = Path(hf_folder), Path(out)
    if not converter_available():
        raise EngineUnavailable(
            "The OpenVINO converter is not installed; install Studio Lokal with its 'fast' extra.",
            "Pengonversi OpenVINO belum terpasang; pasang Studio Lokal dengan tambahan 'fast'.")
    if not (hf_folder / "config.json").is_file():
        raise EngineFailed(f"{hf_folder} is not a Hugging Face model folder (it has no config.json).",
                           f"{hf_folder} bukan folder model Hugging Face (tidak ada config.json).")
    if is_converted(out):
        return out
    partial = out.with_name(out.name + ".partial")
    state: dict[str, Any] = {"fraction": 0.0, "message": "Mengonversi model ke OpenVINO int4"}

    def on_line(line: str) -> None:
        for key, message, start in _STAGES:
            if key in line and state["fraction"] < start:
                state.update(fraction=start, message=message)
        found = _PERCENT.search(line)
        if found and found.group(1).startswith("Applying"):
            state.update(fraction=max(state["fraction"], 0.35 + 0.5 * int(found.group(2)) / 100))

    run_converter(converter_command(hf_folder, partial, weight_format, group_size), partial, ctx, state, on_line,
                  is_converted, ("OpenVINO", "OpenVINO"))
    finish_conversion(hf_folder, partial, out)
    ctx.progress(1, 1, "Model OpenVINO int4 siap")
    return out
