"""Competition rules as pure checks: (project | probed file facts, preset) -> findings.

This module owns the rule catalogue: which checks exist, how severe a failure is,
which creator step fixes it, and the sentence (Indonesian first, English too) that
says what is wrong and what to do. It does no I/O: the pipeline gathers the facts
(``pipeline.probe`` fills ``MediaFacts`` from the real file, ``pipeline.checks``
reads the AI log and the timeline) and calls in here.

Every check returns a ``Finding`` whether it passed or not, so the export page and
the AI-usage report can show a full checklist, not only the failures.

Severity, decided per rule (``block`` stops the export, ``warn`` only informs):
- block: anything that gets an entry rejected or makes it unplayable for the jury:
  duration outside the range, a codec/profile/pixel format phones and laptops do not
  decode, wrong aspect or too small a picture, frame rate out of range, no audio (or
  only silence) when audio is required, a file over the size limit, missing required
  elements (title card, AI disclosure, burned subtitles, theme), "AI must be used".
- warn: what a jury's player copes with: loudness off target (players do not
  normalise, but the entry still plays and is judged), true peak, sample rate other
  than 48 kHz, full-range colour flags, no faststart (plays after download), missing
  file metadata (the report carries the same facts), stale outputs the creator may
  keep on purpose, AI claims not yet verified.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Literal

from studio.core.presets import Preset
from studio.core.project import Project
from studio.core.timeline import Timeline

Severity = Literal["block", "warn"]

SILENCE_DBTP = -60.0
"""An audio track whose true peak stays below this is treated as silent (inaudible on a phone)."""
ASPECT_TOLERANCE = 0.01
"""Relative tolerance when matching a picture to an aspect ratio (1080x1920 vs 9:16 is exact;
encoders round odd sizes to even ones, e.g. 1080x1918)."""
DURATION_EPSILON = 0.001
"""Float noise allowed on duration limits; 59.9 s still fails a 60 s minimum."""

STEP_LABELS_ID = {"brief": "Ide", "script": "Naskah", "images": "Gambar", "voice": "Suara",
                  "subtitles": "Subtitle", "music": "Musik", "export": "Ekspor"}
STEP_LABELS_EN = {"brief": "Idea", "script": "Script", "images": "Images", "voice": "Voice",
                  "subtitles": "Subtitles", "music": "Music", "export": "Export"}

RULE_LABELS: dict[str, tuple[str, str]] = {
    "script.scenes": ("Naskah berisi adegan", "Script has scenes"),
    "duration.min": ("Durasi minimal", "Minimum duration"),
    "duration.max": ("Durasi maksimal", "Maximum duration"),
    "container.format": ("Berkas MP4", "MP4 file"),
    "video.codec": ("Kodek video", "Video codec"),
    "video.profile": ("Profil H.264", "H.264 profile"),
    "video.pix_fmt": ("Format piksel", "Pixel format"),
    "video.color_range": ("Rentang warna", "Colour range"),
    "video.aspect": ("Rasio layar", "Aspect ratio"),
    "video.min_height": ("Resolusi minimal", "Minimum resolution"),
    "video.fps": ("Laju bingkai (fps)", "Frame rate (fps)"),
    "audio.present": ("Ada trek audio", "Audio track present"),
    "audio.codec": ("Kodek audio", "Audio codec"),
    "audio.sample_rate": ("Laju sampel audio", "Audio sample rate"),
    "audio.silent": ("Audio tidak senyap", "Audio is not silent"),
    "loudness.integrated": ("Kenyaringan (LUFS)", "Loudness (LUFS)"),
    "loudness.true_peak": ("Puncak sejati (dBTP)", "True peak (dBTP)"),
    "file.faststart": ("Siap diputar daring (faststart)", "Web-ready (faststart)"),
    "file.size": ("Ukuran berkas", "File size"),
    "meta.title": ("Judul di metadata berkas", "Title in file metadata"),
    "meta.disclosure": ("Keterangan AI di metadata berkas", "AI note in file metadata"),
    "required.title_card": ("Kartu judul (pembuat & instansi)", "Title card (creator & agency)"),
    "required.ai_disclosure": ("Kartu penutup keterangan AI", "AI-disclosure end card"),
    "required.subtitles": ("Subtitle menyatu di video", "Burned-in subtitles"),
    "required.theme_metadata": ("Judul, daerah dan tema terisi", "Title, region and theme filled"),
    "brief.language": ("Bahasa video", "Video language"),
    "video.rotation": ("Orientasi video tersimpan", "Stored video orientation"),
    "ai.required": ("Memakai alat AI", "AI tools used"),
    "scenes.image": ("Setiap adegan punya gambar", "Every scene has an image"),
    "scenes.voice": ("Setiap adegan punya suara", "Every scene has a voice"),
    "stale.images": ("Gambar sesuai naskah terbaru", "Images match the latest script"),
    "stale.voice": ("Suara sesuai naskah terbaru", "Voice matches the latest script"),
    "stale.subtitles": ("Subtitle sesuai suara terbaru", "Subtitles match the latest voice"),
    "review.claims": ("Fakta dari AI sudah diperiksa", "AI claims checked"),
    "music.licence": ("Lisensi musik dicatat", "Music licence noted"),
}


@dataclass(frozen=True)
class Finding:
    """The outcome of one rule: passed or not, how bad, and what to do."""

    rule: str
    """Rule id such as ``duration.min`` (see ``RULE_LABELS``)."""
    severity: Severity
    passed: bool
    measured: str | float
    """What was found, human readable (units are international: "59.0 s", "1280×720")."""
    limit: str
    """What the preset asks for ("≥ 60 s", "9:16")."""
    step: str
    """The creator step that fixes it: brief, script, images, voice, subtitles, music, export."""
    message_id: str
    message_en: str

    @property
    def blocks(self) -> bool:
        """True if this finding stops the export."""
        return not self.passed and self.severity == "block"

    def text(self, language: str = "id") -> str:
        return self.message_id if language == "id" else self.message_en

    def label(self, language: str = "id") -> str:
        """Short checklist label of the rule."""
        id_label, en_label = RULE_LABELS.get(self.rule, (self.rule, self.rule))
        return id_label if language == "id" else en_label

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["label_id"] = self.label("id")
        data["label_en"] = self.label("en")
        return data


@dataclass(frozen=True)
class MediaFacts:
    """What a video file really is, as probed from the file (``pipeline.probe``)."""

    name: str
    size_bytes: int
    duration: float
    container: str
    """``mp4`` (ISO base media), ``mov`` (QuickTime brand) or the demuxer's name."""
    video_codec: str | None = None
    video_profile: str | None = None
    pix_fmt: str | None = None
    color_range: str | None = None
    """``tv`` (limited), ``pc`` (full) or ``unknown``."""
    width: int = 0
    height: int = 0
    display_aspect: float | None = None
    """Width/height as shown (sample aspect ratio applied)."""
    fps: float | None = None
    audio_codec: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    faststart: bool | None = None
    """moov atom before mdat; None when the file is not an MP4/MOV."""
    loudness_lufs: float | None = None
    """Integrated loudness of the decoded audio; -inf for silence; None if not measured."""
    true_peak_db: float | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    rotation: int = 0
    """Degrees the player turns the stored picture (phone recordings are often stored
    landscape with a rotation flag); ``width``/``height`` are already the size as shown."""

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["metadata"] = dict(self.metadata)
        for key in ("loudness_lufs", "true_peak_db"):
            value = data[key]
            if isinstance(value, float) and not math.isfinite(value):
                data[key] = None if math.isnan(value) else ("-inf" if value < 0 else "inf")
        return data


# ------------------------------------------------------------------ helpers


def _num(value: float, language: str, digits: int = 1) -> str:
    """A number as a reader of ``language`` writes it (Indonesian uses a decimal comma)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language == "id" else text


def _secs(value: float) -> str:
    return f"{value:.1f} s"


def _limit_secs(value: float) -> str:
    return f"{value:g} s"


LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "id": ("bahasa Indonesia", "Indonesian"), "jv": ("bahasa Jawa", "Javanese"),
    "su": ("bahasa Sunda", "Sundanese"), "ms": ("bahasa Melayu", "Malay"),
    "ban": ("bahasa Bali", "Balinese"), "mad": ("bahasa Madura", "Madurese"),
    "min": ("bahasa Minang", "Minangkabau"), "bug": ("bahasa Bugis", "Buginese"),
    "en": ("bahasa Inggris", "English"),
}
"""Names of language codes a preset may ask for (unknown codes are shown as the code)."""


def language_code(tag: str) -> str:
    """``id-ID`` / ``ID`` / ``id_ID`` → ``id``: the primary language subtag, lower case."""
    return tag.strip().lower().replace("_", "-").split("-")[0]


def language_name(tag: str, language: str = "id") -> str:
    code = language_code(tag)
    names = LANGUAGE_NAMES.get(code)
    if names is None:
        return code or "?"
    return names[0] if language == "id" else names[1]


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


def make_finding(rule: str, severity: Severity, passed: bool, measured: str | float, limit: str,
             step: str, ok: tuple[str, str], bad: tuple[str, str]) -> Finding:
    id_text, en_text = ok if passed else bad
    return Finding(rule, severity, passed, measured, limit, step, id_text, en_text)


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
    sid, sen = _num(seconds, "id"), _num(seconds, "en")
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


# ------------------------------------------------------------------ project (live) checks


def check_project_facts(project: Project, preset: Preset, *, timeline: Timeline,
                        ai_steps: set[str]) -> list[Finding]:
    """Live checks while editing: what would make the export fail, found early.

    ``ai_steps`` are the steps in which an AI model produced current content
    (``core.ailog.steps_with_ai(current_records(...))``). The checks themselves live in
    ``core.rules_project`` (kept apart to keep each file readable).
    """
    from studio.core.rules_project import project_findings

    return project_findings(project, preset, timeline=timeline, ai_steps=ai_steps)


# ------------------------------------------------------------------ file (final gate) checks


_REEXPORT = ("Export again with this preset in Studio Lokal.",
             "Ekspor ulang dengan preset ini di Studio Lokal.")


def check_media_facts(facts: MediaFacts, preset: Preset) -> list[Finding]:
    """The final gate on the exported file as probed: never our own render numbers."""
    v = preset.video
    fix_en, fix_id = _REEXPORT
    out: list[Finding] = []
    same_container = facts.container == v.container
    out.append(make_finding(
        "container.format", "block", same_container, facts.container, v.container, "export",
        (f"Berkas berformat {v.container.upper()}.", f"The file is an {v.container.upper()}."),
        (f"Berkas ini berformat {facts.container}, bukan {v.container.upper()}. {fix_id}",
         f"This file is {facts.container}, not {v.container.upper()}. {fix_en}")))
    out += duration_findings(facts.duration, preset, estimated=False)

    codec = facts.video_codec or "none"
    out.append(make_finding(
        "video.codec", "block", codec == v.codec, codec, v.codec, "export",
        (f"Kodek video {codec}.", f"Video codec {codec}."),
        (f"Kodek video {codec} tidak diterima (harus {v.codec}); banyak pemutar juri tidak bisa "
         f"memutarnya. {fix_id}",
         f"The video codec {codec} is not accepted (it must be {v.codec}); many of the jury's "
         f"players cannot play it. {fix_en}")))
    if codec == v.codec and v.profiles and facts.video_profile:
        profile = facts.video_profile
        ok = profile in v.profiles
        out.append(make_finding(
            "video.profile", "block", ok, profile, ", ".join(v.profiles), "export",
            (f"Profil {profile} bisa diputar di ponsel dan laptop.",
             f"The {profile} profile plays on phones and laptops."),
            (f"Profil {profile} tidak bisa diputar di banyak ponsel dan laptop. {fix_id}",
             f"The {profile} profile does not play on many phones and laptops. {fix_en}")))
    pix = facts.pix_fmt or "unknown"
    out.append(make_finding(
        "video.pix_fmt", "block", pix == v.pix_fmt, pix, v.pix_fmt, "export",
        (f"Format piksel {pix}.", f"Pixel format {pix}."),
        (f"Format piksel {pix} tidak diterima (harus {v.pix_fmt}); warnanya bisa salah atau "
         f"videonya tidak terputar. {fix_id}",
         f"The pixel format {pix} is not accepted (it must be {v.pix_fmt}); colours may be wrong "
         f"or it may not play. {fix_en}")))
    rng = facts.color_range or "unknown"
    out.append(make_finding(
        "video.color_range", "warn", rng in ("tv", "unknown"), rng, "tv", "export",
        ("Rentang warna standar (tv).", "Standard (tv) colour range."),
        (f"Rentang warna penuh ({rng}); di sebagian pemutar warna gelap dan terang bisa tampak "
         f"pudar atau terpotong. {fix_id}",
         f"Full colour range ({rng}); some players show washed-out or clipped darks and lights. "
         f"{fix_en}")))
    out += frame_findings(facts.width, facts.height, facts.fps, preset,
                           display_aspect=facts.display_aspect, from_file=True)
    turned = facts.rotation % 360
    how_id, how_en = ("terbalik", "upside down") if turned == 180 else ("miring", "sideways")
    out.append(make_finding(
        "video.rotation", "warn", turned == 0, f"{turned}°", "0°", "export",
        ("Gambar video tersimpan tegak, tanpa perlu diputar pemutar.",
         "The picture is stored upright; players need not turn it."),
        (f"Gambar video tersimpan {how_id} dan baru tegak bila pemutar memutarnya {turned}°; "
         f"sebagian pemutar mengabaikan tanda itu sehingga video tampil {how_id}. {fix_id}",
         f"The picture is stored {how_en} and only shows upright when the player turns it "
         f"{turned}°; some players ignore that flag and show it {how_en}. {fix_en}")))
    out += _audio_findings(facts, preset)
    if v.faststart and facts.faststart is not None:
        out.append(make_finding(
            "file.faststart", "warn", facts.faststart, "yes" if facts.faststart else "no", "yes",
            "export",
            ("Berkas bisa mulai diputar sebelum selesai diunduh (faststart).",
             "The file starts playing before it is fully downloaded (faststart)."),
            ("Berkas baru bisa diputar setelah terunduh penuh (tanpa faststart); di situs "
             f"lomba videonya lambat mulai. {fix_id}",
             "The file only plays once fully downloaded (no faststart); on the competition site "
             f"it starts slowly. {fix_en}")))
    size_mb = facts.size_bytes / 1e6
    out.append(make_finding(
        "file.size", "block", size_mb <= v.max_size_mb, f"{size_mb:.1f} MB", f"≤ {v.max_size_mb:g} MB",
        "export",
        (f"Ukuran {_num(size_mb, 'id')} MB di bawah batas {v.max_size_mb:g} MB.",
         f"The size of {size_mb:.1f} MB is under the {v.max_size_mb:g} MB limit."),
        (f"Berkas terlalu besar: {_num(size_mb, 'id')} MB, maksimal {v.max_size_mb:g} MB. Ekspor "
         "ulang dengan kualitas (CRF) lebih rendah.",
         f"The file is too big: {size_mb:.1f} MB, the maximum is {v.max_size_mb:g} MB. Export "
         "again at a lower quality (CRF).")))
    meta = {k.lower(): str(val) for k, val in facts.metadata.items()}
    if preset.required.theme_metadata:
        title = meta.get("title", "").strip()
        out.append(make_finding(
            "meta.title", "warn", bool(title), title or "empty", "title", "export",
            (f"Metadata berkas memuat judul “{title}”.",
             f"The file metadata holds the title “{title}”."),
            ("Metadata berkas tidak memuat judul. Ekspor dengan Studio Lokal agar judul, "
             "pembuat dan tema tertulis di berkas.",
             "The file metadata has no title. Export with Studio Lokal so the title, creator "
             "and theme are written into the file.")))
    if preset.required.ai_disclosure:
        note = (meta.get("comment") or meta.get("description") or "").strip()
        out.append(make_finding(
            "meta.disclosure", "warn", bool(note), note[:60] or "empty", "comment", "export",
            ("Metadata berkas memuat keterangan pemakaian AI.",
             "The file metadata holds the AI-use note."),
            ("Metadata berkas tidak memuat keterangan pemakaian AI. Ekspor dengan Studio Lokal "
             "agar keterangan itu tertulis di berkas.",
             "The file metadata has no AI-use note. Export with Studio Lokal so the note is "
             "written into the file.")))
    return out


def _audio_findings(facts: MediaFacts, preset: Preset) -> list[Finding]:
    v, loud = preset.video, preset.loudness
    fix_en, fix_id = _REEXPORT
    if not facts.has_audio:
        if not v.audio_required:
            return []
        return [Finding("audio.present", "block", False, "none", v.audio_codec, "export",
                        "Video tidak punya trek audio, padahal lomba ini mewajibkan suara. Pastikan "
                        "ada narasi atau musik, lalu ekspor ulang.",
                        "The video has no audio track, but this competition requires sound. Make "
                        "sure there is narration or music, then export again.")]
    out = [Finding("audio.present", "block", True, facts.audio_codec or "", v.audio_codec, "export",
                   "Video punya trek audio.", "The video has an audio track.")]
    codec = facts.audio_codec or "unknown"
    out.append(make_finding(
        "audio.codec", "block", codec == v.audio_codec, codec, v.audio_codec, "export",
        (f"Kodek audio {codec}.", f"Audio codec {codec}."),
        (f"Kodek audio {codec} tidak diterima (harus {v.audio_codec}). {fix_id}",
         f"The audio codec {codec} is not accepted (it must be {v.audio_codec}). {fix_en}")))
    rate = facts.sample_rate or 0
    out.append(make_finding(
        "audio.sample_rate", "warn", rate == v.sample_rate, f"{rate} Hz", f"{v.sample_rate} Hz",
        "export",
        (f"Laju sampel {rate} Hz.", f"Sample rate {rate} Hz."),
        (f"Laju sampel audio {rate} Hz, yang dianjurkan {v.sample_rate} Hz. {fix_id}",
         f"The audio sample rate is {rate} Hz; {v.sample_rate} Hz is recommended. {fix_en}")))
    peak = facts.true_peak_db
    if peak is None:
        return out
    silent = not math.isfinite(peak) or peak < SILENCE_DBTP
    severity: Severity = "block" if v.audio_required else "warn"
    out.append(make_finding(
        "audio.silent", severity, not silent, "silent" if silent else f"{peak:.1f} dBTP",
        f"> {SILENCE_DBTP:g} dBTP", "voice",
        ("Audio berisi suara.", "The audio has sound."),
        ("Trek audio hanya berisi keheningan. Periksa suara narasi dan musik, lalu ekspor ulang.",
         "The audio track is only silence. Check the narration and music, then export again.")))
    if silent:
        return out
    lufs = facts.loudness_lufs
    if lufs is not None and math.isfinite(lufs):
        lo, hi = loud.integrated - loud.tolerance, loud.integrated + loud.tolerance
        ok = lo - 0.05 <= lufs <= hi + 0.05
        louder = lufs > hi
        out.append(make_finding(
            "loudness.integrated", "warn", ok, f"{lufs:.1f} LUFS",
            f"{loud.integrated:g} ± {loud.tolerance:g} LUFS", "music",
            (f"Kenyaringan {_num(lufs, 'id')} LUFS sesuai target {loud.integrated:g} LUFS.",
             f"Loudness {lufs:.1f} LUFS meets the {loud.integrated:g} LUFS target."),
            (f"Audio terlalu {'keras' if louder else 'pelan'}: {_num(lufs, 'id')} LUFS, target "
             f"{loud.integrated:g} ± {loud.tolerance:g} LUFS. Ekspor ulang dengan Studio Lokal "
             "(kenyaringan dinormalkan otomatis) atau atur volume di langkah Musik.",
             f"The audio is too {'loud' if louder else 'quiet'}: {lufs:.1f} LUFS, target "
             f"{loud.integrated:g} ± {loud.tolerance:g} LUFS. Export again with Studio Lokal "
             "(loudness is normalised) or adjust the levels in the Music step.")))
    out.append(make_finding(
        "loudness.true_peak", "warn", peak <= loud.true_peak_max + 0.05, f"{peak:.1f} dBTP",
        f"≤ {loud.true_peak_max:g} dBTP", "music",
        (f"Puncak sejati {_num(peak, 'id')} dBTP tidak melewati {loud.true_peak_max:g} dBTP.",
         f"True peak {peak:.1f} dBTP stays under {loud.true_peak_max:g} dBTP."),
        (f"Puncak audio {_num(peak, 'id')} dBTP melewati batas {loud.true_peak_max:g} dBTP, jadi "
         "bisa terdengar pecah. Ekspor ulang dengan Studio Lokal atau turunkan volume di "
         "langkah Musik.",
         f"The audio peaks at {peak:.1f} dBTP, above {loud.true_peak_max:g} dBTP, so it may "
         "distort. Export again with Studio Lokal or lower the levels in the Music step.")))
    return out


# ------------------------------------------------------------------ lists


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that stop the export."""
    return [f for f in findings if f.blocks]


def failed(findings: Iterable[Finding]) -> list[Finding]:
    """Every finding that did not pass (blocking and warnings)."""
    return [f for f in findings if not f.passed]


def merge_findings(project_findings: Iterable[Finding], file_findings: Iterable[Finding]) -> list[Finding]:
    """Final findings: the file's verdict replaces the project's estimate for the same rule."""
    file_list = list(file_findings)
    covered = {f.rule for f in file_list}
    return [f for f in project_findings if f.rule not in covered] + file_list


def format_findings(findings: Iterable[Finding], language: str = "id", *,
                    only_failed: bool = False) -> str:
    """Plain-text checklist, blockers first, then warnings, then what passed."""
    items = list(findings)
    order = sorted(items, key=lambda f: (f.passed, f.severity != "block"))
    lines = []
    tags = ({"block": "BLOKIR", "warn": "PERINGATAN", "ok": "OK"} if language == "id"
            else {"block": "BLOCK", "warn": "WARNING", "ok": "OK"})
    for f in order:
        if only_failed and f.passed:
            continue
        if f.passed:
            mark, tag = "✓", tags["ok"]
        elif f.severity == "block":
            mark, tag = "✗", tags["block"]
        else:
            mark, tag = "!", tags["warn"]
        lines.append(f"{mark} {tag:<10} {f.label(language)}: {f.text(language)}")
    if not lines:
        return "Semua pemeriksaan lolos." if language == "id" else "All checks passed."
    return "\n".join(lines)
