"""Contest entries for the jury tests: export bundles, zipped bundles, hostile zips.

Every file is real: bundles hold a real MP4 (``media_samples``), a report and a SHA256SUMS
listing computed here the way ``pipeline.export.bundle`` writes it; the zip bomb really
inflates to more than the safe extraction accepts.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

from media_samples import COMMENT


def make_bundle(folder: Path, video: Path, comment: str = COMMENT) -> Path:
    """An export bundle folder: entri.mp4, laporan-ai.json and their SHA256SUMS.txt."""
    folder.mkdir(parents=True)
    shutil.copy(video, folder / "entri.mp4")
    report = {"tools": [{"tool": "Whisper", "is_ai": True}, {"tool": "ffmpeg", "is_ai": False}],
              "disclosure": {"id": comment, "en": "Made with AI help."}}
    (folder / "laporan-ai.json").write_text(json.dumps(report), encoding="utf-8")
    sums = "".join(f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n"
                   for n in ("entri.mp4", "laporan-ai.json"))
    (folder / "SHA256SUMS.txt").write_text(sums, encoding="utf-8")
    return folder


def zip_folder(folder: Path, out: Path, *, as_folder: bool = True) -> Path:
    """Zip ``folder`` (its files under its own name, or at the zip's root)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                rel = p.relative_to(folder.parent if as_folder else folder).as_posix()
                zf.write(p, rel)
    return out


def zip_bomb(out: Path, megabytes: int = 200) -> Path:
    """A zip whose one entry of zeros inflates about 1000 times (200 MB from ~200 KB)."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf, \
            zf.open("paket/entri.mp4", "w", force_zip64=True) as dst:
        for _ in range(megabytes):
            dst.write(chunk)
    return out


def zip_slip(out: Path, video: Path) -> Path:
    """A zip of a bundle with one entry that climbs out of the folder (``../``)."""
    with zipfile.ZipFile(out, "w") as zf:
        zf.write(video, "paket/entri.mp4")
        zf.writestr("paket/SHA256SUMS.txt", "")
        zf.writestr("../../luar.txt", "escaped")
    return out


def ten_hour_header(src: Path, out: Path, hours: float = 10.0) -> Path:
    """A copy of ``src`` whose movie, track and media headers (mvhd, tkhd, mdhd) all claim
    ``hours`` hours, while its streams still last a few seconds: the header a player shows."""
    import struct

    data = bytearray(src.read_bytes())

    def ticks(scale: int) -> int:
        # Version-0 headers hold 32 bits: with a fine time scale the claim stops at ~2^32 ticks
        # (still hours for any scale below 1.19 MHz).
        return min(int(scale * hours * 3600), 0xFFFFFFFE)

    pos = data.find(b"moov")
    movie_scale = 1000
    for kind in (b"mvhd", b"tkhd", b"mdhd"):
        at = data.find(kind, pos)
        while at != -1:
            version = data[at + 4]
            assert version == 0, "the sample's headers are version 0"
            if kind == b"mvhd":
                movie_scale = struct.unpack(">I", data[at + 16:at + 20])[0]
                data[at + 20:at + 24] = struct.pack(">I", ticks(movie_scale))
            elif kind == b"tkhd":  # duration in the movie's time scale, after the track id
                data[at + 24:at + 28] = struct.pack(">I", ticks(movie_scale))
            else:
                scale = struct.unpack(">I", data[at + 16:at + 20])[0]
                data[at + 20:at + 24] = struct.pack(">I", ticks(scale))
            at = data.find(kind, at + 4)
    out.write_bytes(bytes(data))
    return out
