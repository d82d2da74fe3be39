"""The images step (Gambar): one picture per scene, generated or the creator's own.

``generate_images`` makes an image for every scene whose picture is missing or
stale (``core.status.image_inputs_hash``, which includes the engine), one at a
time, each written through ``storage.atomic_output`` as
``images/<scene_id>-<hash8>.png`` and logged as one AI-log record. A cancel keeps
the finished images (``Cancelled.partial``). ``import_own_image`` copies a photo
of the creator's into the project after checking that it really is an image.

The project's image style (photo, watercolour, wayang-inspired flat art, batik
pattern...) is applied here, to the prompt, so every engine gets the same words,
after the safety rules of ``image_prompts`` (no identifiable real people, sacred
things shown with respect). A diffusion model draws at its native size (about
512×512 worth of pixels in the frame's aspect); the renderer fits it to the frame
(cover crop, or a blurred fill when the aspect differs a lot). ``upscale=True``
bakes a Lanczos enlargement to the frame's size plus a light unsharp mask into the
file instead: it adds no detail the model did not draw, only crisper edges.

The image model is unloaded when the step ends (``keep_loaded`` keeps it for a
caller that generates again at once): a laptop needs that memory for the next step.
Nothing here mutates the live Project: results are returned for the caller to apply.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from studio.core.errors import MediaError, StudioError, UsageError
from studio.core.hashing import file_sha256, text_sha256
from studio.core.jobs import Cancelled, JobContext
from studio.core.origin import Origin
from studio.core.project import ImageAsset, Project, Scene
from studio.core.status import image_inputs_hash, scene_seed
from studio.core.storage import atomic_output, relative_to_root
from studio.core.validate import require_scene_ids
from studio.engines.base import ImageEngine, ImageRequest
from studio.engines.registry import require_ready
from studio.pipeline.images.prompts import safe_image_prompt
from studio.pipeline.provenance import log_declared, log_result

MAX_OWN_SIDE = 4096
MAX_OWN_PIXELS = 80_000_000
"""Larger pictures are refused: only a JPEG decodes at a reduced scale, any other format
needs all its pixels in memory at once (80 MP RGBA is 320 MB)."""
MAX_OWN_BYTES = 256 * 1024**2
"""Larger picture files are refused unread (an 80 MP PNG is at most ~240 MB)."""
MIN_OWN_SIDE = 64
BASE_NEGATIVE = "text, letters, watermark, logo, signature, frame, border"


@dataclass(frozen=True)
class StylePreset:
    """How a style wraps a scene's prompt."""

    label_id: str
    label_en: str
    template: str
    """``{prompt}`` is replaced by the scene's image prompt."""
    negative: str = ""


STYLES: dict[str, StylePreset] = {
    "photo": StylePreset(
        "Foto dokumenter", "Documentary photo",
        "documentary photograph, {prompt}, natural light, realistic, detailed, 35mm",
        "cartoon, illustration, painting, 3d render, blurry, deformed hands, distorted face"),
    "watercolour": StylePreset(
        "Cat air", "Watercolour",
        "watercolor painting, {prompt}, soft washes of colour, visible paper texture, delicate lines",
        "photo, photorealistic, 3d render, harsh outlines"),
    "wayang": StylePreset(
        "Ilustrasi datar ala wayang", "Wayang-inspired flat art",
        "flat illustration inspired by Indonesian wayang kulit art, {prompt}, ornate silhouettes, intricate "
        "perforated patterns, warm gold, deep red and black, flat colours, decorative",
        "photo, photorealistic, 3d render, gradient shading"),
    "batik": StylePreset(
        "Pola batik", "Batik pattern",
        "batik-inspired illustration, {prompt}, intricate batik motifs, indigo and sogan brown on cream, "
        "textile texture, decorative",
        "photo, photorealistic, 3d render"),
    "flat": StylePreset(
        "Ilustrasi datar", "Flat illustration",
        "flat vector illustration, {prompt}, clean simple shapes, soft warm palette, minimal",
        "photo, photorealistic, 3d render, clutter"),
}


def styled_prompt(prompt: str, style: str, negative: str = "") -> tuple[str, str]:
    """(prompt, negative prompt) for ``style``; an unknown style leaves the prompt as it is."""
    preset = STYLES.get(style)
    prompt = " ".join(prompt.split()).rstrip(" .,")
    text = preset.template.format(prompt=prompt) if preset else prompt
    negatives = [n for n in (negative.strip(), preset.negative if preset else "", BASE_NEGATIVE) if n]
    return text, ", ".join(negatives)


def upscale_to_frame(path: Path, frame: tuple[int, int]) -> tuple[int, int] | None:
    """Enlarge the picture at ``path`` in place to cover ``frame`` (Lanczos + light unsharp mask).

    Returns the new size, or None when it already covers the frame.
    """
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    scale = max(frame[0] / image.width, frame[1] / image.height)
    if scale <= 1.0:
        return None
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    big = image.resize(size, Image.Resampling.LANCZOS).filter(ImageFilter.UnsharpMask(radius=2, percent=60, threshold=2))
    big.save(path, format="PNG")
    return size


def _fallback_prompt(project: Project) -> str:
    b = project.brief
    subject = b.theme.strip() or b.title.strip() or "local culture"
    where = f" in {b.region.strip()}" if b.region.strip() else ""
    return f"Indonesian local tradition: {subject}{where}, Indonesia"


def _needs_image(project: Project, root: Path, scene: Scene, key: str, force: bool, chosen: bool) -> str | None:
    """The inputs hash if this scene needs a new image, else None."""
    expected = image_inputs_hash(project, scene, key)
    asset = scene.image
    if scene.clip is not None or asset is not None and asset.origin == "own":
        # The creator's own photo or clip is only replaced when they ask for this scene explicitly.
        return expected if (force and chosen) else None
    if force or asset is None:
        return expected
    if asset.engine != key or asset.inputs_hash != expected:
        return expected
    if not (Path(root) / asset.path).is_file():
        return expected
    return None


def generate_images(project: Project, root: Path, engine: ImageEngine, ctx: JobContext, *,
                    scene_ids: Iterable[str] | None = None, force: bool = False, keep_loaded: bool = False,
                    upscale: bool = False) -> dict[str, ImageAsset]:
    """Generate the missing or stale scene images.

    Args:
        project: Read only; the caller sets ``scene.image`` from the result.
        root: The project folder; files go to ``images/``.
        engine: An image engine (placeholder art or a diffusion model).
        ctx: Progress per image (and per denoising step inside it); cancel between and inside images.
        scene_ids: Only these scenes (default: all).
        force: Regenerate even if up to date (own photos only when named in ``scene_ids``).
        keep_loaded: Keep the model in memory afterwards (default: unload it when the step ends).
        upscale: Enlarge each picture to cover the video frame (Lanczos + unsharp mask) before saving.

    Returns:
        ``{scene_id: ImageAsset}`` for the images made.

    Raises:
        Cancelled: With ``partial`` holding the images finished before the cancel.
        StudioError: The engine is not ready or failed; ``partial`` holds what finished.
    """
    wanted = set(scene_ids) if scene_ids is not None else None
    require_scene_ids(project, wanted)
    key = engine.info.key
    todo: list[tuple[int, Scene, str]] = []
    for index, scene in enumerate(project.scenes):
        chosen = wanted is not None and scene.id in wanted
        if wanted is not None and not chosen:
            continue
        expected = _needs_image(project, root, scene, key, force, chosen)
        if expected is not None:
            todo.append((index, scene, expected))
    results: dict[str, ImageAsset] = {}
    if not todo:
        ctx.progress(0, 0, "Semua gambar sudah terbaru")
        return results
    require_ready(engine)
    folder = Path(root) / "images"
    folder.mkdir(parents=True, exist_ok=True)
    choice = project.images
    total = len(todo)
    frame = (project.render.width, project.render.height)
    try:
        for k, (index, scene, expected) in enumerate(todo):
            ctx.check()
            ctx.progress(k, total, f"Gambar {k + 1} dari {total}")
            safe = safe_image_prompt(scene.image_prompt.strip() or _fallback_prompt(project), project.brief)
            negative_in = ", ".join(n for n in (choice.negative_prompt.strip(), safe.negative) if n)
            prompt, negative = styled_prompt(safe.prompt, choice.style, negative_in)
            request = ImageRequest(
                prompt=prompt, width=project.render.width, height=project.render.height,
                seed=scene_seed(project, scene), negative_prompt=negative, steps=choice.steps,
                guidance=choice.guidance, style=choice.style, title=scene.on_screen_text.strip(), index=index)
            path = folder / f"{scene.id}-{expected[:8]}.png"
            enlarged: tuple[int, int] | None = None
            with atomic_output(path) as part:
                result = engine.generate(request, part, ctx)
                if upscale:
                    enlarged = upscale_to_frame(part, frame)
            prov = result.provenance
            width, height = enlarged or (result.width, result.height)
            asset = ImageAsset(
                path=relative_to_root(root, path), origin="ai" if prov.is_ai else "generated", engine=key,
                model=prov.model, seed=request.seed, prompt=prompt, width=width, height=height,
                sha256=file_sha256(path), inputs_hash=expected)
            notes = [prov.note] if prov.note else []
            if safe.changes:
                notes.append("Aturan keamanan prompt: " + "; ".join(safe.changes) + ".")
            if enlarged:
                notes.append(f"Diperbesar dari {result.width}×{result.height} ke {width}×{height} (Lanczos + "
                             "unsharp mask), tanpa AI.")
            if result.safety_flagged:
                notes.append("Ditandai pemeriksa keamanan model.")
            note = " ".join(notes)
            log_result(root, "images", "regenerate" if scene.image is not None else "generate", prov,
                       scene_id=scene.id, inputs={"prompt": text_sha256(prompt)}, outputs=[path], note=note)
            results[scene.id] = asset
        ctx.progress(total, total, "Gambar selesai")
    except (Cancelled, StudioError) as exc:
        exc.partial = dict(results)
        raise
    finally:
        if not keep_loaded:
            engine.unload()
    return results


# ------------------------------------------------------------------ own photos


def _bad_image(src: Path, exc: BaseException | None = None) -> MediaError:
    return MediaError(
        f"{src.name} cannot be used as a picture: it is not an image Studio Lokal can read, or it is damaged. "
        "Use a JPG or PNG photo (from a phone, export it as JPG first).",
        f"{src.name} tidak bisa dipakai sebagai gambar: bukan gambar yang bisa dibaca Studio Lokal, atau "
        "berkasnya rusak. Pakai foto JPG atau PNG (dari ponsel, ekspor dulu sebagai JPG).",
        details=repr(exc) if exc else "")


def _too_many_pixels(src: Path, size: tuple[int, int] | None) -> MediaError:
    what = f" ({size[0]}×{size[1]} pixels, {size[0] * size[1] / 1e6:.0f} megapixels)" if size else ""
    what_id = f" ({size[0]}×{size[1]} piksel, {size[0] * size[1] / 1e6:.0f} megapiksel)" if size else ""
    return MediaError(
        f"{src.name} is too large to open safely{what}. Save a smaller copy (at most 8000 pixels on the "
        "longer side) and use that.",
        f"{src.name} terlalu besar untuk dibuka dengan aman{what_id}. Simpan salinan yang lebih kecil (sisi "
        "panjang paling banyak 8000 piksel) lalu pakai itu.")


def own_source(project: Project, scene_id: str, src: Path) -> Path:
    """``src`` as a Path, once the scene exists (UsageError) and the file does (MediaError)."""
    try:
        project.scene(scene_id)
    except KeyError:
        raise UsageError(f"There is no scene {scene_id} in this project.",
                         f"Tidak ada adegan {scene_id} di proyek ini.") from None
    src = Path(src)
    if not src.is_file():
        raise MediaError(f"{src} does not exist or is not a file.", f"{src} tidak ada atau bukan berkas.")
    return src


def import_own_image(project: Project, root: Path, scene_id: str, src: Path, *,
                     declared: Origin | None = None, ctx: JobContext | None = None) -> ImageAsset:
    """Copy the creator's own picture for a scene into ``images/`` (origin "own").

    ``declared`` is the creator's word on where the picture came from (made with an AI tool
    elsewhere, or their own work); it is kept on the asset and logged by ``log_declared``.

    The file is checked with PIL (corrupt files and non-images are refused with a
    MediaError), turned upright from its EXIF orientation, downscaled if a side is
    over 4096 px, and stripped of metadata (phone photos carry GPS positions) when it
    has to be re-encoded anyway. A clean JPG or PNG is copied byte for byte.

    A cancel through ``ctx`` is honoured after decoding and before anything is written.
    """
    src = own_source(project, scene_id, src)
    if src.stat().st_size > MAX_OWN_BYTES:
        # Read whole below, so refuse a video or a disk image picked by mistake unread.
        raise _too_many_pixels(src, None)
    data = src.read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_OWN_PIXELS:
                raise _too_many_pixels(src, probe.size)
            probe.verify()
        # Read from memory, so the image needs no closing and is used in place (no copies).
        image = Image.open(io.BytesIO(data))
        fmt = image.format or ""
        original_size = image.size
        has_exif = bool(image.info.get("exif")) or bool(image.getexif())
        # Memory stays bounded for a 50 MP photo: a JPEG is decoded at 1/2, 1/4 or 1/8
        # scale straight to about the size kept, and the picture is downscaled and turned
        # upright in place, so the full-size pixels are never held twice.
        longest = max(image.size)
        if longest > MAX_OWN_SIDE:
            scale = MAX_OWN_SIDE / longest
            image.draft("RGB", (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
        image.load()
        if max(image.size) > MAX_OWN_SIDE:
            image.thumbnail((MAX_OWN_SIDE, MAX_OWN_SIDE), Image.Resampling.LANCZOS)
        ImageOps.exif_transpose(image, in_place=True)
    except MediaError:
        raise
    except Image.DecompressionBombError as exc:  # over twice Pillow's own limit: refused when opened
        raise _too_many_pixels(src, None) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _bad_image(src, exc) from exc
    if min(image.size) < MIN_OWN_SIDE:
        raise MediaError(
            f"{src.name} is only {image.width}×{image.height} pixels; use a picture at least 720 pixels on its "
            "shorter side so it stays sharp in the video.",
            f"{src.name} hanya {image.width}×{image.height} piksel; pakai gambar dengan sisi pendek minimal 720 "
            "piksel agar tetap tajam di video.")
    if ctx is not None:
        ctx.check()  # decoding a 50 MP photo is the slow part; nothing is written yet
    resized = image.size != original_size
    flatten = image.mode not in ("RGB", "L")
    copy_as_is = fmt in ("JPEG", "PNG") and not resized and not has_exif and not flatten
    ext = ".jpg" if fmt == "JPEG" else ".png"
    folder = Path(root) / "images"
    folder.mkdir(parents=True, exist_ok=True)
    source_hash = hashlib.sha256(data).hexdigest()
    path = folder / f"{scene_id}-own-{source_hash[:8]}{ext}"
    with atomic_output(path) as part:
        if copy_as_is:
            shutil.copyfile(src, part)
        else:
            if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
                rgba = image.convert("RGBA")
                # Transparent areas become black, as they would in the video frame.
                background = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
                image = Image.alpha_composite(background, rgba).convert("RGB")
            elif image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            if ext == ".jpg":
                image.save(part, format="JPEG", quality=93, optimize=True)
            else:
                image.save(part, format="PNG")
    log_declared(root, "images", "replace", declared, scene_id=scene_id, what=src.name,
                 note="" if declared else f"Gambar milik kreator: {src.name}",
                 outputs=[path], inputs={"source": source_hash})
    return ImageAsset(path=relative_to_root(root, path), origin="own", engine="", model="", seed=None,
                      prompt="", width=image.width, height=image.height, sha256=file_sha256(path),
                      inputs_hash="", declared=declared)
