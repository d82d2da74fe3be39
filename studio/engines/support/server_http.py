"""One HTTP client for the "Server kelas": an OpenAI-compatible server every AI step can use.

A workshop room runs one machine with a GPU (Ollama, vLLM, LocalAI, Speaches,
an images server) for thirty laptops. Every server engine (chat, images, speech,
transcription) talks to it through ``ServerClient``, which owns what a busy
shared server needs:

- the base URL, and the API key read from the environment or the OS keyring at
  the moment of each request (``core.settings.llm_api_key``); the key only ever
  goes into the Authorization header, never into a file, a log line, the AI log or
  an error message (``redact``);
- timeouts on every call;
- retries with exponential backoff on 429, 502, 503 and 504 and on dropped
  connections, honouring ``Retry-After`` (seconds or an HTTP date); a server that
  keeps pacing its queue (503 + Retry-After) is waited on for as long as it keeps
  answering (up to ``max_total``), the ``max_wait`` budget counts only time without
  progress;
- progress while waiting ("Server sibuk, menunggu 4 dtk"), counting down;
- cancel at any point: the call runs on a helper thread and a cancel returns at
  once; an answer that arrives after the cancel is thrown away, never used.

Standard library only (``urllib``): nothing to install, nothing that phones home.
"""

from __future__ import annotations

import json
import logging
import random
import socket
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from studio import __version__
from studio.core.errors import EngineFailed, EngineUnavailable, Problem, StudioError
from studio.core.jobs import Cancelled, JobContext
from studio.core.settings import Settings, llm_api_key
from studio.engines.support.http_basics import (
    BUSY_STATUSES,
    KEYLIKE,
    MAX_BODY,
    Response,
    Transient,
    Wait,
    abort,
    is_private_host,
    retry_after,
    run_cancellable,
    server_message,
    wait,
)

log = logging.getLogger(__name__)


class ServerClient:
    """Requests to one OpenAI-compatible server, patient with a busy one.

    ``what_id``/``what_en`` name the capability in messages ("server gambar").
    ``max_retries`` bounds how often a drop or an unpaced busy answer is asked again,
    ``max_wait`` the seconds waited without progress, ``max_total`` all the waiting;
    beyond any of them the call fails with a sentence.
    """

    def __init__(self, base_url: str, settings: Settings | None = None, *, timeout: float = 120.0,
                 max_retries: int = 6, max_wait: float = 120.0, max_total: float | None = None,
                 what_en: str = "AI server", what_id: str = "server AI", key_env: str = "",
                 sleep: Wait | None = None) -> None:
        self.base_url = base_url.strip().rstrip("/")
        self.timeout = float(timeout)
        self.max_retries = max(0, int(max_retries))
        self.max_wait = float(max_wait)
        self.max_total = float(max_total) if max_total is not None else max(10 * self.max_wait, 1800.0)
        """Absolute cap on waiting, even on a server that keeps saying "come back later"."""
        self.what_en, self.what_id = what_en, what_id
        self._settings = settings or Settings()
        self._key_env = key_env
        self._sleep = sleep or wait
        self.waited = 0.0
        """Seconds the last ``request`` spent waiting on a busy server (for the AI log)."""
        self.retries = 0
        """Busy answers and dropped connections the last ``request`` sat out."""

    # ------------------------------------------------------------ names

    @property
    def host(self) -> str:
        """Host (and port) of the server, without any credentials: safe to log."""
        parts = urllib.parse.urlsplit(self.base_url)
        return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else ""

    @property
    def key_env(self) -> str:
        return self._key_env or self._settings.llm.api_key_env or "STUDIO_LLM_API_KEY"

    def key(self) -> str | None:
        return llm_api_key(self._settings)

    def redact(self, text: str) -> str:
        """Server messages sometimes echo the key (in full or masked): never pass it on."""
        key = self.key()
        if key:
            text = text.replace(key, "[kunci]")
        return KEYLIKE.sub("[kunci]", text)

    def url_problems(self) -> list[Problem]:
        parts = urllib.parse.urlsplit(self.base_url)
        if not self.base_url:
            return [Problem(
                "No server address is set. Enter the room's server in Settings → Server kelas "
                "(for example http://192.168.1.10:8000/v1).",
                "Alamat server belum diisi. Isi alamat server kelas di Pengaturan → Server kelas "
                "(misalnya http://192.168.1.10:8000/v1).")]
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return [Problem(
                f"The server address '{self.base_url}' is not a web address; it should look like "
                "http://192.168.1.10:8000/v1.",
                f"Alamat server '{self.base_url}' bukan alamat web; contohnya http://192.168.1.10:8000/v1.")]
        return []

    def key_problems(self) -> list[Problem]:
        parts = urllib.parse.urlsplit(self.base_url)
        if parts.hostname and not is_private_host(parts.hostname) and not self.key():
            return [Problem(
                f"{self.host} needs an API key: set the environment variable {self.key_env} and restart "
                "Studio Lokal.",
                f"{self.host} memerlukan kunci API: isi variabel lingkungan {self.key_env} lalu jalankan "
                "ulang Studio Lokal.")]
        return []

    # ------------------------------------------------------------ one call

    def send(self, method: str, path: str, *, body: bytes | None = None, content_type: str = "",
             accept: str = "application/json", timeout: float | None = None, ctx: JobContext | None = None,
             reader: Callable[[Any, threading.Event], Any] | None = None,
             tick: Callable[[], None] | None = None) -> Response:
        """Send one request; HTTP error statuses are returned, network failures raised.

        ``reader(response, stop)`` consumes a streamed answer on the helper thread
        (its result is ``Response.answer``); ``tick`` runs on the caller's thread
        meanwhile. A dropped connection raises ``Transient``.
        """
        timeout = self.timeout if timeout is None else timeout
        headers = {"Accept": accept, "User-Agent": f"StudioLokal/{__version__}"}
        if body is not None:
            headers["Content-Type"] = content_type or "application/json"
        key = self.key()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        req = urllib.request.Request(self.base_url + path, data=body, headers=headers, method=method)
        stop = threading.Event()
        live: dict[str, Any] = {}

        def call() -> Response:
            try:
                with urllib.request.urlopen(req, timeout=timeout) as r:
                    head = {k.lower(): v for k, v in r.headers.items()}
                    if reader is not None and "text/event-stream" in head.get("content-type", ""):
                        live["response"] = r
                        return Response(r.status, head, b"", reader(r, stop))
                    data = r.read(MAX_BODY + 1)
                    if len(data) > MAX_BODY:
                        raise self._failed(f"the answer is larger than {MAX_BODY // 2**20} MB")
                    length = head.get("content-length")
                    if length and length.isdigit() and int(length) != len(data):
                        raise ConnectionResetError(f"answer cut short ({len(data)} of {length} bytes)")
                    return Response(r.status, head, data)
            except urllib.error.HTTPError as e:
                data = e.read(MAX_BODY) if e.fp is not None else b""
                return Response(e.code, {k.lower(): v for k, v in (e.headers or {}).items()}, data)

        def on_cancel() -> None:
            # Closing the connection is how a client tells Ollama/llama.cpp to stop generating.
            stop.set()
            abort(live.get("response"))

        try:
            return run_cancellable(call, ctx, tick=tick, on_cancel=on_cancel)
        except (urllib.error.URLError, OSError, ssl.SSLError, ValueError) as exc:
            if isinstance(exc, StudioError):
                raise
            if stop.is_set() and ctx is not None:
                raise Cancelled(ctx.step) from None
            raise self.network_error(exc, timeout) from None

    def request(self, method: str, path: str, *, body: bytes | None = None, content_type: str = "",
                accept: str = "application/json", timeout: float | None = None,
                ctx: JobContext | None = None, **stream: Any) -> Response:
        """``send`` with patience: busy answers and dropped connections are waited out and asked again.

        A 503 with ``Retry-After`` is a live server pacing its queue (Ollama, vLLM,
        LocalAI, a gateway): it restarts the ``max_wait`` budget, so a participant
        waits as long as the server keeps answering, up to ``max_total`` seconds in
        all. Dropped connections, 429s and busy answers without ``Retry-After`` are
        bounded by ``max_retries`` and by ``max_wait`` seconds without progress.
        Returns the first answer that is not a busy status (it may still be an error
        status: see ``raise_for_status``). Raises the last error when patience runs
        out, ``Cancelled`` when the job is cancelled meanwhile.
        """
        self.waited, self.retries = 0.0, 0
        attempt, idle = 0, 0.0
        while True:
            try:
                resp = self.send(method, path, body=body, content_type=content_type, accept=accept,
                                 timeout=timeout, ctx=ctx, **stream)
            except Transient as exc:
                delay = self._backoff(attempt)
                if attempt >= self.max_retries or idle + delay > self.max_wait \
                        or self.waited + delay > self.max_total:
                    raise exc.error from None
                attempt += 1
            else:
                if resp.status not in BUSY_STATUSES:
                    return resp
                asked = retry_after(resp.headers.get("retry-after"))
                delay = asked if asked is not None else self._backoff(attempt)
                if resp.status == 503 and asked is not None:
                    idle = 0.0  # the server is alive and says when to come back: not "no progress"
                elif attempt >= self.max_retries:
                    self.raise_for_status(resp, retry_after=asked)
                else:
                    attempt += 1
                if idle + delay > self.max_wait or self.waited + delay > self.max_total:
                    self.raise_for_status(resp, retry_after=asked)
            self.retries += 1
            idle += delay
            self._wait_busy(delay, ctx)

    def _backoff(self, attempt: int) -> float:
        """1, 2, 4, 8 … seconds (capped at 30), with a little jitter so thirty laptops spread out."""
        return min(30.0, 2.0 ** attempt) * random.uniform(0.8, 1.2)

    def _wait_busy(self, delay: float, ctx: JobContext | None) -> None:
        """Wait ``delay`` seconds, saying so (and how long so far) on the job's progress every second."""
        log.info("%s busy; waiting %.1f s", self.host, delay)
        left = delay
        while left > 0:
            if ctx is not None:
                ctx.note(f"Server sibuk, menunggu {max(1, round(left))} dtk · sudah menunggu "
                         f"{round(self.waited + delay - left)} dtk")
            step = min(1.0, left)
            self._sleep(step, ctx)
            left -= step
        self.waited += delay
        if ctx is not None:
            ctx.note("Server menjawab, melanjutkan")

    def get_json(self, path: str, *, timeout: float | None = None, ctx: JobContext | None = None) -> Any:
        """GET ``path`` and return its JSON (errors as sentences)."""
        resp = self.request("GET", path, timeout=timeout, ctx=ctx)
        self.raise_for_status(resp)
        try:
            return resp.json()
        except ValueError:
            raise self._not_api(path, resp) from None

    def post_json(self, path: str, payload: dict[str, Any], *, accept: str = "application/json",
                  timeout: float | None = None, ctx: JobContext | None = None) -> Response:
        """POST a JSON body with patience; an error status raises a sentence."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        resp = self.request("POST", path, body=body, content_type="application/json", accept=accept,
                            timeout=timeout, ctx=ctx)
        self.raise_for_status(resp)
        return resp

    def model_ids(self, *, timeout: float = 5.0) -> list[str]:
        """The model ids ``GET /models`` lists (raises a sentence when the server cannot be asked)."""
        resp = self.request("GET", "/models", timeout=timeout)
        if resp.status == 404:
            return []  # some servers (faster-whisper-server) do not list their models
        self.raise_for_status(resp)
        try:
            data = resp.json()
        except ValueError:
            raise self._not_api("/models", resp) from None
        items = data.get("data", []) if isinstance(data, dict) else []
        return [str(m.get("id", "")) for m in items if isinstance(m, dict) and m.get("id")]

    # ------------------------------------------------------------ errors as sentences

    def _failed(self, what: str) -> EngineFailed:
        return EngineFailed(
            f"The {self.what_en} at {self.host} sent an answer that cannot be used ({what}). Nothing was "
            "changed in your project; try again.",
            f"Jawaban {self.what_id} di {self.host} tidak bisa dipakai ({what}). Proyek Anda tidak berubah; "
            "coba lagi.", details=what)

    def _not_api(self, path: str, resp: Response) -> EngineFailed:
        return EngineFailed(
            f"The server at {self.host} answered {path}, but not in the OpenAI format. Check that the address "
            "in Settings points at an OpenAI-compatible API (it usually ends in /v1).",
            f"Server di {self.host} menjawab {path}, tetapi tidak dalam format OpenAI. Pastikan alamat di "
            "Pengaturan menunjuk API yang kompatibel dengan OpenAI (biasanya berakhiran /v1).",
            details=resp.body[:500].decode("utf-8", "replace"))

    def unusable(self, what: str) -> EngineFailed:
        """The error for an answer whose content is broken (garbage, half a PNG, a bad WAV)."""
        return self._failed(what)

    def network_error(self, exc: BaseException, timeout: float | None = None) -> Exception:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        where = self.base_url
        seconds = self.timeout if timeout is None else timeout
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return EngineFailed(
                f"The {self.what_en} at {where} did not answer within {seconds:g} seconds. It may be busy with "
                "the whole room: try again in a moment, or raise the timeout in Settings.",
                f"{self.what_id.capitalize()} di {where} tidak menjawab dalam {seconds:g} detik. Mungkin sedang "
                "sibuk melayani seluruh kelas: coba lagi sebentar lagi, atau perpanjang batas waktu di "
                "Pengaturan.", details=repr(exc))
        if isinstance(reason, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)) \
                or "RemoteDisconnected" in repr(reason) or "IncompleteRead" in repr(reason):
            return Transient(EngineFailed(
                f"The {self.what_en} at {where} closed the connection several times. Try again in a moment.",
                f"{self.what_id.capitalize()} di {where} berkali-kali memutus sambungan. Coba lagi sebentar "
                "lagi.", details=repr(exc)))
        if isinstance(reason, ssl.SSLError):
            return EngineUnavailable(
                f"A secure connection to {where} failed ({reason.__class__.__name__}). Check the address "
                "(http or https) in Settings.",
                f"Sambungan aman ke {where} gagal. Periksa alamat (http atau https) di Pengaturan.",
                details=repr(exc))
        if isinstance(reason, socket.gaierror):
            return EngineUnavailable(
                f"The server name in {where} cannot be found. Check the address in Settings and the room's "
                "network.",
                f"Nama server pada {where} tidak ditemukan. Periksa alamat di Pengaturan dan jaringan kelas.",
                details=repr(exc))
        return EngineUnavailable(
            f"Cannot reach the {self.what_en} at {where}. Is the room's server running? Start it, or correct "
            "the address in Settings.",
            f"{self.what_id.capitalize()} di {where} tidak bisa dihubungi. Apakah server kelas sudah berjalan? "
            "Jalankan dulu, atau perbaiki alamatnya di Pengaturan.", details=repr(exc))

    def raise_for_status(self, resp: Response, retry_after: float | None = None, *, model: str = "",
                         path: str = "") -> None:
        """Nothing for a 2xx answer; otherwise the sentence for its status."""
        status = resp.status
        if status < 400:
            return
        msg = self.redact(server_message(resp.body))
        said = f' The server said: "{msg}".' if msg else ""
        said_id = f' Pesan server: "{msg}".' if msg else ""
        if status in (401, 403):
            raise EngineUnavailable(
                f"The server at {self.host} refused the request for lack of a valid API key (HTTP {status}). "
                f"Put the key in the environment variable {self.key_env} and restart Studio Lokal.{said}",
                f"Server di {self.host} menolak permintaan karena kunci API tidak ada atau salah (HTTP "
                f"{status}). Isi kunci di variabel lingkungan {self.key_env} lalu jalankan ulang Studio Lokal."
                f"{said_id}", details=msg)
        if status == 404:
            if model and "model" in msg.lower():
                raise EngineUnavailable(
                    f"The server at {self.host} has no model called '{model}'. Pick a model the server lists in "
                    f"Settings → Server kelas.{said}",
                    f"Server di {self.host} tidak punya model bernama '{model}'. Pilih model yang tersedia di "
                    f"Pengaturan → Server kelas.{said_id}", details=msg)
            raise EngineUnavailable(
                f"The server at {self.host} cannot do this: it has no {self.base_url}{path}. Choose another "
                f"engine for this step in Settings, or a server that offers it.{said}",
                f"Server di {self.host} tidak bisa melakukan ini: tidak ada {self.base_url}{path}. Pilih mesin "
                f"lain untuk langkah ini di Pengaturan, atau server yang menyediakannya.{said_id}", details=msg)
        if status in BUSY_STATUSES:
            wait_en = f" It asks to wait {retry_after:.0f} seconds." if retry_after else ""
            wait_id = f" Server meminta menunggu {retry_after:.0f} detik." if retry_after else ""
            raise EngineFailed(
                f"The {self.what_en} at {self.host} is still busy (HTTP {status}) after waiting "
                f"{self.waited:.0f} seconds.{wait_en} Your work is kept; try this step again in a few "
                f"minutes.{said}",
                f"{self.what_id.capitalize()} di {self.host} masih sibuk (HTTP {status}) setelah menunggu "
                f"{self.waited:.0f} detik.{wait_id} Pekerjaan Anda tetap tersimpan; coba langkah ini lagi "
                f"beberapa menit lagi.{said_id}", details=msg)
        if status >= 500:
            raise EngineFailed(
                f"The {self.what_en} at {self.host} had an internal error (HTTP {status}). Your work is kept; "
                f"try again, and tell the trainer if it keeps happening.{said}",
                f"{self.what_id.capitalize()} di {self.host} mengalami galat internal (HTTP {status}). Pekerjaan "
                f"Anda tetap tersimpan; coba lagi, dan beri tahu pelatih bila terus terjadi.{said_id}",
                details=msg)
        raise EngineFailed(
            f"The {self.what_en} at {self.host} refused the request (HTTP {status}).{said} Check the model name "
            "and address in Settings → Server kelas.",
            f"{self.what_id.capitalize()} di {self.host} menolak permintaan (HTTP {status}).{said_id} Periksa "
            "nama model dan alamat di Pengaturan → Server kelas.", details=msg)
