"""The final gate: rule checks on the facts probed from the exported file (``MediaFacts``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from studio.core.presets import Preset
from studio.core.rules.common import number_text, duration_findings, frame_findings
from studio.core.rules.findings import Finding, Severity, make_finding

SILENCE_DBTP = -60.0
"""An audio track whose true peak stays below this is treated as silent (inaudible on a phone)."""


@dataclass(frozen=True)
class MediaFacts:
    """What a video file really is, as probed from the file (``pipeline.media.probe``)."""

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
    header_duration: float | None = None
    """What the MP4's movie header states (None if absent); ``duration`` is measured from the streams."""
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
    if facts.header_duration is not None:
        out.append(_header_finding(facts.duration, facts.header_duration, fix_id, fix_en))

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
        (f"Ukuran {number_text(size_mb, 'id')} MB di bawah batas {v.max_size_mb:g} MB.",
         f"The size of {size_mb:.1f} MB is under the {v.max_size_mb:g} MB limit."),
        (f"Berkas terlalu besar: {number_text(size_mb, 'id')} MB, maksimal {v.max_size_mb:g} MB. Ekspor "
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
            (f"Kenyaringan {number_text(lufs, 'id')} LUFS sesuai target {loud.integrated:g} LUFS.",
             f"Loudness {lufs:.1f} LUFS meets the {loud.integrated:g} LUFS target."),
            (f"Audio terlalu {'keras' if louder else 'pelan'}: {number_text(lufs, 'id')} LUFS, target "
             f"{loud.integrated:g} ± {loud.tolerance:g} LUFS. Ekspor ulang dengan Studio Lokal "
             "(kenyaringan dinormalkan otomatis) atau atur volume di langkah Musik.",
             f"The audio is too {'loud' if louder else 'quiet'}: {lufs:.1f} LUFS, target "
             f"{loud.integrated:g} ± {loud.tolerance:g} LUFS. Export again with Studio Lokal "
             "(loudness is normalised) or adjust the levels in the Music step.")))
    out.append(make_finding(
        "loudness.true_peak", "warn", peak <= loud.true_peak_max + 0.05, f"{peak:.1f} dBTP",
        f"≤ {loud.true_peak_max:g} dBTP", "music",
        (f"Puncak sejati {number_text(peak, 'id')} dBTP tidak melewati {loud.true_peak_max:g} dBTP.",
         f"True peak {peak:.1f} dBTP stays under {loud.true_peak_max:g} dBTP."),
        (f"Puncak audio {number_text(peak, 'id')} dBTP melewati batas {loud.true_peak_max:g} dBTP, jadi "
         "bisa terdengar pecah. Ekspor ulang dengan Studio Lokal atau turunkan volume di "
         "langkah Musik.",
         f"The audio peaks at {peak:.1f} dBTP, above {loud.true_peak_max:g} dBTP, so it may "
         "distort. Export again with Studio Lokal or lower the levels in the Music step.")))
    return out


HEADER_TOLERANCE = 1.0
"""Seconds the movie header may differ from the streams (rounding, an audio tail)."""


def _header_finding(measured: float, header: float, fix_id: str, fix_en: str) -> Finding:
    """The header's stated length agrees with the streams: a player that trusts the header
    would otherwise show (and a jury would judge) a different length."""
    ok = abs(header - measured) <= max(HEADER_TOLERANCE, 0.02 * measured)
    hid, hen = number_text(header, "id"), number_text(header, "en")
    mid, men = number_text(measured, "id"), number_text(measured, "en")
    return make_finding(
        "duration.header", "block", ok, f"{header:.1f} s", f"{measured:.1f} s", "export",
        (f"Kepala berkas menyatakan durasi yang sama dengan isinya ({mid} detik).",
         f"The file's header states the same length as its streams ({men} s)."),
        (f"Kepala berkas MP4 menyatakan {hid} detik, padahal gambar dan suaranya hanya {mid} detik; "
         f"pemutar juri bisa menampilkan panjang yang salah. {fix_id}",
         f"The MP4 header states {hen} s while its picture and sound last {men} s; the jury's player "
         f"may show the wrong length. {fix_en}"))
