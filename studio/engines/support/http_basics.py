"""The plain pieces under ``server_http.ServerClient``: one answer, waiting, cancelling, headers.

Standard library only. ``server_http`` re-exports these names for the engines.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studio.core.errors import StudioError
from studio.core.jobs import Cancelled, JobContext

MAX_BODY = 64 * 1024 * 1024
"""Refuse answers larger than this (a misconfigured URL can stream a web page forever)."""
BUSY_STATUSES = frozenset({429, 502, 503, 504})
"""Statuses a busy or restarting server answers with: worth waiting and asking again."""

KEYLIKE = re.compile(r"\b(?:sk|pk|rk|key|api[-_]?key|gsk|hf)[-_][A-Za-z0-9*._-]{6,}", re.IGNORECASE)
"""Things that look like API keys (``sk-...``, ``sk-proj-...``, masked ``sk-ab***cd``)."""

Wait = Callable[[float, "JobContext | None"], None]


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    answer: Any = None
    """What a streaming reader assembled (chat's server-sent events), else None."""

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not."""
        return json.loads(self.body.decode("utf-8"))


def wait(seconds: float, ctx: JobContext | None) -> None:
    """Sleep, waking early (with Cancelled) if the job is cancelled."""
    end = time.monotonic() + max(0.0, seconds)
    while True:
        if ctx is not None:
            ctx.check()
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(0.1, left))


def retry_after(value: str | None) -> float | None:
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


def server_message(body: bytes) -> str:
    """The error text a server put in its body (OpenAI, Ollama, FastAPI and llama.cpp shapes)."""
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


def is_private_host(host: str) -> bool:
    if host in ("localhost", "") or host.endswith(".local"):
        return True
    try:
        addr = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return addr.is_private or addr.is_loopback or addr.is_link_local


class Transient(Exception):
    """A network failure worth one more try; carries the error to raise if it persists."""

    def __init__(self, error: StudioError) -> None:
        super().__init__(str(error))
        self.error = error


def abort(response: Any) -> None:
    """Close a streaming response's socket so a blocked read returns at once (best effort)."""
    if response is None:
        return
    try:
        sock = response.fp.raw._sock  # urllib keeps the socket inside a SocketIO
        sock.shutdown(socket.SHUT_RDWR)
    except (AttributeError, OSError):
        pass


def run_cancellable(call: Callable[[], Any], ctx: JobContext | None, *,
                    tick: Callable[[], None] | None = None,
                    on_cancel: Callable[[], None] | None = None) -> Any:
    """Run a blocking HTTP call on a helper thread so a cancel need not wait for the server.

    ``tick`` runs on this thread about ten times a second (progress of a stream);
    ``on_cancel`` runs once when the job is cancelled, before ``Cancelled`` is raised.
    An answer that lands after the cancel is discarded.
    """
    if ctx is None:
        return call()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="server-http", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
        if tick is not None:
            tick()
        if ctx.cancelled:
            if on_cancel is not None:
                on_cancel()
            # The helper thread ends on its own when the socket times out; nothing it
            # returns is used.
            raise Cancelled(ctx.step)
    if tick is not None:
        tick()
    if ctx.cancelled:
        raise Cancelled(ctx.step)  # the answer came, but after the cancel: not used
    if "error" in box:
        raise box["error"]
    return box["value"]
