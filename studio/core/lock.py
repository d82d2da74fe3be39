"""One writer per project folder: a lock file naming who holds it.

Two processes that load project.json, work, and save it each lose the other's save
(the last writer wins). So every command that changes a project, and the window
while a project is open, holds ``.studio.lock`` in the project folder. The file holds
the pid, host and command of the holder; a second process reads it and says who
holds the project (and waits for it when asked to). A lock left by a process that
died (same host, pid gone) is stale and is taken over.

The lock is re-entrant within one process (the window reopening its own project,
a command calling another command), counted per folder.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from studio.core.errors import ProjectError

LOCK_FILE = ".studio.lock"
POLL_SECONDS = 0.2

_held: dict[str, int] = {}
_guard = threading.Lock()


class ProjectLocked(ProjectError):
    """Another process holds the project's lock; ``holder`` says who."""

    def __init__(self, message: str, message_id: str, *, holder: "Holder") -> None:
        super().__init__(message, message_id)
        self.holder = holder


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as written in the lock file."""

    pid: int
    host: str
    command: str
    since: str

    def describe(self) -> str:
        return f"process {self.pid} on {self.host} ({self.command or 'unknown command'}, since {self.since})"

    def describe_id(self) -> str:
        return f"proses {self.pid} di {self.host} ({self.command or 'perintah tidak dikenal'}, sejak {self.since})"


def _key(root: Path) -> str:
    return str(Path(root).resolve())


def read_holder(root: Path) -> Holder | None:
    """The holder named in ``root``'s lock file, or None if there is no (readable) lock."""
    try:
        data = json.loads((Path(root) / LOCK_FILE).read_text(encoding="utf-8"))
        return Holder(pid=int(data["pid"]), host=str(data.get("host", "")),
                      command=str(data.get("command", ""))[:200], since=str(data.get("since", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # A torn or foreign lock file: treat as held by nobody we can name (pid 0, dead).
        return Holder(pid=0, host=socket.gethostname(), command="", since="")


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    return True


def is_stale(holder: Holder) -> bool:
    """True when the holder is a process on this host that no longer runs."""
    return holder.host == socket.gethostname() and not _alive(holder.pid)


def _try_create(path: Path, command: str) -> bool:
    body = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "command": command[:200],
                       "since": time.strftime("%Y-%m-%d %H:%M:%S")}, ensure_ascii=False)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
        f.flush()
        os.fsync(f.fileno())
    return True


def acquire(root: Path, command: str = "", *, wait: float = 0.0) -> bool:
    """Take ``root``'s lock, waiting up to ``wait`` seconds; raises ProjectLocked if held.

    Returns False when the folder cannot hold a lock file (read-only media: nothing can be
    saved there anyway, so nothing can be lost), True when the lock is held.
    """
    root = Path(root)
    key = _key(root)
    with _guard:
        if _held.get(key):
            _held[key] += 1
            return True
    path = root / LOCK_FILE
    command = command or " ".join(["studio", *sys.argv[1:]])
    deadline = time.monotonic() + max(0.0, wait)
    while True:
        try:
            if _try_create(path, command):
                break
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                return False
            raise ProjectError(f"Cannot take the lock of {root}: {exc.strerror or exc}.",
                               f"Tidak bisa mengunci {root}: {exc.strerror or exc}.") from exc
        holder = read_holder(root)
        if holder is None:
            continue  # released between our two looks
        if holder.pid == os.getpid() and holder.host == socket.gethostname():
            break  # ours (left by this process), take it back
        if is_stale(holder):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            continue
        if time.monotonic() >= deadline:
            raise ProjectLocked(
                f"The project {root} is in use by {holder.describe()}. Wait for it to finish "
                f"(or close it there) and try again; nothing was changed. If that computer crashed, "
                f"delete {LOCK_FILE} in the project folder.",
                f"Proyek {root} sedang dipakai oleh {holder.describe_id()}. Tunggu sampai selesai "
                f"(atau tutup di sana) lalu coba lagi; tidak ada yang diubah. Jika komputer itu mati "
                f"mendadak, hapus {LOCK_FILE} di folder proyek.", holder=holder)
        time.sleep(POLL_SECONDS)
    with _guard:
        _held[key] = _held.get(key, 0) + 1
    return True


def release(root: Path) -> None:
    """Give back one hold of ``root``'s lock; the file goes when the last hold does."""
    key = _key(root)
    with _guard:
        count = _held.get(key, 0)
        if count <= 0:
            return
        if count > 1:
            _held[key] = count - 1
            return
        _held.pop(key, None)
    holder = read_holder(root)
    if holder is not None and holder.pid == os.getpid():
        with contextlib.suppress(OSError):
            (Path(root) / LOCK_FILE).unlink()


@contextlib.contextmanager
def project_lock(root: Path, command: str = "", *, wait: float = 0.0) -> Iterator[None]:
    """Hold ``root``'s lock for the block (see ``acquire``)."""
    held = acquire(root, command, wait=wait)
    try:
        yield
    finally:
        if held:
            release(root)
