"""Turn each distribution of the closure into a wheel file, with pip, and say where it came from.

This is the only part of the kit that may need the network: ``pip wheel --no-deps``
takes a wheel from the index or a ``--find-links`` folder (on the build machine torch's
CPU build is such a local file), builds one from an sdist, or builds the app itself
from its source folder. ``pip_args`` is passed through, so tests (and a trainer with a
mirror) point it at a local folder with ``--no-index --find-links DIR``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from studio.core.errors import DiskFullError, StudioError
from studio.core.hashing import file_sha256
from studio.core.jobs import JobContext
from studio.core.scrub import scrub_text
from studio.pipeline.kit.closure import Dist, canonical

_ORIGIN = re.compile(r"^\s*(?:Downloading|Processing|Using cached|Obtaining|File was already downloaded)\s+(\S+)")
_SAVED = re.compile(r"^\s*(?:Saved|File was already downloaded)\s+(\S+\.whl)\s*$")


def public_origin(text: str) -> str:
    """Where a wheel came from, without credentials: a private index's URL may carry
    ``user:token@``, and kit.json travels to every laptop in the room."""
    return scrub_text(re.sub(r"//[^/@\s]+@", "//", text))


@dataclass(frozen=True)
class Wheel:
    """One file of the wheelhouse."""

    name: str
    version: str
    file: str
    """The file name inside ``wheels/``."""
    size: int
    sha256: str
    origin: str
    """Where pip took it from (an index URL, a local file, a source folder), for the kit's record."""


def _run_pip(cmd: list[str], ctx: JobContext) -> tuple[int, str]:
    """Run pip, polling the cancel flag; the output comes back merged (pip logs to both streams)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            while proc.poll() is None:
                if ctx.cancelled:
                    proc.terminate()
                    proc.wait(timeout=30)
                    ctx.check()
                time.sleep(0.1)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        out.seek(0)
        return proc.returncode, out.read()


def fetch_wheel(dist: Dist, dest: Path, ctx: JobContext, *, pip_args: Sequence[str] = ()) -> Wheel:
    """The wheel of exactly ``dist.version`` in ``dest`` (``pip wheel --no-deps``).

    Raises:
        DiskFullError: The disk filled up.
        StudioError: pip found no such version, or the file it saved is another version.
    """
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename
    from packaging.version import Version

    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
           "--wheel-dir", str(dest), *pip_args]
    if dist.source is not None:
        # The app (or another local install) is built from the folder it runs from; its own
        # build backend is already installed here, so no network is needed for the build.
        cmd += ["--no-build-isolation", str(dist.source)]
    else:
        cmd.append(f"{dist.name}=={dist.version}")
    code, output = _run_pip(cmd, ctx)
    lines = output.splitlines()
    if code != 0:
        if "No space left on device" in output:
            raise DiskFullError(f"The disk filled up while saving the wheel of {dist.name}.",
                                f"Disk penuh saat menyimpan wheel {dist.name}.", details=output[-4000:])
        last = next((ln.strip() for ln in reversed(lines) if ln.strip().startswith("ERROR")), "pip failed")
        raise StudioError(f"pip could not fetch {dist.name} {dist.version}: {last.removeprefix('ERROR: ')}",
                          f"pip tidak bisa mengambil {dist.name} {dist.version}: {last.removeprefix('ERROR: ')}",
                          details=output[-4000:])
    saved = [m.group(1) for m in map(_SAVED.match, lines) if m]
    origins = [m.group(1) for m in map(_ORIGIN.match, lines) if m]
    path = None
    for text in saved:
        candidate = Path(text) if Path(text).is_absolute() else Path.cwd() / text
        try:
            name, version, _, _ = parse_wheel_filename(candidate.name)
        except InvalidWheelFilename:
            continue
        if canonical(name) == dist.name:
            path = candidate
            break
    if path is None:  # pip names the file relative to its own cwd; fall back to the folder
        matches = []
        for p in dest.glob("*.whl"):
            try:
                if canonical(parse_wheel_filename(p.name)[0]) == dist.name:
                    matches.append(p)
            except InvalidWheelFilename:
                continue
        if len(matches) != 1:
            raise StudioError(f"pip reported success but no single wheel of {dist.name} is in {dest}.",
                              f"pip berhasil, tetapi tidak ada satu wheel {dist.name} di {dest}.",
                              details=output[-4000:])
        path = matches[0]
    version = parse_wheel_filename(path.name)[1]
    if version != Version(dist.version):
        raise StudioError(f"pip saved {dist.name} {version} instead of the installed {dist.version}.",
                          f"pip menyimpan {dist.name} {version}, bukan versi terpasang {dist.version}.")
    origin = str(dist.source) if dist.source is not None else (origins[0] if origins else "pip cache")
    origin = public_origin(origin)
    return Wheel(dist.name, dist.version, path.name, path.stat().st_size, file_sha256(path, check=ctx.check),
                 origin)
