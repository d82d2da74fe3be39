"""What the "Server kelas" engines (images, speech, transcription) share.

Each is built from the one room setting (``settings.llm.base_url`` and key, the
model ids in ``settings.server``), runs a cheap ``preflight()`` (no network) and
offers ``probe()`` for Settings: ``GET /v1/models`` plus a tiny real request, so
the capability table shows which steps this server can do. Nothing falls back:
a server that cannot do a step says so in a sentence.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from studio.core.errors import Problem, StudioError
from studio.core.jobs import JobContext
from studio.core.settings import Settings
from studio.engines.base import EngineBase, EngineInfo, Provenance
from studio.engines.support.http_basics import Response
from studio.engines.support.server_http import ServerClient


def multipart(fields: Sequence[tuple[str, str]], files: Sequence[tuple[str, str, bytes, str]]
              ) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body and its content type.

    ``fields`` are (name, value); ``files`` are (name, filename, data, content type).
    """
    boundary = "studio-" + uuid.uuid4().hex
    out: list[bytes] = []
    for name, value in fields:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.append(str(value).encode("utf-8") + b"\r\n")
    for name, filename, data, ctype in files:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f"Content-Type: {ctype}\r\n\r\n".encode())
        out.append(data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def server_model(resp: Response, data: Any, requested: str) -> tuple[str, str]:
    """The model id the server says it used, and where that came from.

    Chat answers carry ``model``; images, speech and transcription answers often do
    not, so a ``model`` field in the JSON, then an ``openai-model`` or ``x-model``
    header, then the requested id (checked against ``GET /models`` by the preflight).
    """
    if isinstance(data, dict) and data.get("model"):
        return str(data["model"]), "response"
    for name in ("openai-model", "x-model", "x-model-id"):
        if resp.headers.get(name):
            return str(resp.headers[name]), "header"
    return requested, "requested"


@dataclass(frozen=True)
class ProbeResult:
    """One row of the Settings capability table."""

    capability: str
    ok: bool
    model: str = ""
    """The server's own model id (from the probe's answer where it names one)."""
    seconds: float = 0.0
    problem: Problem | None = None


class ServerEngine(EngineBase):
    """Base for one capability of the room's OpenAI-compatible server."""

    info: ClassVar[EngineInfo]
    capability: ClassVar[str]
    """``image``, ``speech`` or ``transcribe`` (the key in ``ServerSettings.url_for``)."""
    model_setting: ClassVar[str]
    what_en: ClassVar[str]
    what_id: ClassVar[str]

    def __init__(self, base_url: str, model: str, *, settings: Settings | None = None,
                 timeout: float = 300.0, max_wait: float = 180.0, max_retries: int = 8) -> None:
        self.model = model.strip()
        self._settings = settings or Settings()
        self.client = ServerClient(base_url, self._settings, timeout=timeout, max_wait=max_wait,
                                   max_retries=max_retries, what_en=self.what_en, what_id=self.what_id)

    @classmethod
    def from_settings(cls, settings: Settings) -> Any:
        server = settings.server
        return cls(server.url_for(cls.capability, settings.llm.base_url), getattr(server, cls.model_setting),
                   settings=settings, timeout=server.timeout, max_wait=server.max_wait)

    @property
    def base_url(self) -> str:
        return self.client.base_url

    def preflight(self) -> list[Problem]:
        """An address, a model id and a key where one is needed (no network)."""
        problems = self.client.url_problems()
        if not self.model:
            problems.append(Problem(
                f"No model is chosen for the {self.what_en}. Pick one of the server's models in "
                "Settings → Server kelas.",
                f"Model untuk {self.what_id} belum dipilih. Pilih salah satu model server di "
                "Pengaturan → Server kelas."))
        return problems + self.client.key_problems()

    def load(self, ctx: JobContext | None = None) -> None:
        """Nothing to load on this laptop: the model lives on the server."""

    def unload(self) -> None:
        """Nothing to free on this laptop."""

    def _probe_call(self, ctx: JobContext) -> str:
        """A tiny real request; returns the server's model id. Subclasses implement it."""
        raise NotImplementedError

    def probe(self, timeout: float = 60.0) -> ProbeResult:
        """``GET /models`` (is the model there?) then one tiny request of this capability."""
        t0 = time.perf_counter()
        problems = self.preflight()
        if problems:
            return ProbeResult(self.capability, False, problem=problems[0])
        try:
            ids = self.client.model_ids(timeout=min(timeout, 10.0))
            if ids and self.model not in ids:
                listed = ", ".join(ids[:8]) + (" …" if len(ids) > 8 else "")
                return ProbeResult(self.capability, False, seconds=time.perf_counter() - t0, problem=Problem(
                    f"The server at {self.client.host} has no model '{self.model}'. Models there: {listed}.",
                    f"Server di {self.client.host} tidak punya model '{self.model}'. Model yang ada: {listed}."))
            saved = self.client.timeout
            self.client.timeout = timeout
            try:
                model = self._probe_call(JobContext(f"probe-{self.capability}"))
            finally:
                self.client.timeout = saved
        except StudioError as exc:
            return ProbeResult(self.capability, False, seconds=time.perf_counter() - t0,
                               problem=Problem(exc.message, exc.message_id))
        return ProbeResult(self.capability, True, model=model, seconds=time.perf_counter() - t0)

    def provenance(self, resp: Response, data: Any, *, prompt: str, started: float,
                   params: dict[str, Any], seed: int | None = None) -> Provenance:
        """The AI-log record of one call: the server's own model id, the host, the waiting."""
        said, source = server_model(resp, data, self.model)
        model = self.model if said == self.model else f"{self.model} / {said}"
        return Provenance(
            engine=self.info.key, tool=self.info.name, is_ai=True, model=model,
            licence=self.info.licence, prompt=prompt, seed=seed, seconds=time.perf_counter() - started,
            params={**params, "server": self.client.host, "server_model": said, "server_model_source": source,
                    "waited_s": round(self.client.waited, 1), "retries": self.client.retries},
            note=f"Dibuat oleh server kelas {self.client.host} (model {said}).")
