"""A real HTTP server on 127.0.0.1 that speaks the chat-completions protocol, for tests.

Each test scripts the answers it wants (status, headers, body, delay); the server
records every request (path, headers, JSON body) so tests can check what the
client sent. Use it as a context manager:

    with LlmServer() as srv:
        srv.reply(chat_answer('{"scenes": [...]}'))
        engine = OpenAIScriptEngine(srv.url, "test-model", ...)
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict[str, Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (a hanging server); cut short when the server closes."""
    events: list[str] | None = None
    """Server-sent events (the ``data:`` payloads) sent one by one as a chunked event stream."""
    event_delay: float = 0.0
    """Seconds between two events (a model writing slowly)."""


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def chat_answer(content: str, *, model: str = "server-model-q4", finish_reason: str = "stop",
                refusal: str | None = None) -> Reply:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if refusal is not None:
        message["refusal"] = refusal
    return Reply(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": model,
                       "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}]})


def sse_answer(content: str, *, pieces: int = 12, model: str = "server-model-q4",
               finish_reason: str = "stop", event_delay: float = 0.0, done: bool = True) -> Reply:
    """``content`` streamed as chat-completion chunks the way OpenAI, Ollama and llama.cpp send them."""
    step = max(1, -(-len(content) // pieces))
    chunks = [content[i:i + step] for i in range(0, len(content), step)]
    events = [json.dumps({"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": model,
                          "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                       "finish_reason": None}]})]
    for chunk in chunks:
        events.append(json.dumps({"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": model,
                                  "choices": [{"index": 0, "delta": {"content": chunk}, "finish_reason": None}]},
                                 ensure_ascii=False))
    events.append(json.dumps({"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": model,
                              "choices": [{"index": 0, "delta": {}, "finish_reason": finish_reason}]}))
    if done:
        events.append("[DONE]")
    return Reply(200, events=events, event_delay=event_delay)


def scenes_json(n: int = 6, *, facts: tuple[str, ...] = (), prefix: str = "Adegan") -> str:
    scenes = []
    for i in range(n):
        narration = f"{prefix} {i + 1} bercerita tentang tradisi yang dijaga warga dengan penuh rasa hormat."
        if i == 1 and facts:
            narration += " " + " ".join(facts)
        scenes.append({"narration": narration, "image_prompt": f"rice terraces at dawn, scene {i + 1}",
                       "on_screen_text": f"Bagian {i + 1}", "needs_review": []})
    return json.dumps({"scenes": scenes}, ensure_ascii=False)


class LlmServer:
    """Scripted OpenAI-compatible server; unscripted requests get HTTP 500."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.seen: list[Seen] = []
        self.models: list[str] = ["test-model", "other-model"]
        self.events_sent = 0
        self.disconnects = 0
        """Streams the client hung up on (a cancel closes the connection)."""
        self._closing = threading.Event()
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                with outer._lock:
                    outer.seen.append(Seen(self.command, self.path, dict(self.headers.items()), body))
                    if self.command == "GET" and self.path.endswith("/models") and not outer.replies:
                        reply = Reply(200, {"object": "list",
                                            "data": [{"id": m, "object": "model"} for m in outer.models]})
                    else:
                        reply = outer.replies.pop(0) if outer.replies else Reply(500, {"error": "unscripted"})
                if reply.delay:
                    outer._closing.wait(reply.delay)
                    if outer._closing.is_set():
                        return
                if reply.events is not None:
                    self._stream(reply)
                    return
                data = reply.body
                if isinstance(data, dict):
                    data = json.dumps(data, ensure_ascii=False)
                if isinstance(data, str):
                    data = data.encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _stream(self, reply: Reply) -> None:
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Cache-Control", "no-cache")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for i, event in enumerate(reply.events or []):
                        if i and reply.event_delay:
                            outer._closing.wait(reply.event_delay)
                        if outer._closing.is_set():
                            return
                        data = f"data: {event}\n\n".encode("utf-8")
                        self.wfile.write(f"{len(data):X}\r\n".encode("ascii") + data + b"\r\n")
                        self.wfile.flush()
                        with outer._lock:
                            outer.events_sent += 1
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    with outer._lock:
                        outer.disconnects += 1

            do_GET = _answer
            do_POST = _answer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def reply(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def posts(self) -> list[Seen]:
        return [s for s in self.seen if s.method == "POST"]

    def __enter__(self) -> "LlmServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def iter_json_lines(text: str) -> Iterator[dict[str, Any]]:
    for line in text.splitlines():
        if line.strip():
            yield json.loads(line)


FACT = "Di Klaten, weton dipakai untuk memilih hari panen."
"""The key fact every script-engine test asks for (and checks the answer keeps)."""


def script_request(**over: Any) -> Any:
    """The weton ``ScriptRequest`` the script-engine tests send; ``over`` replaces fields."""
    from studio.core.presets import find_theme
    from studio.engines.base import ScriptRequest

    base = dict(title="Weton: Hitungan Hari Orang Jawa", region="Kabupaten Klaten", theme="weton",
                key_facts=(FACT,), target_seconds=64.0, min_seconds=52.0, max_seconds=76.0,
                words_per_minute=140.0, theme_preset=find_theme("weton"))
    base.update(over)
    return ScriptRequest(**base)


def serve() -> Iterator[LlmServer]:
    """Body of the ``server`` fixture (tests/engines/conftest.py): one server per test."""
    with LlmServer() as srv:
        yield srv
