"""Script writing through any OpenAI-compatible chat-completions server.

Works with OpenAI, Ollama, LM Studio, llama.cpp's server, vLLM and Gemini's
compatible endpoint, using only the standard library (``urllib``): no SDK to
install, nothing that phones home. The API key is read from the environment or
the OS keyring (``core.settings.llm_api_key``) at the moment of each request and
only ever goes into the Authorization header: never into a file, a log line, the
provenance or an error message.

What can go wrong is turned into sentences a creator can act on: a server that
is not running, a missing or wrong key, an unknown model, rate limits and server
errors (waited out by the room's ``ServerClient``, honouring Retry-After), a refusal, and JSON that is
malformed or cut off (repaired by ``llm_json``, then one corrective retry: the
shared ``llm_chat.ChatScriptEngine`` does that part for every chat backend).

Answers are streamed (``"stream": true``, server-sent events) so the window can
show the text growing and the character count as progress; a server that ignores
the flag and answers in one piece works too. The network call runs on a helper
thread so a cancel takes effect within a fraction of a second even while the
server is still thinking; a cancel mid-stream closes the connection, which makes
Ollama, LM Studio and llama.cpp stop generating.
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from studio.core.errors import EngineFailed, EngineUnavailable, Problem, StudioError
from studio.core.jobs import JobContext
from studio.core.settings import Settings, llm_api_key
from studio.engines.base import EngineInfo
from studio.engines.llm.chat import ChatAnswer, ChatScriptEngine
from studio.engines.llm.scene_json import scenes_schema
from studio.engines.support.http_basics import KEYLIKE as _KEYLIKE
from studio.engines.support.http_basics import Response, Wait
from studio.engines.support.http_basics import Transient as _Transient
from studio.engines.support.http_basics import is_private_host as _is_private_host
from studio.engines.support.http_basics import server_message as _server_message
from studio.engines.support.http_basics import wait as _wait
from studio.engines.support.server_http import ServerClient

__all__ = ["TOOL_NAME", "ChatAnswer", "OpenAIScriptEngine"]

log = logging.getLogger(__name__)

TOOL_NAME = "LLM (OpenAI-compatible)"
MAX_BODY = 8 * 1024 * 1024
"""Refuse answers larger than this (a misconfigured URL can stream a web page forever)."""


class OpenAIScriptEngine(ChatScriptEngine):
    """Writes the script with a chat model behind an OpenAI-compatible HTTP API."""

    tool_name = TOOL_NAME

    info = EngineInfo(
        key="script.openai", kind="script", name=TOOL_NAME, is_ai=True, online=True,
        licence="sesuai ketentuan penyedia model",
        description_id="Menulis naskah dengan model bahasa (LLM) lewat server yang kompatibel dengan "
                       "OpenAI: Ollama atau LM Studio di komputer ini, atau layanan daring.",
        description_en="Writes the script with a language model through an OpenAI-compatible server: "
                       "Ollama or LM Studio on this computer, or an online service.",
    )

    def __init__(self, base_url: str, model: str, *, timeout: float = 120.0, temperature: float = 0.7,
                 settings: Settings | None = None, max_retries: int = 2, max_wait: float = 30.0,
                 wait: Wait | None = None, stream: bool = True) -> None:
        super().__init__()
        self.base_url = base_url.strip().rstrip("/")
        self.model = model.strip()
        self.timeout = float(timeout)
        self.temperature = float(temperature)
        self.max_retries = max(0, int(max_retries))
        self.max_wait = float(max_wait)
        # Only the settings object is kept; the key is looked up per request.
        self._settings = settings or Settings()
        self._wait = wait or _wait
        self._json_mode = "json_schema"
        """``json_schema`` (constrained output), then ``json_object``, then "" (none): a server that
        rejects one is asked again with the next, and the engine remembers."""
        self.stream = bool(stream)

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIScriptEngine:
        llm = settings.llm
        return cls(llm.base_url, llm.model, timeout=llm.timeout, temperature=llm.temperature,
                   settings=settings, stream=getattr(llm, "stream", True))

    @property
    def model_label(self) -> str:
        return self.model

    def _provenance_model(self, answer: ChatAnswer) -> str:
        if answer.model and answer.model != self.model:
            return f"{self.model} / {answer.model}"
        return self.model

    def _provenance_params(self, answer: ChatAnswer) -> dict[str, Any]:
        return {"temperature": self.temperature, "server": self.host, "json_mode": self._json_mode or "off",
                "server_model": answer.model}

    # ------------------------------------------------------------ checks

    @property
    def key_env(self) -> str:
        return self._settings.llm.api_key_env or "STUDIO_LLM_API_KEY"

    @property
    def host(self) -> str:
        """Host (and port) of the server, without any credentials: safe to log."""
        parts = urllib.parse.urlsplit(self.base_url)
        return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else ""

    def _url_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        parts = urllib.parse.urlsplit(self.base_url)
        if not self.base_url:
            problems.append(Problem(
                "No LLM server address is set. Enter it in Settings (for Ollama: http://127.0.0.1:11434/v1).",
                "Alamat server LLM belum diisi. Isi di Pengaturan (untuk Ollama: http://127.0.0.1:11434/v1)."))
        elif parts.scheme not in ("http", "https") or not parts.hostname:
            problems.append(Problem(
                f"The LLM server address '{self.base_url}' is not a web address; it should look like "
                "http://127.0.0.1:11434/v1.",
                f"Alamat server LLM '{self.base_url}' bukan alamat web; contohnya http://127.0.0.1:11434/v1."))
        return problems

    def preflight(self) -> list[Problem]:
        """Cheap checks only: a URL and a model are set, and a key where one is needed (no network)."""
        problems = self._url_problems()
        parts = urllib.parse.urlsplit(self.base_url)
        if not self.model:
            problems.append(Problem(
                "No LLM model is chosen. Enter the model name in Settings (for example qwen2.5:7b for Ollama).",
                "Model LLM belum dipilih. Isi nama model di Pengaturan (misalnya qwen2.5:7b untuk Ollama)."))
        if parts.hostname and not _is_private_host(parts.hostname) and not llm_api_key(self._settings):
            problems.append(Problem(
                f"{self.host} needs an API key: set the environment variable {self.key_env} and restart "
                "Studio Lokal.",
                f"{self.host} memerlukan kunci API: isi variabel lingkungan {self.key_env} lalu jalankan "
                "ulang Studio Lokal."))
        return problems

    def ping(self, timeout: float = 3.0) -> list[Problem]:
        """Ask the server for its models (for the settings page); ``[]`` when all is well."""
        problems = self._url_problems()
        if problems:
            return problems
        try:
            resp = self._request("GET", "/models", None, timeout, None, patient=False)
        except _Transient as exc:
            return [Problem(exc.error.message, exc.error.message_id)]
        except StudioError as exc:
            return [Problem(exc.message, exc.message_id)]
        if resp.status >= 400:
            try:
                self._raise_for_status(resp)
            except StudioError as exc:
                return [Problem(exc.message, exc.message_id)]
        try:
            data = json.loads(resp.body.decode("utf-8", "replace"))
            ids = [str(m.get("id", "")) for m in data.get("data", []) if isinstance(m, dict)]
        except (ValueError, AttributeError):
            ids = []
        if self.model and ids and self.model not in ids:
            listed = ", ".join(ids[:8]) + (" …" if len(ids) > 8 else "")
            return [Problem(
                f"The server at {self.host} is running but has no model '{self.model}'. Models there: {listed}.",
                f"Server di {self.host} berjalan tetapi tidak punya model '{self.model}'. Model yang ada: {listed}.")]
        return []

    # ------------------------------------------------------------ work

    def _complete(self, messages: list[dict[str, str]], ctx: JobContext) -> ChatAnswer:
        """One chat completion; busy answers and drops are waited out by ``ServerClient``."""
        payload: dict[str, Any] = {"model": self.model, "messages": messages,
                                   "temperature": self.temperature, "stream": self.stream}
        while True:
            body = dict(payload)
            if self._json_mode == "json_schema":
                body["response_format"] = {"type": "json_schema", "json_schema": {
                    "name": "script", "schema": scenes_schema(*self._scene_range)}}
            elif self._json_mode:
                body["response_format"] = {"type": "json_object"}
            self._reset_partial()
            resp = self._request("POST", "/chat/completions", body, self.timeout, ctx, stream=self.stream)
            if resp.status in (400, 422) and self._json_mode:
                # Older servers know no json_schema, LM Studio refuses json_object: step down and ask again.
                log.info("server rejected response_format %s (%s)", self._json_mode, resp.status)
                self._json_mode = "json_object" if self._json_mode == "json_schema" else ""
                continue
            if resp.status >= 400:
                self._raise_for_status(resp)
            if resp.answer is not None:
                return resp.answer
            answer = self._parse_answer(resp)
            self._add_partial(answer.text)
            return answer

    # ------------------------------------------------------------ HTTP

    def _request(self, method: str, path: str, payload: dict[str, Any] | None, timeout: float,
                 ctx: JobContext | None, *, stream: bool = False, patient: bool = True) -> Response:
        """One request through the room's ``ServerClient``; HTTP error statuses are returned.

        ``patient`` waits out busy answers and dropped connections (``max_retries``,
        ``max_wait`` without progress; a 503 + Retry-After queue as long as it moves);
        without it one answer is taken as it comes (the settings page's ping).
        With ``stream``, an event-stream answer is read piece by piece on the helper
        thread (``partial_text`` grows) while this thread reports progress and watches
        for a cancel; ``timeout`` is then the longest silence allowed between pieces.
        """
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8") if payload is not None else None
        accept = "text/event-stream, application/json" if stream else "application/json"
        client = _ChatClient(self, timeout)
        tick = (lambda: self._report_stream(ctx)) if (stream and ctx is not None) else None
        call = client.request if patient else client.send
        return call(method, path, body=data, content_type="application/json", accept=accept,
                    timeout=timeout, ctx=ctx, reader=self._read_events if stream else None, tick=tick)

    def _stream_failed(self, said: str) -> EngineFailed:
        return EngineFailed(
            f"The LLM server at {self.host} stopped in the middle of its answer (\"{said}\"). Try again; if it "
            "keeps happening, check that the model fits in memory or choose a smaller one in Settings.",
            f"Server LLM di {self.host} berhenti di tengah jawaban (\"{said}\"). Coba lagi; bila terus terjadi, "
            "pastikan model muat di memori atau pilih model yang lebih kecil di Pengaturan.", details=said)

    def _read_events(self, response: Any, stop: threading.Event) -> ChatAnswer:
        """Assemble a streamed answer from server-sent events (``data: {...}`` lines)."""
        self._reset_partial()  # a retried request starts its text afresh
        model = finish = ""
        refusal: list[str] = []
        text: list[str] = []
        size = 0
        data_lines: list[str] = []

        def handle(data: str) -> bool:
            """Take one event; False at the end of the stream."""
            nonlocal model, finish
            if data.strip() == "[DONE]":
                return False
            try:
                event = json.loads(data)
            except ValueError:
                log.info("ignoring a stream event that is not JSON: %.80s", data)
                return True
            if not isinstance(event, dict):
                return True
            if event.get("error"):
                raise self._stream_failed(self._redact(_server_message(json.dumps(event).encode("utf-8"))))
            model = str(event.get("model") or model)
            for choice in event.get("choices") or []:
                if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                    continue
                delta = choice.get("delta") or choice.get("message") or {}
                piece = delta.get("content") if isinstance(delta, dict) else None
                if isinstance(piece, list):  # content parts
                    piece = "".join(str(p.get("text", "")) for p in piece if isinstance(p, dict))
                if piece:
                    text.append(str(piece))
                    self._add_partial(str(piece))
                if isinstance(delta, dict) and delta.get("refusal"):
                    refusal.append(str(delta["refusal"]))
                finish = str(choice.get("finish_reason") or finish)
            return True

        for raw in response:
            if stop.is_set():
                break
            size += len(raw)
            if size > MAX_BODY:
                raise self._stream_failed("the answer is larger than 8 MB")
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if line.startswith(":"):
                continue  # a keep-alive comment
            if line.startswith("data:"):
                data_lines.append(line[5:].lstrip(" "))
                continue
            if line == "" and data_lines:
                data, data_lines = "\n".join(data_lines), []
                if not handle(data):
                    break
        else:
            if data_lines:
                handle("\n".join(data_lines))
        return ChatAnswer(text="".join(text), model=model, finish_reason=finish, refusal="".join(refusal),
                          streamed=True)

    def _network_error(self, exc: BaseException) -> Exception:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        where = self.base_url
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return EngineFailed(
                f"The LLM server at {where} did not answer within {self.timeout:g} seconds. Is Ollama/LM Studio "
                "running there? A large model on a laptop can be slow: choose a smaller model or raise the "
                "timeout in Settings.",
                f"Server LLM di {where} tidak menjawab dalam {self.timeout:g} detik. Apakah Ollama/LM Studio "
                "berjalan di sana? Model besar di laptop bisa lambat: pilih model yang lebih kecil atau "
                "perpanjang batas waktu di Pengaturan.", details=repr(exc))
        if isinstance(reason, socket.gaierror):
            return EngineUnavailable(
                f"The server name in {where} cannot be found. Check the address in Settings and your "
                "network; for a model on this computer use http://127.0.0.1:11434/v1 (Ollama) or "
                "http://127.0.0.1:1234/v1 (LM Studio).",
                f"Nama server pada {where} tidak ditemukan. Periksa alamat di Pengaturan dan jaringan Anda; "
                "untuk model di komputer ini pakai http://127.0.0.1:11434/v1 (Ollama) atau "
                "http://127.0.0.1:1234/v1 (LM Studio).", details=repr(exc))
        return EngineUnavailable(
            f"Cannot reach the LLM server at {where}. Is Ollama/LM Studio running at {where}? Start it, or "
            "correct the address in Settings.",
            f"Server LLM di {where} tidak bisa dihubungi. Apakah Ollama/LM Studio berjalan di {where}? "
            "Jalankan dulu, atau perbaiki alamatnya di Pengaturan.", details=repr(exc))

    def _redact(self, text: str) -> str:
        """Server messages sometimes echo the key (in full or masked): never pass it on."""
        key = llm_api_key(self._settings)
        if key:
            text = text.replace(key, "[kunci]")
        return _KEYLIKE.sub("[kunci]", text)

    def _raise_for_status(self, resp: Response, retry_after: float | None = None) -> None:
        status = resp.status
        msg = self._redact(_server_message(resp.body))
        said = f' The server said: "{msg}".' if msg else ""
        said_id = f' Pesan server: "{msg}".' if msg else ""
        if status in (401, 403):
            has_key = bool(llm_api_key(self._settings))
            if has_key:
                en = (f"The server at {self.host} refused the API key (HTTP {status}). Put a valid key in the "
                      f"environment variable {self.key_env} and restart Studio Lokal.")
                id_ = (f"Server di {self.host} menolak kunci API (HTTP {status}). Isi kunci yang benar di "
                       f"variabel lingkungan {self.key_env} lalu jalankan ulang Studio Lokal.")
            else:
                en = (f"The server at {self.host} needs an API key (HTTP {status}). Set the environment variable "
                      f"{self.key_env} to your key and restart Studio Lokal.")
                id_ = (f"Server di {self.host} memerlukan kunci API (HTTP {status}). Isi variabel lingkungan "
                       f"{self.key_env} dengan kunci Anda lalu jalankan ulang Studio Lokal.")
            raise EngineUnavailable(en + said, id_ + said_id, details=msg)
        if status == 404:
            if "model" in msg.lower():
                raise EngineUnavailable(
                    f"The server at {self.host} has no model called '{self.model}'. For Ollama run "
                    f"'ollama pull {self.model}', or pick a model the server lists in Settings.{said}",
                    f"Server di {self.host} tidak punya model bernama '{self.model}'. Untuk Ollama jalankan "
                    f"'ollama pull {self.model}', atau pilih model yang tersedia di Pengaturan.{said_id}", details=msg)
            raise EngineUnavailable(
                f"The server has no chat endpoint at {self.base_url}/chat/completions. Check the address in "
                "Settings; it usually ends in /v1.",
                f"Server tidak punya layanan obrolan di {self.base_url}/chat/completions. Periksa alamat di "
                "Pengaturan; biasanya berakhiran /v1.", details=msg)
        if status == 429:
            wait = f" It asks to wait {retry_after:.0f} seconds." if retry_after else ""
            wait_id = f" Server meminta menunggu {retry_after:.0f} detik." if retry_after else ""
            raise EngineFailed(
                f"The LLM service is busy or your quota is used up (HTTP 429).{wait} Try again later or check "
                f"your plan.{said}",
                f"Layanan LLM sedang sibuk atau kuota Anda habis (HTTP 429).{wait_id} Coba lagi nanti atau "
                f"periksa paket Anda.{said_id}", details=msg)
        if status >= 500:
            raise EngineFailed(
                f"The LLM server at {self.host} had an internal error (HTTP {status}) several times. If it is "
                f"Ollama or LM Studio, check that the model fits in memory, then try again.{said}",
                f"Server LLM di {self.host} mengalami galat internal (HTTP {status}) beberapa kali. Jika memakai "
                f"Ollama atau LM Studio, pastikan model muat di memori, lalu coba lagi.{said_id}", details=msg)
        raise EngineFailed(
            f"The LLM server at {self.host} refused the request (HTTP {status}).{said} Check the model name and "
            "address in Settings.",
            f"Server LLM di {self.host} menolak permintaan (HTTP {status}).{said_id} Periksa nama model dan "
            "alamat di Pengaturan.", details=msg)

    def _parse_answer(self, resp: Response) -> ChatAnswer:
        try:
            data = json.loads(resp.body.decode("utf-8", "replace"))
            choice = data["choices"][0]
            message = choice.get("message") or {}
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise EngineFailed(
                f"The server at {self.host} answered, but not in the chat-completions format. Check that the "
                "address in Settings points at an OpenAI-compatible API (it usually ends in /v1).",
                f"Server di {self.host} menjawab, tetapi tidak dalam format chat-completions. Pastikan alamat "
                "di Pengaturan menunjuk API yang kompatibel dengan OpenAI (biasanya berakhiran /v1).",
                details=resp.body[:1000].decode("utf-8", "replace")) from None
        content = message.get("content")
        if isinstance(content, list):  # content parts
            content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        return ChatAnswer(text=str(content or ""), model=str(data.get("model") or ""),
                          finish_reason=str(choice.get("finish_reason") or ""),
                          refusal=str(message.get("refusal") or ""))


class _ChatClient(ServerClient):
    """The room's HTTP client (its patience), with the chat engine's own sentences."""

    def __init__(self, engine: OpenAIScriptEngine, timeout: float) -> None:
        super().__init__(engine.base_url, engine._settings, timeout=timeout, max_retries=engine.max_retries,
                         max_wait=engine.max_wait, max_total=engine._settings.server.max_wait * 10,
                         what_en="LLM server", what_id="server LLM", sleep=engine._wait)
        self._engine = engine

    def network_error(self, exc: BaseException, timeout: float | None = None) -> Exception:
        """Drops and TLS failures as every server engine says them; the rest with Ollama/LM Studio hints."""
        general = super().network_error(exc, timeout)
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(general, _Transient) or isinstance(reason, ssl.SSLError):
            return general
        return self._engine._network_error(exc)

    def raise_for_status(self, resp: Response, retry_after: float | None = None, *, model: str = "",
                         path: str = "") -> None:
        if resp.status >= 400:
            self._engine._raise_for_status(resp, retry_after=retry_after)
