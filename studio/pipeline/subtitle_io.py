"""Subtitle files: SRT and WebVTT, written from and read into ``core.project.Cue`` lists.

SRT goes through the ``srt`` package; WebVTT is small enough to write and read here
(header, NOTE/STYLE/REGION blocks, cue settings and inline tags are understood on
reading). Files are UTF-8 without a BOM; reading accepts a BOM and falls back to
Windows-1252 for files saved by old editors. ``write_*`` replace the file atomically
(``storage.atomic_write_text``), so a reader never sees half a subtitle file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from studio.core.errors import MediaError
from studio.core.project import Cue
from studio.core.storage import atomic_write_text


def _td(seconds: float) -> timedelta:
    return timedelta(milliseconds=round(max(0.0, float(seconds)) * 1000))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read(path: Path) -> str:
    try:
        return _decode(Path(path).read_bytes())
    except OSError as exc:
        raise MediaError(f"The subtitle file {Path(path).name} cannot be opened ({exc.strerror}).",
                         f"Berkas subtitle {Path(path).name} tidak bisa dibuka ({exc.strerror}).",
                         details=str(exc)) from exc


def _bad(name: str, why: str) -> MediaError:
    return MediaError(
        f"{name} is not a valid subtitle file ({why}). Open it in a subtitle editor, fix it, "
        "and import it again.",
        f"{name} bukan berkas subtitle yang sah ({why}). Buka di penyunting subtitle, "
        "perbaiki, lalu impor lagi.")


def _cue(start: float, end: float, text: str, name: str) -> Cue:
    if end < start:
        raise _bad(name, f"a cue at {start:.3f} s ends before it starts")
    return Cue(start=round(start, 3), end=round(end, 3), text=text.strip("\n"))


# ---------------------------------------------------------------- SRT


def srt_text(cues: Iterable[Cue]) -> str:
    """The SRT text of ``cues`` (numbered from 1, in time order)."""
    import srt

    subs = [srt.Subtitle(index=i, start=_td(c.start), end=_td(c.end), content=c.text)
            for i, c in enumerate(sorted(cues, key=lambda c: (c.start, c.end)), 1)]
    return srt.compose(subs, reindex=True)


def write_srt(cues: Iterable[Cue], path: Path) -> None:
    """Write ``cues`` as UTF-8 SRT to ``path`` (atomically: old file or new, never half)."""
    atomic_write_text(Path(path), srt_text(cues))


def parse_srt(text: str, name: str = "subtitles.srt") -> list[Cue]:
    """Cues from SRT text. Raises MediaError naming what is wrong."""
    import srt

    try:
        subs = list(srt.parse(text.replace("\r\n", "\n")))
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.expected_start) + 1
        raise _bad(name, f"unexpected text near line {line}") from exc
    return [_cue(s.start.total_seconds(), s.end.total_seconds(), s.content, name) for s in subs]


def read_srt(path: Path) -> list[Cue]:
    return parse_srt(_read(path), Path(path).name)


# ---------------------------------------------------------------- WebVTT


def _vtt_time(seconds: float) -> str:
    ms = int(round(max(0.0, float(seconds)) * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def vtt_text(cues: Iterable[Cue]) -> str:
    """The WebVTT text of ``cues`` (text escaped: ``&``, ``<``, ``>``)."""
    parts = ["WEBVTT", ""]
    for c in sorted(cues, key=lambda c: (c.start, c.end)):
        body = "\n".join(html.escape(line, quote=False) for line in c.text.split("\n") if line.strip())
        parts += [f"{_vtt_time(c.start)} --> {_vtt_time(c.end)}", body, ""]
    return "\n".join(parts)


def write_vtt(cues: Iterable[Cue], path: Path) -> None:
    """Write ``cues`` as UTF-8 WebVTT to ``path`` (atomically)."""
    atomic_write_text(Path(path), vtt_text(cues))


_VTT_TS = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)[.,](\d{1,3})$")
_VTT_TAG = re.compile(r"<[^>]*>")


def _parse_vtt_time(value: str, name: str) -> float:
    m = _VTT_TS.match(value.strip())
    if not m:
        raise _bad(name, f"'{value.strip()}' is not a time")
    h, mnt, s, frac = m.groups()
    return int(h or 0) * 3600 + int(mnt) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000


def parse_vtt(text: str, name: str = "subtitles.vtt") -> list[Cue]:
    """Cues from WebVTT text (inline tags such as ``<b>`` or ``<c.x>`` are dropped)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("WEBVTT"):
        raise _bad(name, "it does not start with WEBVTT")
    cues: list[Cue] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [ln for ln in block.split("\n")]
        while lines and not lines[0].strip():
            lines.pop(0)
        if not lines:
            continue
        head = lines[0].strip()
        if head.startswith(("WEBVTT", "NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        timing_at = next((i for i, ln in enumerate(lines[:2]) if "-->" in ln), None)
        if timing_at is None:
            raise _bad(name, f"the block '{head[:40]}' has no timing line")
        left, _, right = lines[timing_at].partition("-->")
        start = _parse_vtt_time(left, name)
        end = _parse_vtt_time(right.strip().split()[0] if right.strip() else "", name)
        body = [html.unescape(_VTT_TAG.sub("", ln)).strip() for ln in lines[timing_at + 1:]]
        cues.append(_cue(start, end, "\n".join(b for b in body if b), name))
    return cues


def read_vtt(path: Path) -> list[Cue]:
    return parse_vtt(_read(path), Path(path).name)


def read_subtitles(path: Path) -> list[Cue]:
    """SRT or WebVTT by extension (content sniffed when the extension is unknown)."""
    path = Path(path)
    text = _read(path)
    if path.suffix.lower() == ".vtt" or text.lstrip("\ufeff").startswith("WEBVTT"):
        return parse_vtt(text, path.name)
    return parse_srt(text, path.name)


def write_subtitles(cues: Iterable[Cue], path: Path) -> None:
    """SRT or WebVTT by the extension of ``path`` (``.vtt`` → WebVTT, else SRT)."""
    path = Path(path)
    name = path.name[:-5] if path.name.endswith(".part") else path.name
    if name.lower().endswith(".vtt"):
        write_vtt(cues, path)
    else:
        write_srt(cues, path)
