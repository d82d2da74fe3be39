"""Subtitle files: SRT and WebVTT, written from and read into ``core.project.Cue`` lists.

SRT is read and written through the ``srt`` package and WebVTT is read through
``webvtt-py`` (both maintained parsers; NOTE/STYLE/REGION blocks, cue settings and inline
tags are understood on reading); WebVTT is written here (escaping ``& < >``).
Files are UTF-8 without a BOM; reading accepts a BOM and falls back to
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


_MARKUP = re.compile(r"</?(?:b|i|u|s|font|c|v|lang|ruby|rt)(?:[\s.][^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)
"""Styling tags (``<b>``, ``<font color=…>``, ASS ``{\\an8}``): the video draws plain text in its own style."""


def strip_markup(text: str) -> str:
    """``text`` without SRT/VTT/ASS styling tags (they would be burned in as literal text)."""
    return _MARKUP.sub("", text)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")  # Windows Notepad's "Unicode": its byte-order mark says which
    if len(data) >= 4 and data[1:4:2] == b"\0\0" and data[0] and data[2]:
        return data.decode("utf-16-le", errors="replace")  # UTF-16 without a mark
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


MAX_SUBTITLE_BYTES = 16 * 1024**2
"""Larger subtitle files are refused unread (a 90 s video's SRT is a few KB)."""


def _read(path: Path) -> str:
    try:
        size = Path(path).stat().st_size
        if size > MAX_SUBTITLE_BYTES:
            name = Path(path).name
            raise MediaError(
                f"{name} is {size / 1024**2:.0f} MB, far larger than any subtitle file; choose the "
                ".srt or .vtt file itself.",
                f"{name} berukuran {size / 1024**2:.0f} MB, jauh lebih besar dari berkas subtitle mana "
                "pun; pilih berkas .srt atau .vtt-nya.")
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
    return Cue(start=round(start, 3), end=round(end, 3), text=strip_markup(text).strip("\n"))


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
    """Cues from WebVTT text, read by the maintained ``webvtt-py`` parser.

    Inline tags (``<b>``, ``<v Name>``, ``<c.x>``) are dropped and entities unescaped.
    webvtt-py skips blocks it cannot read; here that is an error naming the line, so a
    damaged file is never imported with cues silently missing.
    """
    import webvtt
    from webvtt.errors import MalformedFileError

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("WEBVTT"):
        raise _bad(name, "it does not start with WEBVTT")
    try:
        captions = list(webvtt.from_string(text))
    except MalformedFileError as exc:
        raise _bad(name, str(exc) or "the file is malformed") from exc
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if not lines or lines[0].strip().startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            continue
        if not any("-->" in ln for ln in lines[:2]):
            raise _bad(name, f"the block '{lines[0].strip()[:40]}' has no timing line")
    timing_lines = [i for i, ln in enumerate(text.split("\n"), 1) if "-->" in ln]
    if len(captions) != len(timing_lines):
        starts = {_vtt_time(_parse_vtt_time(c.start, name)) for c in captions}
        lines = text.split("\n")
        bad_line = next((i for i in timing_lines if _timing_key(lines[i - 1]) not in starts),
                        timing_lines[-1] if timing_lines else 1)
        raise _bad(name, f"the timing near line {bad_line} cannot be read")
    cues: list[Cue] = []
    for c in captions:
        start = _parse_vtt_time(c.start, name)
        end = _parse_vtt_time(c.end, name)
        body = [html.unescape(_VTT_TAG.sub("", ln)).strip() for ln in c.raw_text.split("\n")]
        cues.append(_cue(start, end, "\n".join(b for b in body if b), name))
    return cues


def _timing_key(line: str) -> str:
    """The normalised start time of a timing line (for naming a line webvtt-py skipped)."""
    left = line.partition("-->")[0].strip()
    m = _VTT_TS.match(left)
    if not m:
        return ""
    h, mnt, sec, frac = m.groups()
    return _vtt_time(int(h or 0) * 3600 + int(mnt) * 60 + int(sec) + int(frac.ljust(3, "0")) / 1000)


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
