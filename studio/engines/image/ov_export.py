"""Convert a diffusers Stable Diffusion folder into an OpenVINO folder, on this machine.

OpenVINO's own converter (``openvino.convert_model``, the PyTorch front end) turns the
three networks of the pipeline into OpenVINO graphs:

    text_encoder/openvino_model.xml   input_ids -> last_hidden_state
    unet/openvino_model.xml           sample, timestep, encoder_hidden_states -> out_sample
    vae_decoder/openvino_model.xml    latent_sample -> sample

(the names and folders optimum-intel's exporter uses, so an optimum export of SD-Turbo
works the same way). Weights: the matrix products of the text encoder and the UNet
(attention, feed-forward, projections) are compressed to int8 by NNCF (per output channel,
asymmetric; weight-only, activations stay float), the rest is stored as fp16. Why
(tests/bench/image_bench.py --runtimes, SD-Turbo shapes): the CPU plugin keeps int8 matrix
weights as they are and widens them on the fly, while fp16 weights get a second, widened
copy next to the file's own; with OpenVINO alone in a process that cut the peak RSS from
7.15 to 4.87 GB under the AVX2 cap (f32) and from 4.80 to 3.62 GB with bf16, at the same
speed. The convolutions (65 % of the UNet's
weights) stay fp16: int8 ones are widened to f32 when compiling, which raised the peak
instead. Quality could not be measured here (random weights); 8-bit weight-only compression
is what optimum-intel applies by default to models over 1 B parameters.

The tokenizer, scheduler and ``model_index.json`` are copied as they are: the fast engine
tokenizes and schedules with transformers/diffusers, which the app already has. Batch,
height and width stay dynamic in the graphs; the engine fixes them when it compiles for
one size.

``convert_diffusers(src, out, ctx)`` runs the conversion in a child process (this module
run as ``python -m studio.engines.image.ov_export SRC OUT``), so a cancel stops it at
once and the several GB it needs go back to the system. It writes ``<out>.partial`` and
renames it only when whole; a cancel or failure removes the partial folder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

from studio.core.errors import EngineFailed, EngineUnavailable
from studio.core.jobs import Cancelled, JobContext
from studio.engines.support.child import kill_tree

PARTS = ("text_encoder", "unet", "vae_decoder")
INT8_PARTS = ("text_encoder", "unet")
"""The networks whose matrix weights are stored as int8 (the VAE decoder is TAESD's 2.4 M: nothing to gain)."""
GRAPH = "openvino_model.xml"
_STEPS = {"text_encoder": (0.05, "Mengonversi penyandi teks"), "unet": (0.3, "Mengonversi UNet"),
          "vae_decoder": (0.85, "Mengonversi dekoder gambar")}


def is_converted(folder: Path) -> bool:
    """True for a whole OpenVINO diffusion folder: the three graphs with weights, tokenizer and scheduler."""
    folder = Path(folder)
    graphs = all((folder / p / GRAPH).is_file() and (folder / p / "openvino_model.bin").is_file() for p in PARTS)
    return graphs and (folder / "scheduler").is_dir() and (folder / "tokenizer").is_dir()


def converter_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("openvino", "nncf", "torch", "diffusers"))


# ------------------------------------------------------------------ the child process


def _export(src: Path, out: Path, vae_dir: Path | None = None) -> None:
    """Convert every part of ``src`` into ``out`` (runs in the child; prints one line per part).

    ``vae_dir`` swaps a separate VAE (TAESD) in first, as the torch engine does at load time.
    """
    import nncf
    import openvino as ov
    import torch
    from diffusers import DiffusionPipeline

    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    extra = {}
    if vae_dir is not None:
        import diffusers

        name = json.loads((vae_dir / "config.json").read_text(encoding="utf-8")).get("_class_name", "")
        extra["vae"] = getattr(diffusers, name or "AutoencoderTiny").from_pretrained(str(vae_dir),
                                                                                   local_files_only=True)
    pipe = DiffusionPipeline.from_pretrained(str(src), local_files_only=True, torch_dtype=torch.float32, **extra)
    text, unet, vae = pipe.text_encoder.eval(), pipe.unet.eval(), pipe.vae.eval()
    max_len = int(getattr(pipe.tokenizer, "model_max_length", 77) or 77)
    latent_ch = int(unet.config.in_channels)
    sample = int(unet.config.sample_size if not isinstance(unet.config.sample_size, (list, tuple))
                 else unet.config.sample_size[0])

    for module in (text, unet, vae):
        module.requires_grad_(False)

    class Part(torch.nn.Module):
        """One network as a graph with plain tensor inputs and one output (the module is a child)."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

    class Text(Part):
        def forward(self, input_ids):
            return self.inner(input_ids, return_dict=False)[0]

    class Unet(Part):
        def forward(self, sample, timestep, encoder_hidden_states):
            return self.inner(sample, timestep, encoder_hidden_states, return_dict=False)[0]

    class Decoder(Part):
        def forward(self, latent_sample):
            return self.inner.decode(latent_sample, return_dict=False)[0]

    hidden = int(text.config.hidden_size)
    specs = {
        "text_encoder": (Text(text), (torch.ones(1, max_len, dtype=torch.int64),),
                         [("input_ids", [-1, max_len], ov.Type.i64)], ["last_hidden_state"]),
        "unet": (Unet(unet), (torch.randn(1, latent_ch, sample, sample), torch.tensor([999], dtype=torch.int64),
                          torch.randn(1, max_len, hidden)),
                 [("sample", [-1, latent_ch, -1, -1], ov.Type.f32), ("timestep", [-1], ov.Type.i64),
                  ("encoder_hidden_states", [-1, max_len, hidden], ov.Type.f32)], ["out_sample"]),
        "vae_decoder": (Decoder(vae), (torch.randn(1, latent_ch, sample, sample),),
                        [("latent_sample", [-1, latent_ch, -1, -1], ov.Type.f32)], ["sample"]),
    }
    for part, (module, example, inputs, outputs) in specs.items():
        _tell_parent(f"PART {part}")
        with torch.no_grad():
            model = ov.convert_model(module, example_input=example,
                                     input=[(name, ov.PartialShape(shape), kind) for name, shape, kind in inputs])
        for port, name in zip(model.inputs, [i[0] for i in inputs]):
            port.get_tensor().set_names({name})
        for port, name in zip(model.outputs, outputs):
            port.get_tensor().set_names({name})
        if part in INT8_PARTS:
            model = nncf.compress_weights(model, mode=nncf.CompressWeightsMode.INT8_ASYM,
                                          ignored_scope=nncf.IgnoredScope(types=["Convolution"], validate=False))
        (out / part).mkdir(parents=True, exist_ok=True)
        ov.save_model(model, str(out / part / GRAPH), compress_to_fp16=True)
        del model
        config = {"text_encoder": text.config.to_dict(), "unet": dict(unet.config),
                  "vae_decoder": dict(vae.config)}[part]
        config["_class_name"] = {"text_encoder": type(text).__name__, "unet": type(unet).__name__,
                                 "vae_decoder": type(vae).__name__}[part]
        (out / part / "config.json").write_text(json.dumps(config, indent=2, default=str), encoding="utf-8")
    for name in ("tokenizer", "scheduler"):
        shutil.copytree(src / name, out / name, dirs_exist_ok=True)
    index = json.loads((src / "model_index.json").read_text(encoding="utf-8"))
    index["_studio_runtime"] = "openvino"
    index["_studio_weights"] = "int8 matmul (nncf int8_asym), fp16 rest"
    (out / "model_index.json").write_text(json.dumps(index, indent=2), encoding="utf-8")
    _tell_parent("DONE")


def _tell_parent(line: str) -> None:
    """One line of the child→parent protocol (``PART name`` / ``DONE``) on the child's stdout,
    which the parent reads for progress; it is a pipe between two processes, not logging."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ------------------------------------------------------------------ the parent side


def convert_diffusers(src: str | Path, out: str | Path, ctx: JobContext, vae: str | Path | None = None) -> Path:
    """Convert the diffusers folder ``src`` into the OpenVINO folder ``out``; progress and cancel via ``ctx``.

    Raises Cancelled (partial output removed), EngineUnavailable when OpenVINO is not
    installed or ``src`` is no diffusers folder, EngineFailed with the converter's last
    words when it fails.
    """
    src, out = Path(src), Path(out)
    if not converter_available():
        raise EngineUnavailable(
            "The OpenVINO converter is not installed; install Studio Lokal with its 'fast' extra.",
            "Pengonversi OpenVINO belum terpasang; pasang Studio Lokal dengan tambahan 'fast'.")
    if not (src / "model_index.json").is_file():
        raise EngineUnavailable(f"{src} is not a diffusers model folder (it has no model_index.json).",
                                f"{src} bukan folder model diffusers (tidak ada model_index.json).")
    if is_converted(out):
        return out
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    ctx.check()
    ctx.progress(0, 1, "Mengonversi model gambar ke OpenVINO")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "studio.engines.image.ov_export", str(src), str(partial)]
    if vae:
        command.append(str(vae))
    proc = subprocess.Popen(command,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                            start_new_session=(os.name == "posix"))
    tail: deque[str] = deque(maxlen=20)
    state = {"fraction": 0.0, "message": "Mengonversi model gambar ke OpenVINO", "done": False}

    def read() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            tail.append(line)
            if line.startswith("PART ") and line[5:] in _STEPS:
                state["fraction"], state["message"] = _STEPS[line[5:]]
            elif line == "DONE":
                state["done"] = True

    reader = threading.Thread(target=read, name="ov-export-output", daemon=True)
    reader.start()
    reported = -1.0
    try:
        while proc.poll() is None:
            if ctx.cancelled:
                kill_tree(proc)
                raise Cancelled(ctx.step)
            if state["fraction"] != reported:
                reported = float(state["fraction"])
                ctx.progress(reported, 1, str(state["message"]))
            time.sleep(0.1)
        reader.join(timeout=5)
        if ctx.cancelled:
            raise Cancelled(ctx.step)
        if proc.returncode != 0 or not state["done"] or not is_converted(partial):
            raise EngineFailed(
                f"Converting the image model to OpenVINO failed (exit code {proc.returncode}).",
                f"Konversi model gambar ke OpenVINO gagal (kode keluar {proc.returncode}).",
                details=" | ".join(list(tail)[-4:])[:600])
    except BaseException:
        kill_tree(proc)
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for name in ("README.md", "LICENSE", "LICENSE.md"):
        if (src / name).is_file():
            shutil.copy2(src / name, partial / name)
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    ctx.progress(1, 1, "Model gambar OpenVINO siap")
    return out


def prepare_fast_folder(settings: object, ctx: JobContext) -> Path:
    """The catalogue's ``sd-turbo-ov``: convert the SD-Turbo (and TAESD) folders found on this computer.

    Written into the app's model folder with a manifest (so the model manager counts it
    as whole) and chosen for ``image.fast_local`` from then on (the caller saves settings).
    """
    from studio.engines.models.catalog import get_spec
    from studio.engines.models.manager import app_folder, default_folder, write_manifest

    src = default_folder("diffusers", settings)
    if src is None:
        raise EngineUnavailable(
            "SD-Turbo is not on this computer yet; download it first with 'studio models download sd-turbo' "
            "(the fast image model is converted from it).",
            "SD-Turbo belum ada di komputer ini; unduh dulu dengan 'studio models download sd-turbo' (model "
            "gambar cepat dikonversi darinya).")
    vae = default_folder("diffusers_vae", settings)
    spec = get_spec("sd-turbo-ov")
    out = convert_diffusers(src, app_folder(spec), ctx, vae=vae)
    files = {p.relative_to(out).as_posix(): {"size": p.stat().st_size} for p in sorted(out.rglob("*"))
             if p.is_file() and p.name != "studio-model.json"}
    write_manifest(out, spec, files, source=f"converted on this computer from {src}" + (f" and {vae}" if vae else ""))
    models = getattr(settings, "models", None)
    if models is not None:
        models.diffusers_fast = str(out)
    return out


if __name__ == "__main__":
    _export(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None)
