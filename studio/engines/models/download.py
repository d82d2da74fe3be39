"""A resumable, verified HTTP downloader for model files, and the hub's file listing.

Only the model manager calls this, and only when the creator asked for a download:
nothing in an engine or a step ever downloads. It speaks the Hugging Face hub's
public layout, which mirrors (hf-mirror.com, a trainer's local server) copy:

* ``GET {base}/api/models/{repo}/revision/{rev}?blobs=true`` lists the files with
  their sizes, the SHA-256 of large (LFS) files and the git blob id of small ones;
* ``GET {base}/{repo}/resolve/{commit}/{path}`` serves a file, with ``Range``.

A file is written to ``name.part`` and renamed only once its size and checksum
match, so a final name never holds a partial or damaged file. An interrupted or
cancelled download keeps its ``.part``; the next run asks for the rest with
``Range: bytes=N-`` (and starts over if the server ignores it). Network failures
in the middle of a file are retried a few times, resuming each time.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studio import __version__
from studio.core.errors import DiskFullError, EngineFailed, EngineUnavailable
from studio.core.hashing import file_sha256
from studio.core.jobs import JobContext

log = logging.getLogger(__name__)

DEFAULT_HUB = "https://huggingface.co"
CHUNK = 1 << 20
RETRIES = 3
"""Attempts per file after a network failure (each one resumes where the last stopped)."""


@dataclass(frozen=True)
class RemoteFile:
    name: str
    size: int
    sha256: str = ""
    """SHA-256 the hub publishes for large (LFS) files."""
    git_sha1: str = ""
    """The git blob id the hub publishes for every file (checks small files)."""


@dataclass(frozen=True)
class RemoteListing:
    repo: str
    revision: str
    commit: str
    files: tuple[RemoteFile, ...]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


def _host(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.hostname or url


def _open(url: str, headers: dict[str, str], timeout: float):
    req = urllib.request.Request(url, headers={"User-Agent": f"StudioLokal/{__version__}", **headers})
    return urllib.request.urlopen(req, timeout=timeout)


def _unreachable(url: str, exc: BaseException) -> EngineUnavailable:
    host = _host(url)
    return EngineUnavailable(
        f"Cannot download from {host} ({exc.__class__.__name__}). Check the internet connection and try "
        "again (a stopped download continues where it stopped), or copy the model folder from another "
        "computer or a USB stick and choose it with 'studio models use'.",
        f"Tidak bisa mengunduh dari {host}. Periksa sambungan internet lalu coba lagi (unduhan yang terhenti "
        "dilanjutkan dari titik berhentinya), atau salin folder model dari komputer lain atau flashdisk lalu "
        "pilih foldernya.", details=repr(exc))


def _http_error(url: str, code: int) -> EngineUnavailable | EngineFailed:
    host = _host(url)
    if code in (401, 403):
        return EngineUnavailable(
            f"{host} refused the download (HTTP {code}): this model needs you to accept its licence on the "
            "website first, or a token. Download it in a browser and choose the folder instead.",
            f"{host} menolak unduhan (HTTP {code}): model ini meminta Anda menyetujui lisensinya di situs "
            "lebih dulu. Unduh lewat peramban lalu pilih foldernya.")
    if code == 404:
        return EngineUnavailable(
            f"{host} has no such model or file (HTTP 404): {url}. Check the model name or the mirror address.",
            f"{host} tidak punya model atau berkas itu (HTTP 404): {url}. Periksa nama model atau alamat "
            "mirror.")
    return EngineFailed(
        f"{host} answered HTTP {code} while downloading. Try again later.",
        f"{host} menjawab HTTP {code} saat mengunduh. Coba lagi nanti.")



def list_repo(base: str, repo: str, revision: str = "main", *, timeout: float = 30.0) -> RemoteListing:
    """The files of ``repo`` at ``revision`` with sizes and checksums (one small request)."""
    base = base.rstrip("/")
    url = f"{base}/api/models/{repo}/revision/{urllib.parse.quote(revision, safe='')}?blobs=true"
    try:
        with _open(url, {"Accept": "application/json"}, timeout) as r:
            data = json.loads(r.read(32 * 1024 * 1024).decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise _http_error(url, exc.code) from None
    except (urllib.error.URLError, OSError) as exc:
        raise _unreachable(url, exc) from None
    except ValueError as exc:
        raise EngineFailed(f"{_host(url)} did not answer with a file list for {repo}.",
                           f"{_host(url)} tidak menjawab dengan daftar berkas untuk {repo}.",
                           details=repr(exc)) from None
    files = []
    for item in data.get("siblings") or []:
        name = str(item.get("rfilename") or "")
        if not name or name.startswith("/") or ".." in Path(name).parts:
            continue  # never write outside the model folder
        lfs = item.get("lfs") or {}
        size = int(lfs.get("size") or item.get("size") or 0)
        files.append(RemoteFile(name, size, str(lfs.get("sha256") or ""), str(item.get("blobId") or "")))
    return RemoteListing(repo, revision, str(data.get("sha") or revision), tuple(files))


def file_url(base: str, repo: str, commit: str, name: str) -> str:
    return f"{base.rstrip('/')}/{repo}/resolve/{commit}/{urllib.parse.quote(name)}"


def git_blob_sha1(path: Path) -> str:
    """Git's id of a file's content (how the hub names small files)."""
    size = path.stat().st_size
    h = hashlib.sha1(f"blob {size}\0".encode("ascii"), usedforsecurity=False)
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def check_space(folder: Path, needed: int) -> None:
    """Raise DiskFullError before starting when ``needed`` bytes plus a margin do not fit."""
    folder.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder).free
    margin = 200 * 1024 * 1024
    if needed + margin > free:
        raise DiskFullError(
            f"The model needs {needed / 1e9:.1f} GB but only {free / 1e9:.1f} GB are free on the disk of "
            f"{folder}. Free some space, or copy the model to another disk and choose that folder.",
            f"Model ini perlu {needed / 1e9:.1f} GB, tetapi ruang kosong di disk {folder} hanya "
            f"{free / 1e9:.1f} GB. Kosongkan ruang, atau salin model ke disk lain lalu pilih folder itu.")


def _disk_full(dest: Path, exc: OSError) -> DiskFullError:
    return DiskFullError(
        f"The disk filled up while downloading {dest.name}. Free some space and run the download again; it "
        "continues where it stopped.",
        f"Disk penuh saat mengunduh {dest.name}. Kosongkan ruang lalu jalankan unduhan lagi; unduhan "
        "dilanjutkan dari titik berhentinya.", details=str(exc))


def _verify(part: Path, remote: RemoteFile, ctx: JobContext | None) -> str:
    """The part's sha256, after checking size, sha256 and git id against ``remote``."""
    size = part.stat().st_size
    if remote.size and size != remote.size:
        raise _corrupt(remote, f"{size} bytes instead of {remote.size}")
    digest = file_sha256(part, check=ctx.check if ctx is not None else None)
    if remote.sha256 and digest != remote.sha256.lower():
        raise _corrupt(remote, "the SHA-256 checksum does not match")
    if not remote.sha256 and len(remote.git_sha1) == 40 and git_blob_sha1(part) != remote.git_sha1.lower():
        raise _corrupt(remote, "the git checksum does not match")
    return digest


def _corrupt(remote: RemoteFile, why: str) -> EngineFailed:
    return EngineFailed(
        f"{remote.name} arrived damaged ({why}); the damaged copy was deleted. Run the download again.",
        f"{remote.name} terunduh dalam keadaan rusak ({why}); salinan yang rusak sudah dihapus. Jalankan "
        "unduhan lagi.")


def download_file(url: str, dest: Path, remote: RemoteFile, *, ctx: JobContext | None = None,
                  on_bytes: Callable[[int], None] | None = None, timeout: float = 30.0,
                  retries: int = RETRIES, wait: Callable[[float], None] = time.sleep) -> str:
    """Download ``url`` to ``dest`` (resuming ``dest.part``), verify it, rename; return its sha256.

    ``on_bytes(n)`` is called for every ``n`` new bytes (also for bytes found in a
    ``.part`` from an earlier run, once at the start) so the caller can draw one bar
    over many files. A cancel keeps the ``.part`` for the next run.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    if remote.size and have > remote.size:
        part.unlink()
        have = 0
    if have and on_bytes is not None:
        on_bytes(have)
    failures = 0
    while not (remote.size and have == remote.size):
        if ctx is not None:
            ctx.check()
        headers = {"Accept-Encoding": "identity"}
        if have:
            headers["Range"] = f"bytes={have}-"
        try:
            with _open(url, headers, timeout) as r:
                if have and r.status == 200:
                    # The server ignored Range: start over rather than append the whole file.
                    log.info("%s ignored Range; downloading %s from the start", _host(url), dest.name)
                    if on_bytes is not None:
                        on_bytes(-have)
                    have = 0
                    mode = "wb"
                elif r.status == 206:
                    start = _content_range_start(r.headers.get("Content-Range", ""))
                    if start != have:
                        raise EngineFailed(f"{_host(url)} sent the wrong part of {dest.name}.",
                                           f"{_host(url)} mengirim bagian yang salah dari {dest.name}.")
                    mode = "ab"
                else:
                    mode = "ab" if have else "wb"
                with open(part, mode) as out:
                    while True:
                        block = r.read(CHUNK)
                        if not block:
                            break
                        out.write(block)
                        have += len(block)
                        if on_bytes is not None:
                            on_bytes(len(block))
                        if ctx is not None and ctx.cancelled:
                            out.flush()
                            ctx.check()
                    out.flush()
                    os.fsync(out.fileno())
            if not remote.size:
                break  # unknown size: the server closing the body is the end
            if have < remote.size:
                raise ConnectionResetError(f"the server stopped after {have} of {remote.size} bytes")
        except urllib.error.HTTPError as exc:
            if exc.code == 416 and have:
                break  # nothing left to send: the part is complete (verified below)
            if exc.code in (429, 500, 502, 503, 504) and failures < retries:
                failures += 1
                wait(min(30.0, 2.0 ** (failures - 1)))
                continue
            raise _http_error(url, exc.code) from None
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise _disk_full(dest, exc) from None
            if isinstance(exc, (urllib.error.URLError, socket.timeout, ConnectionError)) and failures < retries:
                failures += 1
                log.info("download of %s interrupted (%s); resuming at %d bytes", dest.name, exc, have)
                wait(min(30.0, 2.0 ** (failures - 1)))
                continue
            raise _unreachable(url, exc) from None
    try:
        digest = _verify(part, remote, ctx)
    except EngineFailed:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    os.replace(part, dest)
    return digest


def _content_range_start(value: str) -> int:
    # "bytes 100-199/200"
    try:
        return int(value.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return -1
