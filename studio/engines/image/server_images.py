"""Pictures from the room's server: ``POST /v1/images/generations`` with ``b64_json``.

Size and seed are sent (``seed`` is not in OpenAI's reference; servers that know it,
such as LocalAI and most diffusers servers, honour it). The answer is decoded and
fully checked before anything is written: garbage, half a PNG or an empty picture
is a sentence, and the scene keeps its previous image.
"""

from __future__ import annotations

import base64
import binascii
import io
import time
from pathlib import Path

from studio.core.jobs import JobContext
from studio.engines.base import EngineInfo, ImageRequest, ImageResult
from studio.engines.support.server_engine import ServerEngine

TOOL_NAME = "Gambar AI (server kelas)"
MAX_PIXELS = 4096 * 4096


class ServerImageEngine(ServerEngine):
    """Image generation on an OpenAI-compatible images endpoint."""

    capability = "image"
    model_setting = "image_model"
    what_en = "image server"
    what_id = "server gambar"
    info = EngineInfo(
        key="image.server", kind="image", name=TOOL_NAME, is_ai=True, online=True,
        licence="sesuai ketentuan model di server",
        description_id="Membuat gambar dengan model difusi di server kelas (API gambar kompatibel OpenAI).",
        description_en="Generates pictures with a diffusion model on the room's server (OpenAI-compatible "
                       "images API).")

    def _decode(self, data: object) -> tuple[bytes, int, int]:
        """PNG bytes and size from an images answer; a sentence when it is not a whole picture."""
        from PIL import Image, UnidentifiedImageError

        try:
            b64 = data["data"][0]["b64_json"]  # type: ignore[index]
            raw = base64.b64decode(str(b64), validate=True)
        except (KeyError, IndexError, TypeError, binascii.Error, ValueError):
            raise self.client.unusable("no picture in b64_json") from None
        try:
            with Image.open(io.BytesIO(raw)) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise self.client.unusable(f"a {img.width}×{img.height} picture is too large")
                img.load()  # a truncated file fails here, not later in the render
                width, height = img.size
                fmt = img.format
                out = img.convert("RGB")
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise self.client.unusable("the picture is damaged or cut short") from None
        if fmt != "PNG" or width < 16 or height < 16:
            buf = io.BytesIO()
            out.save(buf, format="PNG", compress_level=1)
            raw = buf.getvalue()
        return raw, width, height

    def _call(self, payload: dict[str, object], ctx: JobContext) -> tuple[object, object, bytes, int, int]:
        resp = self.client.post_json("/images/generations", payload, ctx=ctx)
        try:
            data = resp.json()
        except ValueError:
            raise self.client.unusable("the answer is not JSON") from None
        raw, width, height = self._decode(data)
        return resp, data, raw, width, height

    def generate(self, request: ImageRequest, out_path: Path, ctx: JobContext) -> ImageResult:
        """Ask the server for one picture and write it as PNG to ``out_path`` (the caller makes it atomic)."""
        started = time.perf_counter()
        ctx.check()
        size = f"{int(request.width)}x{int(request.height)}"
        payload: dict[str, object] = {"model": self.model, "prompt": request.prompt, "n": 1, "size": size,
                                      "response_format": "b64_json", "seed": int(request.seed)}
        if request.negative_prompt:
            payload["negative_prompt"] = request.negative_prompt
        resp, data, raw, width, height = self._call(payload, ctx)
        ctx.check()  # a picture that arrives after a cancel is not used
        Path(out_path).write_bytes(raw)
        prov = self.provenance(resp, data, prompt=request.prompt, started=started, seed=int(request.seed),
                               params={"size": size, "returned_size": f"{width}x{height}",
                                       "negative_prompt": request.negative_prompt})
        return ImageResult(Path(out_path), width, height, prov, safety_flagged=None)

    def _probe_call(self, ctx: JobContext) -> str:
        from studio.engines.support.server_engine import server_model

        resp, data, *_ = self._call({"model": self.model, "prompt": "tes", "n": 1, "size": "256x256",
                                     "response_format": "b64_json", "seed": 0}, ctx)
        return server_model(resp, data, self.model)[0]
