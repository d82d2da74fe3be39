"""Script writing through any OpenAI-compatible chat-completions server.

Works with OpenAI, Ollama, LM Studio, llama.cpp's server, vLLM and Gemini's
compatible endpoint, using only the standard library (``urllib``): no SDK to
install, nothing that phones home. The API key is read from the environment or
the OS keyring (``core.settings.llm_api_key``) at the moment of each request and
only ever goes into the Authorization header: never into a file, a log line, the
provenance or an error message.

What can go wrong is turned into sentences a creator can act on: a server that
is not running, a missing or wrong key, an unknown model, rate limits and server
errors (bounded retries, honouring Retry-After), a refusal, and JSON that is
malformed or cut off (repaired by ``llm_json``, then one corrective retry).

The network call runs on a helper thread so a cancel takes effect within a
fraction of a second even while the server is still thinking. ``_complete`` is the
single place that talks to ``/chat/completions``; streaming can be added there.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import logging
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from studio import __version__
from studio.core.errors import EngineFailed, EngineUnavailable, Problem, StudioError, UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.presets import Theme
from studio.core.settings import Settings, llm_api_key
from studio.core.timeline import estimate_speech_seconds
from studio.engines.base import DraftScene, EngineInfo, Provenance, ScriptRequest, ScriptResult
from studio.engines.llm_json import ScriptJsonError, ensure_facts, fact_present, parse_scenes, strip_noise
from studio.engines.llm_prompts import SYSTEM_PROMPT, build_prompt, build_scene_prompt

log = logging.getLogger(__name__)

TOOL_NAME = "LLM (OpenAI-compatible)"
MAX_BODY = 8 * 1024 * 1024
"""Refuse answers larger than this (a misconfigured URL can stream a web page forever)."""

_REFUSAL = re.compile(
    r"\b(I can(?:no|')t (?:help|assist|comply|do that|write)|I(?: am|'m) (?:not able|unable) to|"
    r"I won't|I will not|cannot (?:help|assist|comply) with|against (?:my|the) (?:guidelines|policy)|"
    r"maaf,? saya tidak (?:bisa|dapat)|saya tidak dapat membantu|tidak dapat memenuhi permintaan)",
    re.IGNORECASE)


_KEYLIKE = re.compile(r"\b(?:sk|pk|rk|key|api[-_]?key|gsk|hf)[-_][A-Za-z0-9*._-]{6,}", re.IGNORECASE)
"""Things that look like API keys (``sk-...``, ``sk-proj-...``, masked ``sk-ab***cd``)."""


@dataclass(frozen=True)
class ChatAnswer:
    """One chat-completions answer, reduced to what the script step needs."""

    text: str
    model: str = ""
    finish_reason: str = ""
    refusal: str = ""


@dataclass(frozen=True)
class _Response:
    status: int
    headers: dict[str, str]
    body: bytes


Wait = Callable[[float, "JobContext | None"], None]


def _wait(seconds: float, ctx: JobContext | None) -> None:
    """Sleep, waking early (with Cancelled) if the job is cancelled."""
    end = time.monotonic() + max(0.0, seconds)
    while True:
        if ctx is not None:
            ctx.check()
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(0.1, left))


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _server_message(body: bytes) -> str:
    """The error text a server put in its body (OpenAI, Ollama and llama.cpp shapes)."""
    text = body[:4000].decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return re.sub(r"<[^>]+>", " ", text)[:300].strip()
    if isinstance(data, dict):
        err = data.get("error", data.get("message", data.get("detail", "")))
        if isinstance(err, dict):
            err = err.get("message") or err.get("code") or json.dumps(err)[:300]
        return str(err)[:300]
    return text[:300]


def _is_private_host(host: str) -> bool:
    if host in ("localhost", "") or host.endswith(".local"):
        return True
    try:
        addr = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return addr.is_private or addr.is_loopback or addr.is_link_local


class OpenAIScriptEngine:
    """Writes the script with a chat model behind an OpenAI-compatible HTTP API."""

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
                 wait: Wait | None = None) -> None:
        self.base_url = base_url.strip().rstrip("/")
        self.model = model.strip()
        self.timeout = float(timeout)
        self.temperature = float(temperature)
        self.max_retries = max(0, int(max_retries))
        self.max_wait = float(max_wait)
        # Only the settings object is kept; the key is looked up per request.
        self._settings = settings or Settings()
        self._wait = wait or _wait
        self._json_mode = True
        """Cleared once a server rejects response_format, so later calls skip it."""

    @classmethod
    def from_settings(cls, settings: Settings) -> "OpenAIScriptEngine":
        llm = settings.llm
        return cls(llm.base_url, llm.model, timeout=llm.timeout, temperature=llm.temperature,
                   settings=settings)

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
            resp = self._request("GET", "/models", None, timeout, None)
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

    # ------------------------------------------------------------ prompts

    # ------------------------------------------------------------ work

    def write(self, request: ScriptRequest, ctx: JobContext) -> ScriptResult:
        """Ask the model for the whole script; repaired, validated and fact-checked."""
        started = time.perf_counter()
        ctx.check()
        ctx.progress(0, 1, "Meminta naskah dari model bahasa")
        prompt = build_prompt(request)
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}]
        scenes, answer, attempts = self._ask_scenes(messages, ctx, min_scenes=3, max_scenes=15, keep=10)
        scenes, inserted = ensure_facts(scenes, request.key_facts)
        ctx.progress(1, 1, "Naskah diterima")
        total = sum(estimate_speech_seconds(s.narration, request.words_per_minute) for s in scenes)
        return ScriptResult(tuple(scenes), self._provenance(request, prompt, answer, attempts, started,
                                                            total, inserted), raw=answer.text)

    def rewrite_scene(self, request: ScriptRequest, scenes: Sequence[DraftScene], index: int,
                      ctx: JobContext, *, variant: int = 1) -> ScriptResult:
        """One new scene for position ``index``, written to fit between its neighbours.

        ``request.word_budget`` is the length to aim for (the old scene's).
        """
        if not 0 <= index < len(scenes):
            raise UsageError(f"There is no scene number {index + 1} to rewrite.",
                             f"Tidak ada adegan nomor {index + 1} untuk ditulis ulang.")
        started = time.perf_counter()
        ctx.check()
        prompt = build_scene_prompt(request, scenes, index, variant)
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}]
        got, answer, attempts = self._ask_scenes(messages, ctx, min_scenes=1, max_scenes=3, keep=1)
        keep = [f for f in request.key_facts if f.strip() and fact_present(f, scenes[index].narration)]
        got, inserted = ensure_facts(got, tuple(keep))
        total = estimate_speech_seconds(got[0].narration, request.words_per_minute)
        return ScriptResult(tuple(got), self._provenance(request, prompt, answer, attempts, started,
                                                         total, inserted), raw=answer.text)

    def _ask_scenes(self, messages: list[dict[str, str]], ctx: JobContext, *, min_scenes: int,
                    max_scenes: int, keep: int) -> tuple[list[DraftScene], ChatAnswer, int]:
        """Chat until the answer parses (one corrective retry), or raise EngineFailed."""
        attempts = 0
        answer = ChatAnswer("")
        for attempt in range(2):
            attempts += 1
            answer = self._complete(messages, ctx)
            _raise_if_refused(answer)
            try:
                return parse_scenes(answer.text, min_scenes=min_scenes, max_scenes=max_scenes,
                                    keep=keep), answer, attempts
            except ScriptJsonError as exc:
                if _looks_refused(answer.text):
                    _raise_if_refused(ChatAnswer(answer.text, refusal=answer.text))
                reason = str(exc)
                if answer.finish_reason == "length":
                    reason += " The answer was cut off by the length limit: write shorter."
                log.info("LLM answer unusable (attempt %d): %s", attempt + 1, reason)
                if attempt == 0:
                    messages = messages + [
                        {"role": "assistant", "content": answer.text[:6000]},
                        {"role": "user", "content": f"{reason} Answer again with ONLY the JSON object in the "
                                                    'format {"scenes": [...]}, nothing else.'},
                    ]
                    ctx.check()
                    continue
                raise EngineFailed(
                    f"The language model {self.model} did not give a usable script twice ({reason}). Try again, "
                    "or choose a larger or instruction-tuned model in Settings.",
                    f"Model bahasa {self.model} dua kali tidak memberi naskah yang bisa dipakai. Coba lagi, atau "
                    "pilih model yang lebih besar atau model instruksi di Pengaturan.",
                    details=answer.text[:2000]) from exc
        raise AssertionError("unreachable")

    def _complete(self, messages: list[dict[str, str]], ctx: JobContext) -> ChatAnswer:
        """One chat completion, with retries for rate limits and server errors."""
        payload: dict[str, Any] = {"model": self.model, "messages": messages,
                                   "temperature": self.temperature, "stream": False}
        attempt = 0
        while True:
            body = dict(payload)
            if self._json_mode:
                body["response_format"] = {"type": "json_object"}
            try:
                resp = self._request("POST", "/chat/completions", body, self.timeout, ctx)
            except _Transient as exc:
                if attempt >= self.max_retries:
                    raise exc.error from None
                attempt += 1
                self._wait(min(2.0 ** attempt, self.max_wait), ctx)
                continue
            if resp.status in (400, 422) and self._json_mode:
                # LM Studio and some llama.cpp builds refuse json_object: ask again without it.
                log.info("server rejected response_format (%s); retrying without it", resp.status)
                self._json_mode = False
                continue
            if resp.status == 429 or resp.status >= 500:
                if attempt >= self.max_retries:
                    self._raise_for_status(resp)
                delay = _retry_after(resp.headers.get("retry-after"))
                if resp.status == 429 and delay is not None and delay > self.max_wait:
                    self._raise_for_status(resp, retry_after=delay)
                attempt += 1
                self._wait(delay if delay is not None else min(2.0 ** attempt, self.max_wait), ctx)
                continue
            if resp.status >= 400:
                self._raise_for_status(resp)
            return self._parse_answer(resp)

    # ------------------------------------------------------------ HTTP

    def _request(self, method: str, path: str, payload: dict[str, Any] | None, timeout: float,
                 ctx: JobContext | None) -> _Response:
        """Send one request; HTTP error statuses are returned, network failures raised."""
        url = self.base_url + path
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8") if payload is not None else None
        headers = {"Accept": "application/json", "User-Agent": f"StudioLokal/{__version__}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        key = llm_api_key(self._settings)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        req = urllib.request.Request(url, data=data, headers=headers, method=method)

        def call() -> _Response:
            try:
                with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 - http(s) only, checked
                    return _Response(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read(MAX_BODY))
            except urllib.error.HTTPError as e:
                body = e.read(MAX_BODY) if e.fp is not None else b""
                return _Response(e.code, {k.lower(): v for k, v in (e.headers or {}).items()}, body)

        try:
            return _run_cancellable(call, ctx)
        except (urllib.error.URLError, OSError, ssl.SSLError) as exc:
            raise self._network_error(exc) from None

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
        if isinstance(reason, (ConnectionResetError, ConnectionAbortedError)) or "RemoteDisconnected" in repr(reason):
            return _Transient(EngineFailed(
                f"The LLM server at {where} closed the connection. Try again in a moment.",
                f"Server LLM di {where} memutus sambungan. Coba lagi sebentar lagi.", details=repr(exc)))
        if isinstance(reason, ssl.SSLError):
            return EngineUnavailable(
                f"A secure connection to {where} failed ({reason.__class__.__name__}). Check the address "
                "(http or https) in Settings.",
                f"Sambungan aman ke {where} gagal. Periksa alamat (http atau https) di Pengaturan.",
                details=repr(exc))
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

    def _raise_for_status(self, resp: _Response, retry_after: float | None = None) -> None:
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

    def _parse_answer(self, resp: _Response) -> ChatAnswer:
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

    # ------------------------------------------------------------ provenance

    def _provenance(self, request: ScriptRequest, prompt: str, answer: ChatAnswer, attempts: int,
                    started: float, total: float, inserted: list[str]) -> Provenance:
        model = self.model
        if answer.model and answer.model != self.model:
            model = f"{self.model} / {answer.model}"
        note = ""
        if inserted:
            note = ("Fakta kunci yang tidak disebut model disisipkan oleh Studio Lokal: "
                    + "; ".join(inserted))
        theme = request.theme_preset.id if isinstance(request.theme_preset, Theme) else request.theme
        return Provenance(
            engine=self.info.key, tool=TOOL_NAME, is_ai=True, model=model, model_revision="",
            licence=self.info.licence, prompt=prompt,
            params={"temperature": self.temperature, "server": self.host, "json_mode": self._json_mode,
                    "attempts": attempts, "finish_reason": answer.finish_reason, "server_model": answer.model,
                    "words_per_minute": round(float(request.words_per_minute), 1),
                    "word_budget": request.word_budget, "theme": theme,
                    "estimated_speech_seconds": round(total, 1)},
            seed=None, seconds=time.perf_counter() - started, note=note)


class _Transient(Exception):
    """A network failure worth one more try; carries the error to raise if it persists."""

    def __init__(self, error: StudioError) -> None:
        super().__init__(str(error))
        self.error = error


def _run_cancellable(call: Callable[[], _Response], ctx: JobContext | None) -> _Response:
    """Run a blocking HTTP call on a helper thread so a cancel need not wait for the server."""
    if ctx is None:
        return call()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="llm-http", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
        if ctx.cancelled:
            # The helper thread ends on its own when the socket times out; nothing it
            # returns is used.
            raise Cancelled(ctx.step)
    if "error" in box:
        raise box["error"]
    return box["value"]


def _looks_refused(text: str) -> bool:
    cleaned = strip_noise(text)
    return "{" not in cleaned and bool(_REFUSAL.search(cleaned))


def _raise_if_refused(answer: ChatAnswer) -> None:
    if answer.refusal or answer.finish_reason == "content_filter":
        said = (answer.refusal or answer.text or "").strip()[:200]
        quote = f' ("{said}")' if said else ""
        raise EngineFailed(
            f"The language model declined to write this script{quote}. Rephrase the brief (for example "
            "remove wording that may look sensitive) or choose another model in Settings.",
            f"Model bahasa menolak menulis naskah ini{quote}. Ubah kalimat brief (misalnya hapus kata yang "
            "mungkin dianggap sensitif) atau pilih model lain di Pengaturan.", details=answer.text[:2000])
