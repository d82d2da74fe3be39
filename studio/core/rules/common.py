"""Helpers shared by the project and file checks: numbers and language names in sentences, and the
duration and frame checks both gates apply.
"""

from __future__ import annotations

from collections.abc import Iterable

from studio.core.presets import Preset
from studio.core.rules.findings import (
    STEP_LABELS_EN,
    STEP_LABELS_ID,
    Finding,
    make_finding,
)

ASPECT_TOLERANCE = 0.01
"""Relative tolerance when matching a picture to an aspect ratio (1080x1920 vs 9:16 is exact;
encoders round odd sizes to even ones, e.g. 1080x1918)."""


DURATION_EPSILON = 0.001
"""Float noise allowed on duration limits; 59.9 s still fails a 60 s minimum."""


def number_text(value: float, language: str, digits: int = 1) -> str:
    """A number as a reader of ``language`` writes it (Indonesian uses a decimal comma)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language == "id" else text


def _secs(value: float) -> str:
    return f"{value:.1f} s"


def _limit_secs(value: float) -> str:
    return f"{value:g} s"


def join_words(items: Iterable[str], language: str = "id", *, conj: str = "and") -> str:
    """``a, b and c`` in ``language``; ``conj`` is ``and`` or ``or``."""
    words = [str(i) for i in items]
    if language == "id":
        conj = "dan" if conj == "and" else "atau"
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conj} " + words[-1]


def steps_text_id(steps: Iterable[str], conj: str = "or") -> str:
    return join_words([STEP_LABELS_ID.get(s, s) for s in steps], "id", conj=conj)


def steps_text_en(steps: Iterable[str], conj: str = "or") -> str:
    return join_words([STEP_LABELS_EN.get(s, s) for s in steps], "en", conj=conj)


def _aspect_value(text: str) -> float | None:
    try:
        w, h = text.split(":")
        return float(w) / float(h)
    except (ValueError, ZeroDivisionError):
        return None


def _matching_aspect(ratio: float, aspects: Iterable[str]) -> str | None:
    for aspect in aspects:
        value = _aspect_value(aspect)
        if value and abs(ratio - value) / value <= ASPECT_TOLERANCE:
            return aspect
    return None


def duration_findings(seconds: float, preset: Preset, *, estimated: bool) -> list[Finding]:
    d = preset.duration
    lo, hi = d.min, d.max
    what_id = "Perkiraan durasi" if estimated else "Durasi"
    what_en = "The estimated duration" if estimated else "The duration"
    sid, sen = number_text(seconds, "id"), number_text(seconds, "en")
    measured = ("≈ " if estimated else "") + _secs(seconds)
    short = seconds < lo - DURATION_EPSILON
    long = seconds > hi + DURATION_EPSILON
    return [
        make_finding("duration.min", "block", not short, measured, f"≥ {_limit_secs(lo)}", "script",
                 (f"{what_id} {sid} detik memenuhi batas minimal {lo:g} detik.",
                  f"{what_en} of {sen} s meets the {lo:g} s minimum."),
                 (f"Video terlalu pendek: {what_id.lower()} {sid} detik, padahal minimal {lo:g} "
                  f"detik. Tambah narasi atau adegan di langkah Naskah.",
                  f"The video is too short: {what_en.lower()} is {sen} s but the minimum is "
                  f"{lo:g} s. Add narration or a scene in the Script step.")),
        make_finding("duration.max", "block", not long, measured, f"≤ {_limit_secs(hi)}", "script",
                 (f"{what_id} {sid} detik tidak melebihi batas maksimal {hi:g} detik.",
                  f"{what_en} of {sen} s is within the {hi:g} s maximum."),
                 (f"Video terlalu panjang: {what_id.lower()} {sid} detik, padahal maksimal {hi:g} "
                  f"detik. Persingkat narasi atau hapus adegan di langkah Naskah.",
                  f"The video is too long: {what_en.lower()} is {sen} s but the maximum is "
                  f"{hi:g} s. Shorten the narration or remove a scene in the Script step.")),
    ]


def frame_findings(width: int, height: int, fps: float | None, preset: Preset, *,
                    display_aspect: float | None = None, from_file: bool) -> list[Finding]:
    """Aspect, minimum size and frame rate, for render settings or a probed file."""
    v = preset.video
    fix_id = ("Ekspor ulang dengan preset ini di Studio Lokal." if from_file
              else "Ubah pengaturan video (ukuran, fps) di langkah Ekspor.")
    fix_en = ("Export again with this preset in Studio Lokal." if from_file
              else "Change the video settings (size, fps) in the Export step.")
    size = f"{width}×{height}"
    ratio = display_aspect or (width / height if height else 0.0)
    match = _matching_aspect(ratio, v.aspects) if ratio else None
    allowed = ", ".join(v.aspects)
    out = [make_finding(
        "video.aspect", "block", match is not None, size, allowed, "export",
        (f"Ukuran {size} sesuai rasio {match}.", f"The size {size} matches the {match} aspect."),
        (f"Rasio layar {size} tidak diterima; yang diterima: {allowed}. {fix_id}",
         f"The {size} aspect ratio is not accepted; accepted: {allowed}. {fix_en}"))]
    short_side = min(width, height)
    out.append(make_finding(
        "video.min_height", "block", short_side >= v.min_height, size, f"≥ {v.min_height} px",
        "export",
        (f"Sisi pendek {short_side} piksel memenuhi minimal {v.min_height} piksel.",
         f"The shorter side of {short_side} px meets the {v.min_height} px minimum."),
        (f"Resolusi terlalu kecil: sisi pendek {short_side} piksel, minimal {v.min_height} piksel. "
         f"{fix_id}",
         f"The resolution is too small: the shorter side is {short_side} px, the minimum is "
         f"{v.min_height} px. {fix_en}")))
    limit = f"{v.fps_min:g}–{v.fps_max:g} fps"
    if fps is None or fps <= 0:
        out.append(make_finding("video.fps", "block", False, "?", limit, "export", ("", ""),
                            (f"Laju bingkai video tidak bisa dibaca. {fix_id}",
                             f"The video frame rate cannot be read. {fix_en}")))
    else:
        ok = v.fps_min - 0.01 <= fps <= v.fps_max + 0.01
        en = f"{fps:.0f}" if abs(fps - round(fps)) < 0.005 else f"{fps:.2f}"
        idn = en.replace(".", ",")
        out.append(make_finding(
            "video.fps", "block", ok, f"{en} fps", limit, "export",
            (f"Laju {idn} fps sesuai batas {limit}.", f"{en} fps is within {limit}."),
            (f"Laju bingkai {idn} fps di luar batas {limit}. {fix_id}",
             f"The frame rate {en} fps is outside {limit}. {fix_en}")))
    return out
