"""Scene images through OpenVINO: the same SD-Turbo, compiled for this CPU (``image.fast_local``).

The folder (``settings.models.diffusers_fast``) is an OpenVINO diffusion folder:
``text_encoder/``, ``unet/``, ``vae_decoder/`` graphs (``openvino_model.xml``), the
tokenizer and the scheduler (layout of ``ov_export``; optimum-intel's exports have the same
one). Tokenizing and scheduling use transformers and diffusers as the torch path does, and
the starting noise comes from the same seeded torch generator, so a seed means the same
picture composition in both engines. Only the three networks run in OpenVINO, each compiled
for one image size at a time (batch and size are fixed before compiling: static shapes are
faster on CPU); a new size replaces the old compiled network, because the CPU plugin keeps
the graph's weights next to its compiled copy and two sizes doubled the UNet's memory. The
graphs are read from disk (mmapped) only to compile. ``last_timings`` holds the seconds per
network of the last image.

OpenVINO picks bf16 on CPUs with native bf16 and f32 elsewhere; ``threads`` sets its
inference threads. Progress is one unit per network call; a cancel is checked between
calls (each call is a few seconds at most). Heavy imports happen inside methods only.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import time
from pathlib import Path
from typing import Any

from studio.core.errors import EngineFailed, EngineUnavailable, Problem
from studio.core.jobs import Cancelled, JobContext
from studio.engines.base import (
    EngineBase,
    EngineInfo,
    ImageRequest,
    ImageResult,
    Provenance,
)
from studio.engines.image.diffusion import (
    model_id,
    model_licence,
    out_of_memory,
    plan_size,
)
from studio.engines.image.ov_export import GRAPH, PARTS, is_converted
from studio.engines.models.folders import config_revision
from studio.engines.models.manager import resolve_choice
from studio.engines.support import memory

log = logging.getLogger(__name__)

TOOL_NAME = "Stable Diffusion (OpenVINO)"


def runtime_version() -> str:
    """The installed OpenVINO version, or "" when it is not installed."""
    try:
        from importlib.metadata import version

        return version("openvino")
    except Exception:  # noqa: BLE001 - not installed
        return ""


def graph_size(width: int, height: int, multiple: int) -> tuple[int, int]:
    """``width, height`` rounded to the nearest multiples of ``multiple`` (at least one).

    The UNet graph is traced at its native size, where every down-sampling halves an even
    number; diffusers' own UNet handles odd sizes with a branch the trace does not keep, so
    a 384×680 frame (latent 85 high: 43 after one halving, 22 after two, 44 when doubled
    back) breaks the graph's skip concatenation. The fast engine therefore generates multiples of (pixels per latent ×
    2^down-samplings), 64 for SD-Turbo: 384×704 there.
    """
    step = max(1, int(multiple))
    return (max(step, int(round(width / step)) * step), max(step, int(round(height / step)) * step))


def _latent_channels(core: Any, folder: Path) -> int:
    """The UNet's latent channels: its config.json says (both converters write it), else its graph's input."""
    try:
        channels = json.loads((folder / "unet" / "config.json").read_text(encoding="utf-8")).get("in_channels")
    except (OSError, ValueError):
        channels = None
    if channels:
        return int(channels)
    return int(core.read_model(str(folder / "unet" / GRAPH)).inputs[0].get_partial_shape()[1].get_length())


class FastImageEngine(EngineBase):
    """Generates images with an OpenVINO-compiled Stable Diffusion folder (SD-Turbo)."""

    info = EngineInfo(
        key="image.fast_local", kind="image", name=TOOL_NAME, is_ai=True, licence="lihat kartu model",
        description_id="Membuat gambar dengan SD-Turbo yang dikompilasi OpenVINO untuk CPU ini: lebih cepat "
                       "daripada jalur PyTorch. Tanpa internet.",
        description_en="Generates images with SD-Turbo compiled by OpenVINO for this CPU: faster than the PyTorch "
                       "path. No internet.",
    )

    def __init__(self, model_dir: str | Path = "", *, threads: int = 0, precision: str = "") -> None:
        self.model_dir = resolve_choice(str(model_dir)) if str(model_dir).strip() else None
        self.threads = max(0, int(threads))
        self.precision = precision
        """"" lets OpenVINO choose (bf16 where native); "f32" forces full precision."""
        self._core: Any = None
        self._latent_channels = 4
        self._compiled: dict[tuple[str, tuple[int, ...]], Any] = {}
        self._tokenizer: Any = None
        self._scheduler: Any = None
        self._vae_config: dict[str, Any] = {}
        self.last_timings: dict[str, float] = {}
        """Seconds per network in the last image (text_encoder, unet for all steps, vae_decoder)."""

    @classmethod
    def from_settings(cls, settings: Any) -> FastImageEngine:
        from studio.engines.models.manager import default_folder

        folder = default_folder("diffusers_fast", settings)
        return cls(folder or "", threads=int(getattr(settings, "torch_threads", 0) or 0))

    # ------------------------------------------------------------ checks

    def preflight(self) -> list[Problem]:
        problems: list[Problem] = []
        if self.model_dir is None:
            problems.append(Problem(
                "No OpenVINO image model is set. Choose the SD-Turbo (diffusers) image engine in Settings: it "
                "runs the same model without OpenVINO.",
                "Model gambar OpenVINO belum dipilih. Pilih mesin gambar SD-Turbo (diffusers) di Pengaturan: "
                "model yang sama berjalan tanpa OpenVINO."))
        elif not is_converted(self.model_dir):
            problems.append(Problem(
                f"{self.model_dir} is not a whole OpenVINO image model (it needs text_encoder/, unet/ and "
                "vae_decoder/ graphs, the tokenizer and the scheduler). Convert it again.",
                f"{self.model_dir} bukan model gambar OpenVINO yang lengkap (perlu grafik text_encoder/, unet/ "
                "dan vae_decoder/, tokenizer dan scheduler). Konversi ulang."))
        for module in ("openvino", "diffusers", "transformers", "torch"):
            if importlib.util.find_spec(module) is None:
                problems.append(Problem(
                    f"The Python package '{module}' is not installed; install Studio Lokal with its 'fast' extra.",
                    f"Paket Python '{module}' belum terpasang; pasang Studio Lokal dengan tambahan 'fast'."))
        return problems

    # ------------------------------------------------------------ loading

    @property
    def loaded(self) -> bool:
        return self._core is not None

    def load(self, ctx: JobContext | None = None) -> None:
        """Read the three graphs, the tokenizer and the scheduler (compiling waits for the first size)."""
        if self._core is not None:
            return
        problems = self.preflight()
        if problems:
            raise EngineUnavailable(f"{TOOL_NAME} cannot run: " + "; ".join(problems),
                                    f"{TOOL_NAME} belum bisa dipakai: " + "; ".join(p.text("id") for p in problems),
                                    problems=list(problems))
        import openvino as ov
        from diffusers import EulerDiscreteScheduler, SchedulerMixin
        from transformers import CLIPTokenizer

        folder = self.model_dir
        assert folder is not None
        try:
            core = ov.Core()
            missing = [part for part in PARTS if not (folder / part / GRAPH).is_file()]
            if missing:
                raise FileNotFoundError(f"no {GRAPH} in {', '.join(missing)}")
            self._tokenizer = CLIPTokenizer.from_pretrained(str(folder / "tokenizer"), local_files_only=True)
            config = json.loads((folder / "scheduler" / "scheduler_config.json").read_text(encoding="utf-8"))
            import diffusers

            cls = getattr(diffusers, str(config.get("_class_name", "")), EulerDiscreteScheduler)
            if not (isinstance(cls, type) and issubclass(cls, SchedulerMixin)):
                cls = EulerDiscreteScheduler
            self._scheduler = cls.from_config(config)
            vae_config = folder / "vae_decoder" / "config.json"
            self._vae_config = json.loads(vae_config.read_text(encoding="utf-8")) if vae_config.is_file() else {}
            self._latent_channels = _latent_channels(core, folder)
        except Exception as exc:  # OpenVINO, transformers and diffusers raise their own kinds
            raise EngineUnavailable(
                f"The OpenVINO image model in {folder} cannot be loaded; convert it again.",
                f"Model gambar OpenVINO di {folder} tidak bisa dimuat; konversi ulang.",
                problems=[str(exc)[:300]], details=repr(exc)) from exc
        self._core = core

    def _compiled_for(self, part: str, shapes: dict[str, list[int]]) -> Any:
        """The network compiled for these static shapes; compiling a new size drops the old one first.

        Memory (tests/bench/image_bench.py --runtimes): the CPU plugin keeps the graph's own
        weights (mmapped from the .bin) besides its compiled copy, so each size kept doubled
        the UNet (11.4 GB with 512² and 512×896 both compiled under AVX2). One size per
        network, the graph read from disk only to compile and dropped right after.
        """
        key = (part, tuple(v for dims in shapes.values() for v in dims))
        if key not in self._compiled:
            for old in [k for k in self._compiled if k[0] == part]:
                del self._compiled[old]
            memory.release()
            assert self.model_dir is not None
            model = self._core.read_model(str(self.model_dir / part / GRAPH))
            model.reshape({name: shape for name, shape in shapes.items()})
            config: dict[str, Any] = {"PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": 1}
            if self.threads:
                config["INFERENCE_NUM_THREADS"] = self.threads
            if self.precision:
                config["INFERENCE_PRECISION_HINT"] = self.precision
            started = time.perf_counter()
            self._compiled[key] = self._core.compile_model(model, "CPU", config)
            del model
            log.info("compiled %s for %s in %.1f s", part, shapes, time.perf_counter() - started)
        return self._compiled[key]

    def inference_precision(self) -> str:
        """What OpenVINO runs the UNet in on this CPU (bf16 or f32), once a size was compiled."""
        for (part, _), compiled in self._compiled.items():
            if part == "unet":
                hint = compiled.get_property("INFERENCE_PRECISION_HINT")
                return str(hint.to_string() if hasattr(hint, "to_string") else hint)
        return ""

    def unload(self) -> None:
        self._compiled.clear()
        self._core = None
        memory.release()

    def latent_factor(self) -> int:
        """Pixels per latent cell (8 for SD; the VAE's ``block_out_channels`` say, as in diffusers)."""
        blocks = self._vae_config.get("block_out_channels") or [0] * 4
        return 2 ** (len(blocks) - 1)

    def size_multiple(self) -> int:
        """Pixels an image side must be a multiple of: pixels per latent × 2 per UNet down-sampling."""
        assert self.model_dir is not None
        try:
            config = json.loads((self.model_dir / "unet" / "config.json").read_text(encoding="utf-8"))
            levels = len(config.get("block_out_channels") or [0] * 4) - 1
        except (OSError, ValueError):
            levels = 3
        return self.latent_factor() * 2 ** max(0, levels)

    def native_size(self) -> int:
        config = self.model_dir / "unet" / "config.json" if self.model_dir else None
        try:
            sample = json.loads(config.read_text(encoding="utf-8")).get("sample_size") if config else None
        except (OSError, ValueError):
            sample = None
        if isinstance(sample, (list, tuple)):
            sample = sample[0]
        return int(sample) * self.latent_factor() if sample else 512

    # ------------------------------------------------------------ work

    def generate(self, request: ImageRequest, out_path: Path, ctx: JobContext) -> ImageResult:
        """Generate one image and write a PNG to ``out_path`` (the caller makes it atomic)."""
        ctx.check()
        self.load(ctx)
        import numpy as np
        import torch
        from PIL import Image

        width, height, fitted = plan_size(request.width, request.height, self.native_size())
        width, height = graph_size(width, height, self.size_multiple())
        steps = max(1, int(request.steps))
        guidance = float(request.guidance)
        cfg = guidance > 1.0
        total = steps + 2
        started = time.perf_counter()
        try:
            ctx.substep(0, total)
            prompts = [request.prompt] + ([request.negative_prompt or ""] if cfg else [])
            ids = self._tokenizer(prompts, padding="max_length", max_length=self._tokenizer.model_max_length,
                                  truncation=True, return_tensors="np").input_ids.astype(np.int64)
            text = self._compiled_for("text_encoder", {"input_ids": list(ids.shape)})
            timings = self.last_timings = {}
            mark = time.perf_counter()
            embeds = text({"input_ids": ids})["last_hidden_state"]
            timings["text_encoder"] = time.perf_counter() - mark
            if cfg:
                embeds = np.concatenate([embeds[1:], embeds[:1]])  # (uncond, cond) as diffusers orders them
            ctx.substep(1, total)
            ctx.check()
            scheduler = self._scheduler
            scheduler.set_timesteps(steps)
            factor = self.latent_factor()
            shape = (1, self._latent_channels, height // factor, width // factor)
            generator = torch.Generator(device="cpu").manual_seed(int(request.seed))
            latents = torch.randn(shape, generator=generator, dtype=torch.float32) * scheduler.init_noise_sigma
            batch = 2 if cfg else 1
            unet = self._compiled_for("unet", {"sample": [batch, *shape[1:]], "timestep": [batch],
                                               "encoder_hidden_states": list(embeds.shape)})
            for i, t in enumerate(scheduler.timesteps):
                model_in = torch.cat([latents] * batch)
                model_in = scheduler.scale_model_input(model_in, t)
                mark = time.perf_counter()
                noise = torch.from_numpy(unet({
                    "sample": model_in.numpy(), "timestep": np.full((batch,), int(t), dtype=np.int64),
                    "encoder_hidden_states": embeds})["out_sample"].copy())
                timings["unet"] = timings.get("unet", 0.0) + time.perf_counter() - mark
                if cfg:
                    uncond, cond = noise.chunk(2)
                    noise = uncond + guidance * (cond - uncond)
                latents = scheduler.step(noise, t, latents).prev_sample
                ctx.substep(2 + i, total)
                if ctx.cancelled:
                    raise Cancelled(ctx.step)
            scale = float(self._vae_config.get("scaling_factor", 0.18215) or 1.0)
            decoder = self._compiled_for("vae_decoder", {"latent_sample": list(shape)})
            mark = time.perf_counter()
            pixels = decoder({"latent_sample": (latents / scale).numpy()})["sample"]
            timings["vae_decoder"] = time.perf_counter() - mark
        except Cancelled:
            raise
        except MemoryError as exc:
            raise out_of_memory(width, height, exc) from exc
        except (RuntimeError, ValueError, TypeError, KeyError) as exc:
            raise EngineFailed(
                f"The OpenVINO image model failed while generating ({exc.__class__.__name__}); if it keeps "
                "failing, convert the model again.",
                "Model gambar OpenVINO gagal saat membuat gambar; bila terus gagal, konversi ulang modelnya.",
                details=repr(exc)) from exc
        ctx.substep(total, total)
        ctx.check()
        array = np.clip(pixels[0].transpose(1, 2, 0) / 2 + 0.5, 0, 1)
        image = Image.fromarray((array * 255).round().astype("uint8"), "RGB")
        image.save(out_path, format="PNG")
        seconds = time.perf_counter() - started
        folder = self.model_dir
        assert folder is not None
        prov = Provenance(
            engine=self.info.key, tool=TOOL_NAME, is_ai=True, model=model_id(folder),
            model_revision=config_revision(folder, ("model_index.json", "unet/config.json")),
            licence=model_licence(folder), prompt=request.prompt,
            params={"negative_prompt": request.negative_prompt, "steps": steps, "guidance": guidance,
                    "width": width, "height": height, "requested": [int(request.width), int(request.height)],
                    "fitted_to_native": fitted, "runtime": f"openvino {runtime_version()}",
                    "precision": self.inference_precision(), "threads": self.threads,
                    "pipeline": "OpenVINO StableDiffusion", "safety_flagged": None, "safety_checker": False,
                    "vae": str(self._vae_config.get("_class_name", ""))},
            seed=int(request.seed), seconds=seconds)
        return ImageResult(Path(out_path), image.width, image.height, prov, safety_flagged=None)
