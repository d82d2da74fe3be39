"""A small OpenAI-compatible "Server kelas" on 127.0.0.1 that runs the project's own models.

Written to the OpenAI API reference (https://platform.openai.com/docs/api-reference),
not to our client:

- ``GET  /v1/models`` → ``{"object": "list", "data": [{"id", "object": "model", "owned_by"}]}``
- ``POST /v1/chat/completions`` (JSON) → a ``chat.completion`` whose content is a script
  composed by the project's template engine for the title in the user message
- ``POST /v1/images/generations`` (JSON: model, prompt, n, size "WxH", response_format
  ``b64_json``; ``seed`` honoured) → ``{"created", "data": [{"b64_json"}]}`` from the tiny
  random Stable Diffusion pipeline (tests/tiny_diffusers.py) when ``sd_folder`` is given
- ``POST /v1/audio/speech`` (JSON: model, input, voice, response_format ``wav``) → WAV
  bytes spoken by espeak-ng
- ``POST /v1/audio/transcriptions`` (multipart: file, model, language, response_format
  ``verbose_json``, ``timestamp_granularities[]``) → ``{"task", "language", "duration",
  "text", "segments", "words"}`` from faster-whisper with the bundled Whisper base

It serves ``slots`` requests at a time and queues ``queue`` more; beyond that it answers
``503`` with ``Retry-After`` like a loaded gateway. Faults can be scripted per path
(``srv.fault("/v1/images/generations", "half_png")``): ``drop`` (close without an
answer), ``garbage``, ``half_png``, ``bad_wav``, ``busy`` (429 + Retry-After), ``queue_full`` (503 + Retry-After, as when the
queue overflows), ``slow``.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from studio.core.errors import StudioError
from studio.core.jobs import JobContext


class RoomServer:
    def __init__(self, *, slots: int = 2, queue: int = 64, sd_folder: Path | None = None,
                 retry_after: float = 1.0, models: dict[str, str] | None = None) -> None:
        self.models = models or {"chat": "room-chat-1", "image": "tiny-sd-room", "speech": "espeak-room",
                                 "transcribe": "whisper-base-room"}
        self.slots = threading.Semaphore(slots)
        self.queue_limit = slots + queue
        self.retry_after = retry_after
        self.sd_folder = sd_folder
        self.faults: dict[str, list[str]] = {}
        self.seen: list[tuple[str, str, float]] = []
        """(method, path, seconds waited for a slot)."""
        self.busy_answers = 0
        self.active = 0
        self.peak = 0
        self._lock = threading.Lock()
        self._engines: dict[str, Any] = {}
        self._engine_lock = threading.Lock()
        self._image_lock = threading.Lock()
        self._tmp = Path(tempfile.mkdtemp(prefix="room-server-"))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> RoomServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fault(self, path: str, kind: str, times: int = 1) -> None:
        with self._lock:
            self.faults.setdefault(path, []).extend([kind] * times)

    # ------------------------------------------------------------ the models

    def _engine(self, kind: str) -> Any:
        with self._engine_lock:
            if kind not in self._engines:
                if kind == "image":
                    from studio.engines.image.diffusion import DiffusersImageEngine

                    if self.sd_folder is None:
                        raise LookupError("no image model on this server")
                    self._engines[kind] = DiffusersImageEngine(self.sd_folder)
                elif kind == "speech":
                    from studio.engines.voice.espeak import EspeakVoiceEngine

                    self._engines[kind] = EspeakVoiceEngine()
                elif kind == "transcribe":
                    from studio.engines.transcribe.whisper_ct2 import (
                        FasterWhisperEngine,
                    )

                    self._engines[kind] = FasterWhisperEngine()
                else:
                    from studio.engines.llm.template import TemplateScriptEngine

                    self._engines[kind] = TemplateScriptEngine()
            return self._engines[kind]

    def _chat(self, body: dict[str, Any]) -> dict[str, Any]:
        from studio.engines.base import ScriptRequest

        user = next((m["content"] for m in reversed(body["messages"]) if m.get("role") == "user"), "")
        title = next((line.split(":", 1)[1].strip() for line in str(user).splitlines()
                      if line.lower().startswith(("judul:", "title:"))), "Tradisi Desa")
        result = self._engine("chat").write(ScriptRequest(title=title, region="Indonesia", theme="tradisi"),
                                            JobContext("server-chat"))
        content = json.dumps({"scenes": [{"narration": s.narration, "image_prompt": s.image_prompt,
                                          "on_screen_text": s.on_screen_text, "needs_review": []}
                                         for s in result.scenes]}, ensure_ascii=False)
        return {"id": "chatcmpl-room", "object": "chat.completion", "created": int(time.time()),
                "model": self.models["chat"], "choices": [{"index": 0, "finish_reason": "stop",
                                                           "message": {"role": "assistant", "content": content}}]}

    def _image(self, body: dict[str, Any]) -> bytes:
        from studio.engines.base import ImageRequest

        width, height = (int(v) for v in str(body.get("size", "512x512")).split("x"))
        out = self._tmp / f"img-{threading.get_ident()}.png"
        engine = self._engine("image")
        with self._image_lock:  # one diffusers pipeline is not safe to run from two threads at once
            engine.generate(ImageRequest(prompt=str(body["prompt"]), width=width, height=height,
                                                    seed=int(body.get("seed") or 0), steps=2),
                            out, JobContext("server-image"))
        return out.read_bytes()

    def _speech(self, body: dict[str, Any]) -> bytes:
        from studio.engines.base import VoiceRequest

        out = self._tmp / f"tts-{threading.get_ident()}.wav"
        self._engine("speech").synthesize(VoiceRequest(text=str(body["input"])), out, JobContext("server-tts"))
        return out.read_bytes()

    def _transcribe(self, form: dict[str, Any]) -> dict[str, Any]:
        from studio.engines.base import TranscribeRequest

        out = self._tmp / f"stt-{threading.get_ident()}.wav"
        out.write_bytes(form["file"])
        t = self._engine("transcribe").transcribe(
            TranscribeRequest(audio_path=out, language=str(form.get("language") or "id")),
            JobContext("server-stt"))
        words = [{"word": w.text, "start": w.start, "end": w.end} for w in t.words]
        return {"task": "transcribe", "language": t.language, "duration": t.duration, "text": t.text,
                "segments": [{"id": i, "start": s.start, "end": s.end, "text": s.text}
                             for i, s in enumerate(t.segments)], "words": words}

    # ------------------------------------------------------------ HTTP

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, data: bytes, ctype: str = "application/json",
                      headers: dict[str, str] | None = None) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
                self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), headers=headers)

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/v1/models":
                    self._json(200, {"object": "list", "data": [
                        {"id": m, "object": "model", "created": 0, "owned_by": "room"}
                        for m in outer.models.values()]})
                else:
                    self._json(404, {"error": {"message": f"Unknown path {self.path}", "type": "not_found"}})

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with outer._lock:
                    fault = outer.faults.get(self.path, [None]).pop(0) if outer.faults.get(self.path) else None
                    if outer.active >= outer.queue_limit or fault in ("busy", "queue_full"):
                        outer.busy_answers += 1
                        busy = True
                    else:
                        busy = False
                        outer.active += 1
                        outer.peak = max(outer.peak, outer.active)
                if busy:
                    self._json(429 if fault == "busy" else 503,
                               {"error": {"message": "Server busy, try again later", "type": "server_busy"}},
                               {"Retry-After": f"{outer.retry_after:g}"})
                    return
                t0 = time.monotonic()
                try:
                    with outer.slots:
                        waited = time.monotonic() - t0
                        with outer._lock:
                            outer.seen.append(("POST", self.path, waited))
                        self._work(raw, fault)
                finally:
                    with outer._lock:
                        outer.active -= 1

            def _work(self, raw: bytes, fault: str | None) -> None:
                if fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if fault == "slow":
                    time.sleep(3.0)
                try:
                    if self.path == "/v1/audio/transcriptions":
                        form = _form(self.headers.get("Content-Type", ""), raw)
                        self._json(200, outer._transcribe(form))
                        return
                    body = json.loads(raw)
                    if self.path == "/v1/chat/completions":
                        self._json(200, outer._chat(body))
                    elif self.path == "/v1/images/generations":
                        png = outer._image(body)
                        if fault == "half_png":
                            png = png[:len(png) // 2]
                        b64 = "%%garbage%%" if fault == "garbage" else base64.b64encode(png).decode("ascii")
                        self._json(200, {"created": int(time.time()), "data": [{"b64_json": b64}]})
                    elif self.path == "/v1/audio/speech":
                        wav = outer._speech(body)
                        if fault == "bad_wav":
                            wav = wav[:44] + wav[44:len(wav) // 3]  # header claims all, a third arrives
                        self._send(200, wav, "audio/wav")
                    else:
                        self._json(404, {"error": {"message": f"Unknown path {self.path}"}})
                except StudioError as exc:  # the model failed: a 500 with its sentence, as servers do
                    self._json(500, {"error": {"message": exc.message, "type": "server_error"}})
                except LookupError as exc:
                    self._json(404, {"error": {"message": str(exc), "type": "not_found"}})
                except (KeyError, ValueError) as exc:
                    self._json(400, {"error": {"message": f"Bad request: {exc}", "type": "invalid_request_error"}})

        return Handler


def _form(content_type: str, raw: bytes) -> dict[str, Any]:
    """Fields of a multipart/form-data body (files as bytes)."""
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    form: dict[str, Any] = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        form[name] = data if part.get_filename() else data.decode("utf-8")
    return form
