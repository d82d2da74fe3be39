"""A real HTTP server on 127.0.0.1 laid out like the Hugging Face hub, for download tests.

It serves ``/api/models/{repo}/revision/{rev}?blobs=true`` (the file list with sizes,
SHA-256 of large files and git ids) and ``/{repo}/resolve/{commit}/{path}`` with
``Range`` support, so the model manager's real downloader runs against it. Tests can
make it misbehave the ways real networks do:

* ``drop_after``: close the connection after sending this many bytes of a file (once);
* ``ignore_range``: answer 200 with the whole file even when asked for a range;
* ``corrupt``: serve these files with one byte changed (the list keeps the true checksum);
* ``delay``: seconds to wait between 64 kB blocks (a slow line, to cancel in the middle).

Every request is recorded (path and Range header) in ``seen``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

COMMIT = "0123456789abcdef0123456789abcdef01234567"
LFS_MIN = 1024
"""Files at least this big are listed as LFS files (with their SHA-256), like the hub's large files."""


def git_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass
class Seen:
    path: str
    range: str | None


@dataclass
class HubServer:
    repos: dict[str, dict[str, bytes]]
    drop_after: dict[str, int] = field(default_factory=dict)
    ignore_range: bool = False
    corrupt: set[str] = field(default_factory=set)
    delay: float = 0.0
    seen: list[Seen] = field(default_factory=list)
    sent_bytes: int = 0

    def __post_init__(self) -> None:
        outer = self
        self._closing = threading.Event()
        self._lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                with outer._lock:
                    outer.seen.append(Seen(parts.path, self.headers.get("Range")))
                path = unquote(parts.path)
                if path.startswith("/api/models/"):
                    self._listing(path[len("/api/models/"):])
                elif "/resolve/" in path:
                    repo, _, rest = path.lstrip("/").partition("/resolve/")
                    _commit, _, name = rest.partition("/")
                    self._file(repo, name)
                else:
                    self._send(404, b'{"error": "not found"}')

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _listing(self, rest: str) -> None:
                repo, _, _rev = rest.partition("/revision/")
                files = outer.repos.get(repo)
                if files is None:
                    self._send(404, b'{"error": "Repository not found"}')
                    return
                siblings = []
                for name, data in sorted(files.items()):
                    item: dict[str, Any] = {"rfilename": name, "size": len(data), "blobId": git_sha1(data)}
                    if len(data) >= LFS_MIN:
                        item["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                                       "pointerSize": 134}
                    siblings.append(item)
                body = json.dumps({"id": repo, "sha": COMMIT, "siblings": siblings}).encode()
                self._send(200, body, {"Content-Type": "application/json"})

            def _file(self, repo: str, name: str) -> None:
                data = outer.repos.get(repo, {}).get(name)
                if data is None:
                    self._send(404, b"Entry not found")
                    return
                if name in outer.corrupt:
                    data = bytes([data[0] ^ 0xFF]) + data[1:]
                start = 0
                wanted = self.headers.get("Range")
                if wanted and not outer.ignore_range:
                    start = int(wanted.split("=")[1].split("-")[0])
                    if start >= len(data):
                        self._send(416, b"", {"Content-Range": f"bytes */{len(data)}"})
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()}"')
                self.end_headers()
                drop = None
                with outer._lock:
                    if name in outer.drop_after:
                        drop = outer.drop_after.pop(name)  # only the first time
                sent = 0
                try:
                    for i in range(0, len(body), 65536):
                        block = body[i:i + 65536]
                        if drop is not None and sent + len(block) > drop:
                            self.wfile.write(block[:max(0, drop - sent)])
                            self.wfile.flush()
                            with outer._lock:
                                outer.sent_bytes += max(0, drop - sent)
                            self.close_connection = True
                            return
                        self.wfile.write(block)
                        sent += len(block)
                        with outer._lock:
                            outer.sent_bytes += len(block)
                        if outer.delay:
                            self.wfile.flush()
                            if outer._closing.wait(outer.delay):
                                return
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def file_requests(self, name: str) -> list[Seen]:
        return [s for s in self.seen if s.path.endswith("/" + name) and "/resolve/" in s.path]

    def __enter__(self) -> HubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
