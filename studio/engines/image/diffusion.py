"""Scene images from a diffusion model in a local diffusers folder, on the CPU.

The folder (``settings.models.diffusers``) is a saved diffusers pipeline: a
``model_index.json`` and one sub-folder per component. It is loaded with
``local_files_only=True``, so nothing is ever downloaded here. The loaded pipeline
is cached in the engine until ``unload()``.

CPU choices, measured on the project's 2-core machine (research/feasibility-ai.md):
PyTorch with 1 thread beats 2 threads on a busy laptop, and a pure bfloat16 UNet is
about twice as fast as float32 on CPUs with native bf16 (AVX512-BF16 / AMX), so
``dtype="auto"`` picks bf16 there and float32 elsewhere.

Size: a video frame (1080×1920) is far above what an SD-class model was trained on,
so for frame-sized requests the engine generates at the model's native area
(e.g. 512×512 worth of pixels) in the frame's aspect ratio, rounded to multiples of
8 (384×680 for 9:16 at 512), and stores that; the renderer fits it to the frame
once. Small requests (tests, thumbnails) are generated as asked.

A separate VAE folder (``settings.models.diffusers_vae``; the default suggestion is
the tiny TAESD decoder: 0.7 s per 512×512 decode instead of 9 s for the full VAE in
bf16, 21 s in fp32, on the project's 2-core machine, tests/bench/image_bench.py) is
swapped into the pipeline at load time. Folders holding only
the ``fp16`` weight files the hub offers are loaded with that variant. A Hugging Face
cache folder (``models--org--name``) is resolved to its snapshot.

Progress is reported per denoising step; a cancel raises from the step callback, so
the loop stops at once and no image is written. When the model has a safety checker
its verdict is returned (``ImageResult.safety_flagged``) and recorded. Heavy imports
(torch, diffusers) happen inside methods only.
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import math
import time
import warnings
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
from studio.engines.models.folders import (
    config_revision,
    folder_licence,
    folder_model_id,
    folder_problems,
    looks_like_hub_id,
)
from studio.engines.models.manager import resolve_choice
from studio.engines.support import memory

log = logging.getLogger(__name__)

TOOL_NAME = "Stable Diffusion (diffusers)"
DEFAULT_LICENCE = "lihat kartu model"
FRAME_FACTOR = 1.5
"""A request larger than this × the native area counts as a video frame size."""


def _round8(value: float, minimum: int = 8) -> int:
    return max(minimum, int(round(value / 8.0)) * 8)


def plan_size(width: int, height: int, native: int) -> tuple[int, int, bool]:
    """(width, height, fitted): the size to generate for a requested size.

    Frame-sized requests are brought down to the model's native area, same aspect;
    others are only rounded to multiples of 8.
    """
    width, height = max(8, int(width)), max(8, int(height))
    if width * height > FRAME_FACTOR * native * native:
        scale = math.sqrt(native * native / (width * height))
        w, h = int(width * scale // 8) * 8, int(height * scale // 8) * 8
        return max(64, w), max(64, h), True
    return _round8(width), _round8(height), False


def model_id(folder: Path) -> str:
    """A readable id: ``org/name`` for a Hugging Face cache snapshot, else the folder name."""
    return folder_model_id(folder)


def model_revision(folder: Path) -> str:
    """A short hash of model_index.json and the denoiser's config (cheap: no weights read)."""
    return config_revision(folder, ("model_index.json", "unet/config.json", "transformer/config.json"))


def model_licence(folder: Path) -> str:
    """The ``license:`` of the model card front matter, if the folder has one."""
    return folder_licence(folder, DEFAULT_LICENCE)


def weight_variant(folder: Path) -> str | None:
    """``"fp16"`` when the denoiser only has ``*.fp16.*`` weight files (the hub's smaller download)."""
    for part in ("unet", "transformer"):
        sub = Path(folder) / part
        if not sub.is_dir():
            continue
        names = [p.name for p in sub.iterdir() if p.suffix in (".safetensors", ".bin")]
        if names and all(".fp16." in n for n in names):
            return "fp16"
        return None
    return None


def cpu_supports_bf16() -> bool:
    """True when this CPU runs bfloat16 natively (otherwise bf16 is emulated and slow)."""
    try:
        import torch

        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # noqa: BLE001 - an old or unusual torch build: be safe
        return False


class DiffusersImageEngine(EngineBase):
    """Generates images with a local diffusers pipeline (Stable Diffusion, SD-Turbo...)."""

    info = EngineInfo(
        key="image.diffusers", kind="image", name=TOOL_NAME, is_ai=True, licence=DEFAULT_LICENCE,
        description_id="Membuat gambar dengan model difusi (misalnya SD-Turbo dengan VAE kecil TAESD) dari folder "
                       "model di komputer ini. Tanpa internet; di CPU laptop sekitar 5–20 detik per gambar.",
        description_en="Generates images with a diffusion model (such as SD-Turbo with the tiny TAESD VAE) from a "
                       "model folder on this computer. No internet; about 5–20 s per image on a laptop CPU.",
    )

    def __init__(self, model_dir: str | Path = "", *, threads: int = 1, dtype: str = "auto",
                 vae_dir: str | Path = "") -> None:
        self.model_dir = resolve_choice(str(model_dir)) if str(model_dir).strip() else None
        self.vae_dir = resolve_choice(str(vae_dir)) if str(vae_dir).strip() else None
        self.threads = max(1, int(threads))
        self.dtype = dtype
        self._pipe: Any = None
        self._dtype_name = ""

    @classmethod
    def from_settings(cls, settings: Any) -> "DiffusersImageEngine":
        """The folder chosen in Settings, else SD-Turbo (and TAESD) found by the model manager."""
        from studio.engines.models.manager import default_folder

        model = default_folder("diffusers", settings)
        vae: Path | None = None
        if str(getattr(settings.models, "diffusers_vae", "") or "").strip():
            vae = default_folder("diffusers_vae", settings)
        elif not str(settings.models.diffusers or "").strip():
            # The catalogue's tiny VAE goes with the catalogue's pipeline (both SD 2.x latents);
            # a model the creator chose keeps its own VAE unless they choose one too.
            vae = default_folder("diffusers_vae", None)
        return cls(model or "", threads=settings.torch_threads, vae_dir=vae or "")

    # ------------------------------------------------------------ checks

    def preflight(self) -> list[Problem]:
        """Cheap: a folder is set and holds model_index.json; torch and diffusers are installed."""
        problems: list[Problem] = []
        if self.model_dir is None:
            problems.append(Problem(
                "No image model folder is set. Choose a diffusers model folder (for example sd-turbo) in Settings, "
                "or download the suggested one with 'studio models download sd-turbo' (about 2.6 GB).",
                "Folder model gambar belum dipilih. Pilih folder model diffusers (misalnya sd-turbo) di Pengaturan, "
                "atau unduh model yang disarankan dengan 'studio models download sd-turbo' (sekitar 2,6 GB)."))
        elif not self.model_dir.is_dir() and looks_like_hub_id(str(self.model_dir)):
            repo = self.model_dir.as_posix()
            problems.append(Problem(
                f"The image model {repo} is not on this computer. Download it once with 'studio models download "
                f"{repo}', or copy its folder here and choose it in Settings.",
                f"Model gambar {repo} belum ada di komputer ini. Unduh sekali dengan 'studio models download "
                f"{repo}', atau salin foldernya lalu pilih di Pengaturan."))
        elif not self.model_dir.is_dir():
            problems.append(Problem(
                f"The image model folder {self.model_dir} does not exist. Copy the model there or choose "
                "another folder in Settings.",
                f"Folder model gambar {self.model_dir} tidak ada. Salin modelnya ke sana atau pilih folder lain "
                "di Pengaturan."))
        elif not (self.model_dir / "model_index.json").is_file():
            problems.append(Problem(
                f"{self.model_dir} is not a diffusers model folder (model_index.json is missing). Choose the "
                "folder that contains model_index.json.",
                f"{self.model_dir} bukan folder model diffusers (model_index.json tidak ada). Pilih folder yang "
                "berisi model_index.json."))
        else:
            problems += folder_problems("diffusers", self.model_dir)
        if self.vae_dir is not None:
            problems += folder_problems("vae", self.vae_dir)
        for module in ("torch", "diffusers", "transformers"):
            if importlib.util.find_spec(module) is None:
                problems.append(Problem(
                    f"The Python package '{module}' is not installed; reinstall Studio Lokal with its image "
                    "components.",
                    f"Paket Python '{module}' belum terpasang; pasang ulang Studio Lokal beserta komponen gambarnya."))
        return problems

    # ------------------------------------------------------------ loading

    @property
    def loaded(self) -> bool:
        return self._pipe is not None

    def _torch_dtype(self) -> Any:
        import torch

        choice = self.dtype
        if choice == "auto":
            choice = "bfloat16" if cpu_supports_bf16() else "float32"
        self._dtype_name = choice
        return {"bfloat16": torch.bfloat16, "float32": torch.float32}.get(choice, torch.float32)

    def load(self, ctx: JobContext | None = None) -> Any:
        """Load the pipeline from the folder (once); raises EngineUnavailable with a reason."""
        if self._pipe is not None:
            return self._pipe
        problems = self.preflight()
        if problems:
            raise EngineUnavailable(f"{TOOL_NAME} cannot run: " + "; ".join(problems),
                                    f"{TOOL_NAME} belum bisa dipakai: " + "; ".join(p.text("id") for p in problems),
                                    problems=list(problems))
        if ctx is not None:
            ctx.check()
        import torch
        from diffusers import DiffusionPipeline
        from diffusers.utils import logging as diffusers_logging

        # Console progress bars mean nothing in the app; progress goes through the JobContext.
        diffusers_logging.disable_progress_bar()
        try:
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
        except ImportError:
            pass
        torch.set_num_threads(self.threads)
        dtype = self._torch_dtype()
        started = time.perf_counter()
        extra: dict[str, Any] = {}
        variant = weight_variant(self.model_dir)
        if variant:
            extra["variant"] = variant
        try:
            with warnings.catch_warnings():
                # Newer diffusers renamed torch_dtype to dtype; the old name works in every version.
                warnings.simplefilter("ignore", FutureWarning)
                warnings.simplefilter("ignore", UserWarning)
                if self.vae_dir is not None:
                    extra["vae"] = self._load_vae(dtype)
                pipe = DiffusionPipeline.from_pretrained(str(self.model_dir), local_files_only=True,
                                                         torch_dtype=dtype, **extra)
        except MemoryError as exc:
            raise EngineFailed(
                "There is not enough memory to load the image model. Close other programs or choose a smaller "
                "model (for example sd-turbo).",
                "Memori tidak cukup untuk memuat model gambar. Tutup program lain atau pilih model yang lebih "
                "kecil (misalnya sd-turbo).", details=repr(exc)) from exc
        except EngineUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - safetensors, transformers and diffusers raise their own kinds
            raise EngineUnavailable(
                f"The image model in {self.model_dir} cannot be loaded: it may be incomplete or of an unsupported "
                "kind. Copy the whole model folder again, or choose another one in Settings.",
                f"Model gambar di {self.model_dir} tidak bisa dimuat: mungkin tidak lengkap atau jenisnya tidak "
                "didukung. Salin ulang seluruh folder model, atau pilih folder lain di Pengaturan.",
                problems=[str(exc)[:300]], details=repr(exc)) from exc
        pipe = pipe.to("cpu")
        if hasattr(pipe, "set_progress_bar_config"):
            pipe.set_progress_bar_config(disable=True)
        log.info("loaded %s (%s) in %.1f s", self.model_dir, self._dtype_name, time.perf_counter() - started)
        self._pipe = pipe
        return pipe

    def _load_vae(self, dtype: Any) -> Any:
        """The separate VAE (TAESD's ``AutoencoderTiny`` or a full ``AutoencoderKL``), by its config's class."""
        import json

        import diffusers

        try:
            name = json.loads((self.vae_dir / "config.json").read_text(encoding="utf-8")).get("_class_name", "")
            cls = getattr(diffusers, name or "AutoencoderTiny")
            return cls.from_pretrained(str(self.vae_dir), local_files_only=True, torch_dtype=dtype)
        except Exception as exc:  # noqa: BLE001 - any failure means the same to the creator
            raise EngineUnavailable(
                f"The VAE in {self.vae_dir} cannot be loaded. Choose the folder of a diffusers VAE (for example "
                "taesd) in Settings, or leave it empty to use the model's own.",
                f"VAE di {self.vae_dir} tidak bisa dimuat. Pilih folder VAE diffusers (misalnya taesd) di "
                "Pengaturan, atau kosongkan untuk memakai VAE bawaan model.", details=repr(exc)) from exc

    def unload(self) -> None:
        """Free the cached pipeline (several GB for a real model)."""
        self._pipe = None
        memory.release()  # gc, and give the freed pages back to the OS

    def native_size(self) -> int:
        """The side of the square the model was trained at (512 for SD 1.x/2.x-base and sd-turbo)."""
        pipe = self._pipe
        denoiser = getattr(pipe, "unet", None) or getattr(pipe, "transformer", None)
        sample = getattr(getattr(denoiser, "config", None), "sample_size", None)
        if isinstance(sample, (list, tuple)):
            sample = sample[0]
        factor = getattr(pipe, "vae_scale_factor", 8) or 8
        return int(sample * factor) if sample else 512

    # ------------------------------------------------------------ work

    def generate(self, request: ImageRequest, out_path: Path, ctx: JobContext) -> ImageResult:
        """Generate one image and write a PNG to ``out_path`` (the caller makes it atomic)."""
        ctx.check()
        pipe = self.load(ctx)
        import torch

        torch.set_num_threads(self.threads)
        width, height, fitted = plan_size(request.width, request.height, self.native_size())
        steps = max(1, int(request.steps))
        accepted = set(inspect.signature(pipe.__call__).parameters)

        def on_step_end(_pipe: Any, step: int, _timestep: Any, callback_kwargs: dict[str, Any]) -> dict[str, Any]:
            ctx.substep(min(step + 1, steps), steps)
            if ctx.cancelled:
                # Raising stops the denoising loop at once; nothing has been written.
                raise Cancelled(ctx.step)
            return callback_kwargs

        kwargs: dict[str, Any] = {
            "prompt": request.prompt, "width": width, "height": height, "num_inference_steps": steps,
            "guidance_scale": float(request.guidance),
            "generator": torch.Generator(device="cpu").manual_seed(int(request.seed)),
        }
        if request.negative_prompt and "negative_prompt" in accepted:
            kwargs["negative_prompt"] = request.negative_prompt
        if "callback_on_step_end" in accepted:
            kwargs["callback_on_step_end"] = on_step_end
        kwargs = {k: v for k, v in kwargs.items() if k in accepted or k == "prompt"}
        started = time.perf_counter()
        ctx.substep(0, steps)
        try:
            with torch.inference_mode():
                output = pipe(**kwargs)
        except Cancelled:
            raise
        except MemoryError as exc:
            raise out_of_memory(width, height, exc) from exc
        except (RuntimeError, ValueError, TypeError, IndexError) as exc:
            raise EngineFailed(
                f"The image model failed while generating ({exc.__class__.__name__}). Try again with a shorter "
                "prompt or fewer steps; if it keeps failing, the model folder may be damaged.",
                "Model gambar gagal saat membuat gambar. Coba lagi dengan prompt yang lebih pendek atau langkah "
                "yang lebih sedikit; bila terus gagal, folder model mungkin rusak.", details=repr(exc)) from exc
        ctx.check()
        image = output.images[0]
        if getattr(image, "mode", "RGB") != "RGB":
            image = image.convert("RGB")
        nsfw = getattr(output, "nsfw_content_detected", None)
        flagged = bool(any(nsfw)) if nsfw is not None else None
        image.save(out_path, format="PNG")
        seconds = time.perf_counter() - started
        note = ""
        if flagged:
            note = "Pemeriksa keamanan model menandai gambar ini; buat ulang atau ganti gambarnya."
        prov = Provenance(
            engine=self.info.key, tool=TOOL_NAME, is_ai=True, model=model_id(self.model_dir),
            model_revision=model_revision(self.model_dir), licence=model_licence(self.model_dir),
            prompt=request.prompt,
            params={"negative_prompt": request.negative_prompt, "steps": steps, "guidance": float(request.guidance),
                    "width": width, "height": height, "requested": [int(request.width), int(request.height)],
                    "fitted_to_native": fitted, "dtype": self._dtype_name, "threads": self.threads,
                    "pipeline": type(pipe).__name__, "safety_flagged": flagged,
                    "safety_checker": getattr(pipe, "safety_checker", None) is not None,
                    "vae": model_id(self.vae_dir) if self.vae_dir else "",
                    "vae_class": type(getattr(pipe, "vae", None)).__name__},
            seed=int(request.seed), seconds=seconds, note=note)
        return ImageResult(Path(out_path), image.width, image.height, prov, safety_flagged=flagged)


def out_of_memory(width: int, height: int, exc: BaseException) -> EngineFailed:
    """The sentence for an image that does not fit in memory (every local image engine)."""
    return EngineFailed(
        f"There is not enough memory to generate a {width}×{height} image. Close other programs and try again.",
        f"Memori tidak cukup untuk membuat gambar {width}×{height}. Tutup program lain lalu coba lagi.",
        details=repr(exc))
