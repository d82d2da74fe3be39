"""What a rule check returns: the Finding, its labels, and lists of findings (blocking, failed, merged, formatted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["block", "warn"]


STEP_LABELS_ID = {"brief": "Ide", "script": "Naskah", "images": "Gambar", "voice": "Suara",
                  "subtitles": "Subtitle", "music": "Musik", "export": "Ekspor"}


STEP_LABELS_EN = {"brief": "Idea", "script": "Script", "images": "Images", "voice": "Voice",
                  "subtitles": "Subtitles", "music": "Music", "export": "Export"}


RULE_LABELS: dict[str, tuple[str, str]] = {
    "subtitles.timing": ("Waktu subtitle", "Subtitle timing"),
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
    "images.placeholder": ("Tanpa ilustrasi sementara", "No placeholder pictures"),
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

    def detail(self, language: str = "id") -> str:
        """``measured · limit`` as a reader of ``language`` writes it (Indonesian words and a
        decimal comma: "85,4 dtk · ≥ 60 dtk", "23 baris, menyatu di video")."""
        measured, limit = str(self.measured), str(self.limit)
        if language == "id":
            if self.rule not in FREE_TEXT_RULES or measured == "empty":
                measured = detail_id(measured)
            limit = detail_id(limit)
        return f"{measured} · {limit}"

    def label(self, language: str = "id") -> str:
        """Short checklist label of the rule."""
        id_label, en_label = RULE_LABELS.get(self.rule, (self.rule, self.rule))
        return id_label if language == "id" else en_label

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["label_id"] = self.label("id")
        data["label_en"] = self.label("en")
        return data


FREE_TEXT_RULES = frozenset({"meta.title", "meta.disclosure"})
"""Rules whose measured value is the creator's own text (never translated)."""

_DETAIL_PHRASES_ID: tuple[tuple[str, str], ...] = (
    ("not burned in", "tidak menyatu di video"), ("burned in", "menyatu di video"),
    ("licence noted", "lisensi dicatat"), ("no overlap", "tidak bertumpuk"),
    ("creator name", "nama pembuat"), ("any of", "salah satu:"), ("all of", "semua:"),
    ("missing:", "kurang:"), ("empty:", "kosong:"),
    ("cues", "baris"), ("cue", "baris"), ("stale", "perlu dibuat ulang"), ("open", "belum diperiksa"),
    ("overlap", "bertumpuk"), ("short", "terlalu singkat"), ("title", "judul"), ("creator", "pembuat"),
    ("agency", "instansi"), ("region", "daerah"), ("theme", "tema"), ("none", "tidak ada"),
    ("empty", "kosong"), ("ok", "sesuai"), ("on", "nyala"), ("off", "mati"), ("yes", "ya"),
    ("no", "tidak"), ("silent", "senyap"), ("unknown", "tidak diketahui"), ("comment", "keterangan"),
    ("narration", "narasi"), ("subtitles", "subtitle"), ("script", "naskah"), ("images", "gambar"),
    ("voice", "suara"), ("music", "musik"), ("px", "piksel"),
)
_DETAIL_RE_ID = re.compile(r"(?<![\w:])(" + "|".join(re.escape(a) for a, _ in _DETAIL_PHRASES_ID) + r")(?![\w])")


def detail_id(text: str) -> str:
    """A finding's measured value or limit in Indonesian: decimal commas, "dtk" for seconds and
    the few English words the rules use ("cues", "burned in", "stale"…) in plain Indonesian."""
    words = dict(_DETAIL_PHRASES_ID)
    text = _DETAIL_RE_ID.sub(lambda m: words[m.group(1)], text)
    text = re.sub(r"(\d)\.(\d)", r"\1,\2", text)
    return re.sub(r"(\d) s\b", r"\1 dtk", text)


def make_finding(rule: str, severity: Severity, passed: bool, measured: str | float, limit: str,
             step: str, ok: tuple[str, str], bad: tuple[str, str]) -> Finding:
    id_text, en_text = ok if passed else bad
    return Finding(rule, severity, passed, measured, limit, step, id_text, en_text)


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
