"""The export bundle: the checked MP4 plus everything a jury asks for, in one folder.

``export/<slug-of-title>-<date>/`` holds the video, its SRT, a copy of the AI log,
the AI-usage report (``laporan-ai.json`` + ``laporan-ai.html`` + ``laporan-ai.pdf``),
a thumbnail, a README in Indonesian and ``SHA256SUMS.txt``. With a signing key the
MP4 in the bundle carries Content Credentials (``pipeline.export.sign``): it is signed,
read back, probed and checked again, and the report records the manifest. The folder is written under a hidden
temporary name and renamed only when complete, so a cancelled or failed export
leaves nothing under a bundle name. The renderer is not called here: the caller
renders (passing ``metadata_for(...)`` to it), checks the file, and hands over the
MP4 path with the final findings.

No secrets: the AI log never holds credentials by design; as a second line of
defence every text file written here has the values of credential-like environment
variables (``*KEY*``, ``*TOKEN*``...) replaced before it is written.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageOps

from studio.core import ailog, storage
from studio.core.errors import DiskFullError, MediaError, ProjectError
from studio.core.hashing import file_sha256
from studio.core.jobs import JobContext
from studio.core.paths import slugify
from studio.core.presets import get_preset
from studio.core.project import ExportRecord, Project
from studio.core.rules.findings import Finding
from studio.core.rules.media import MediaFacts, check_media_facts
from studio.core.scrub import REDACTED, secret_values
from studio.core.status import render_inputs_hash
from studio.core.timeline import build_timeline
from studio.pipeline.media.probe import probe_media
from studio.pipeline.report.build import (
    build_report,
    dedupe_findings,
    render_html,
    report_json,
    scene_thumbnail_bytes,
    scene_thumbnails,
)
from studio.pipeline.subtitles.bilingual import cues_in, subtitle_files
from studio.pipeline.subtitles.files import write_srt

if TYPE_CHECKING:
    from studio.pipeline.export.sign import SigningKey

log = logging.getLogger(__name__)

REPORT_JSON = "laporan-ai.json"
REPORT_HTML = "laporan-ai.html"
REPORT_PDF = "laporan-ai.pdf"
PDF_PICTURE_PX = 420
"""Long side of the scene pictures in the PDF (about 300 dpi at the printed size)."""
THUMBNAIL = "thumbnail.jpg"
README = "README.txt"
CHECKSUMS = "SHA256SUMS.txt"
THUMB_LONG_SIDE = 1280
_COPY_CHUNK = 8 << 20


@dataclass(frozen=True)
class ExportResult:
    """What the export wrote; ``record`` is for the caller to set as ``project.last_export``."""

    folder: Path
    video: Path
    srt: Path | None
    report_json: Path
    report_html: Path
    thumbnail: Path
    files: tuple[Path, ...]
    passed: bool
    """No blocking finding (the caller may export anyway with ``force``; this says so)."""
    findings: tuple[Finding, ...]
    record: ExportRecord
    report_pdf: Path | None = None
    credentials: dict[str, Any] | None = None
    """What was read back from the signed MP4 (``c2pa_sign.sign_export``), or None if unsigned."""


# ------------------------------------------------------------------ metadata


def metadata_for(project: Project, records: Iterable[ailog.AiRecord]) -> dict[str, str]:
    """MP4 metadata tags for the renderer: title, creator, the AI disclosure, theme.

    ``records`` may be the whole log; only records still describing the content count.
    Keys are ffmpeg's (``-metadata key=value``); empty values are left out.
    """
    b = project.brief
    current = ailog.current_records(records, [s.id for s in project.scenes])
    keywords = [k for k in (b.theme.strip(), b.region.strip(), "kearifan lokal") if k]
    description = " — ".join(x for x in (b.title.strip(), b.region.strip()) if x)
    if b.theme.strip():
        description += f" (tema: {b.theme.strip()})"
    if b.agency.strip():
        description += f". {b.agency.strip()}"
    tags = {
        "title": b.title.strip(),
        "artist": b.creator.strip(),
        "album_artist": b.agency.strip(),
        # The same language choice as the end card (render.Renderer.disclosure), so the
        # card and the file's comment always carry the same sentence.
        "comment": ailog.disclosure_text(current, "en" if b.language.lower().startswith("en") else "id"),
        "description": description.strip(),
        "genre": b.theme.strip(),
        "keywords": ", ".join(keywords),
        "date": str(date.today().year),
    }
    return {k: v for k, v in tags.items() if v}


# ------------------------------------------------------------------ small helpers


def _secret_values() -> list[str]:
    """Values of environment variables whose names look like credentials (and the keyring key)."""
    return secret_values()


def _redact(text: str, secrets: Sequence[str]) -> str:
    for value in secrets:
        if value in text:
            log.warning("a credential-like value was removed from the export bundle")
            text = text.replace(value, REDACTED)
    return text


def _redacted_report(report: dict[str, Any], secrets: Sequence[str]) -> dict[str, Any]:
    """The report with credential-like values replaced, so JSON, HTML and PDF agree."""
    if not secrets:
        return report
    import json

    text = json.dumps(report, ensure_ascii=False, default=str)
    clean = _redact(text, [json.dumps(v, ensure_ascii=False)[1:-1] for v in secrets])
    return report if clean == text else json.loads(clean)


def _file_entry(path: Path) -> dict[str, object]:
    return {"name": path.name, "bytes": path.stat().st_size, "sha256": file_sha256(path)}


def _copy(src: Path, dst: Path, ctx: JobContext) -> None:
    """Copy in chunks with cancel checks; the target appears only when complete."""
    with storage.atomic_output(dst) as part, open(src, "rb") as fin, open(part, "wb") as fout:
        while True:
            ctx.check()
            block = fin.read(_COPY_CHUNK)
            if not block:
                break
            fout.write(block)


def _unique_folder(out_dir: Path, name: str) -> Path:
    candidate = out_dir / name
    n = 2
    while candidate.exists():
        candidate = out_dir / f"{name}-{n}"
        n += 1
    return candidate


# ------------------------------------------------------------------ thumbnail


def _frame_from_video(video: Path, at: float) -> Image.Image | None:
    import av

    try:
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            if at > 0 and stream.time_base:
                container.seek(int(at / stream.time_base), stream=stream)
            for frame in container.decode(stream):
                if frame.time is None or frame.time >= at - 0.05:
                    return frame.to_image()
    except (av.error.FFmpegError, OSError, IndexError) as exc:
        log.info("no thumbnail frame from %s: %s", video.name, exc)
    return None


def make_thumbnail(project: Project, root: Path, video: Path, out_path: Path) -> None:
    """A JPEG with the video's shape: the first scene's picture (or a frame of the video)
    under the same title text the title card shows."""
    from studio.pipeline.render import cards as render_cards

    r = project.render
    scale = THUMB_LONG_SIDE / max(r.width, r.height, 1)
    size = (max(2, round(r.width * scale)), max(2, round(r.height * scale)))
    base: Image.Image | None = None
    first = project.scenes[0] if project.scenes else None
    if first is not None and first.image is not None:
        try:
            with Image.open(storage.resolve_in(root, first.image.path)) as img:
                base = img.convert("RGB")
        except (OSError, ValueError, storage.UnsafePathError, Image.DecompressionBombError) as exc:
            log.info("first scene image unusable for the thumbnail: %s", exc)
    if base is None:
        scenes = build_timeline(project).scenes()
        at = (scenes[0].start + scenes[0].end) / 2 if scenes else 1.0
        base = _frame_from_video(video, at)
    if base is None:
        base = render_cards.gradient_backdrop(size)
    frame = render_cards.darken_for_text(ImageOps.fit(base, size, Image.Resampling.LANCZOS))
    b = project.brief
    layer = render_cards.title_layer(size, b.title, b.region, b.creator, b.agency)
    if layer is not None:
        layer.paste_on(frame)
    with storage.atomic_output(out_path) as part:
        frame.save(part, "JPEG", quality=88, optimize=True)


# ------------------------------------------------------------------ README


def _readme(title: str, slug: str, has_srt: bool, final: Sequence[Finding],
            credentials: dict[str, Any] | None = None) -> str:
    video_text = "Video final (H.264, AAC). Inilah berkas yang dikirim ke lomba."
    if credentials:
        video_text += (" Ditandatangani dengan Content Credentials (C2PA) oleh "
                       f"{credentials['signer']}.")
    rows = [(f"{slug}.mp4", video_text)]
    if has_srt:
        rows.append((f"{slug}.srt", "Subtitle (teks dan waktunya) untuk diunggah terpisah."))
    rows += [
        (REPORT_PDF, "Laporan penggunaan AI siap cetak; isi dan tanda tangani pernyataan di "
                     "halaman terakhir."),
        (REPORT_HTML, "Laporan yang sama untuk dibuka di peramban."),
        (REPORT_JSON, "Laporan yang sama dalam format data (skema studio.ai-report/1)."),
        (ailog.LOG_FILE, "Catatan lengkap setiap pemakaian AI dan setiap perubahan oleh kreator."),
        (THUMBNAIL, "Gambar sampul (thumbnail) video."),
        (CHECKSUMS, "Sidik jari SHA-256 semua berkas, bukti bahwa berkas tidak berubah."),
        (README, "Berkas ini."),
    ]
    width = max(len(name) for name, _ in rows) + 2
    lines = [f"Paket ekspor Studio Lokal — {title or '(tanpa judul)'}", "", "Isi folder ini:"]
    lines += [f"  {name.ljust(width)}{text}" for name, text in rows]
    lines.append("")
    blockers = [f for f in final if f.blocks]
    warnings = [f for f in final if not f.passed and not f.blocks]
    if not blockers:
        lines.append("Hasil pemeriksaan: semua aturan wajib lomba terpenuhi (diukur dari berkas video).")
    else:
        lines.append("PERHATIAN: ada aturan wajib yang belum terpenuhi; video ini bisa ditolak:")
        lines += [f"  - {f.message_id}" for f in blockers]
    if warnings:
        lines.append("Peringatan (tidak menghalangi pengiriman, tetapi sebaiknya diperbaiki):")
        lines += [f"  - {f.message_id}" for f in warnings]
    lines += ["", "Rincian pemeriksaan ada di laporan-ai.pdf dan laporan-ai.html, bagian \"Pemeriksaan "
              "aturan lomba\".", ""]
    return "\n".join(lines)


# ------------------------------------------------------------------ the bundle


@contextmanager
def staged_folder(final_dir: Path) -> Iterator[Path]:
    """A hidden ``.<name>.part`` folder beside ``final_dir``, renamed into place when the block ends.

    The bundle appears whole or not at all: a cancel, an error or a crash leaves no
    folder that looks finished. OS errors become a sentence (a full disk says so).
    """
    tmp = final_dir.with_name(f".{final_dir.name}.part")
    try:
        shutil.rmtree(tmp, ignore_errors=True)  # a leftover from a crash
        tmp.mkdir(parents=True)
        yield tmp
        os.replace(tmp, final_dir)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError(
                "The disk filled up while writing the export bundle; free some space and export "
                "again (the project and the rendered video are unchanged).",
                "Disk penuh saat menulis paket ekspor; kosongkan ruang lalu ekspor lagi (proyek "
                "dan video hasil render tidak berubah).", details=str(exc)) from exc
        raise ProjectError(f"The export bundle could not be written: {exc.strerror or exc}.",
                           f"Paket ekspor tidak bisa ditulis: {exc.strerror or exc}.",
                           details=str(exc)) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_text(path: Path, text: str, secrets: Sequence[str] = ()) -> Path:
    """Write ``text`` atomically, with any secret redacted; returns ``path``."""
    storage.atomic_write_text(path, _redact(text, secrets) if secrets else text)
    return path


def _write_subtitles(project: Project, stem: Path, secrets: Sequence[str]) -> list[Path]:
    """The subtitle files (a bilingual project writes both languages, the subtitle language first)."""
    if not any(c.text.strip() for c in project.subtitles.cues):
        return []
    paths = []
    for which, path in subtitle_files(project, stem):
        write_srt(cues_in(project.subtitles.cues, which), path)
        text = path.read_text(encoding="utf-8")
        if _redact(text, secrets) != text:
            _write_text(path, text, secrets)
        paths.append(path)
    return paths


def _write_ai_log(root: Path, folder: Path, secrets: Sequence[str]) -> Path:
    """The project's AI log, byte for byte unless a secret had to be redacted."""
    src, dst = root / ailog.LOG_FILE, folder / ailog.LOG_FILE
    raw = src.read_bytes() if src.exists() else b""
    text = raw.decode("utf-8", errors="replace")
    clean = _redact(text, secrets)
    storage.atomic_write_bytes(dst, raw if clean == text else clean.encode("utf-8"))
    return dst


def export_bundle(project: Project, root: Path, ctx: JobContext, *, video: Path,
                  findings: Sequence[Finding], out_dir: Path | None = None,
                  facts: MediaFacts | None = None, signing: SigningKey | None = None) -> ExportResult:
    """Write the export bundle for an already rendered and checked ``video``.

    ``findings`` are the final ones (project checks, then the file's as probed; a
    later finding for the same rule replaces an earlier one). ``facts`` are the
    probed media facts if the caller has them; otherwise the video is probed again
    (without loudness) for the report. ``signing`` adds Content Credentials to the
    bundle's MP4 (the rendered ``video`` itself is not changed). ``project`` is not
    modified.
    """
    root = Path(root)
    video = Path(video)
    out_dir = Path(out_dir) if out_dir is not None else root / "export"
    if not video.is_file():
        raise MediaError(f"The rendered video {video} does not exist; render it again.",
                         f"Video hasil render {video} tidak ada; render ulang.")
    preset = get_preset(project.preset)
    final = dedupe_findings(findings)
    slug = slugify(project.brief.title)
    secrets = _secret_values()
    total = 9
    ctx.progress(0, total, "Memeriksa video")
    if facts is None:
        facts = probe_media(video, loudness=False, ctx=ctx)
    records = ailog.read(root)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"Cannot create the export folder {out_dir}: {exc.strerror}.",
                           f"Tidak bisa membuat folder ekspor {out_dir}: {exc.strerror}.") from exc
    final_dir = _unique_folder(out_dir, f"{slug}-{date.today().isoformat()}")
    credentials: dict[str, Any] | None = None
    with staged_folder(final_dir) as tmp:
        mp4 = tmp / f"{slug}.mp4"
        if signing is None:
            ctx.progress(1, total, "Menyalin video")
            _copy(video, mp4, ctx)
        else:
            from studio.pipeline.export import sign as c2pa_sign

            ctx.progress(1, total, "Menandatangani video (Content Credentials)")
            credentials = c2pa_sign.sign_export(project, root, records, video, mp4, signing, ctx)
            # The signed file is what the jury gets: probe it again. Its audio and picture
            # are the rendered ones (the manifest is one more box), so loudness carries over.
            signed = replace(probe_media(mp4, loudness=False, ctx=ctx), loudness_lufs=facts.loudness_lufs,
                             true_peak_db=facts.true_peak_db)
            final = dedupe_findings(list(final) + check_media_facts(signed, preset))
            facts = signed
        passed = not any(f.blocks for f in final)
        ctx.check()

        ctx.progress(2, total, "Menulis subtitle")
        srt_paths = _write_subtitles(project, tmp / slug, secrets)
        srt_path = srt_paths[0] if srt_paths else None
        ctx.check()

        ctx.progress(3, total, "Menyalin catatan AI")
        log_dst = _write_ai_log(root, tmp, secrets)
        ctx.check()

        ctx.progress(4, total, "Membuat gambar sampul")
        thumb = tmp / THUMBNAIL
        make_thumbnail(project, root, video, thumb)
        ctx.check()

        ctx.progress(5, total, "Menulis laporan AI")
        before = [mp4, *srt_paths, log_dst, thumb]
        report = build_report(project, records=records, preset=preset, findings=final, media=facts,
                              files=[_file_entry(p) for p in before], duration=facts.duration,
                              root=root, credentials=credentials)
        report = _redacted_report(report, secrets)
        json_path = _write_text(tmp / REPORT_JSON, report_json(report))
        ctx.check()

        ctx.progress(6, total, "Menulis laporan HTML")
        html_path = _write_text(tmp / REPORT_HTML, render_html(report, scene_thumbnails(project, root)), secrets)
        ctx.check()

        ctx.progress(7, total, "Menulis laporan PDF")
        from studio.pipeline.report.pdf import render_pdf

        pdf_path = render_pdf(report, tmp / REPORT_PDF,
                              scene_thumbnail_bytes(project, root, PDF_PICTURE_PX), ctx)
        readme = _write_text(tmp / README, _readme(project.brief.title, slug, srt_path is not None, final,
                                                   credentials), secrets)
        ctx.check()

        ctx.progress(8, total, "Menghitung sidik jari berkas")
        written = [*before, json_path, html_path, pdf_path, readme]
        _write_text(tmp / CHECKSUMS, "".join(f"{file_sha256(p)}  {p.name}\n" for p in written))
        ctx.check()
    ctx.progress(total, total, "Paket ekspor selesai")

    def moved(p: Path) -> Path:
        return final_dir / p.name

    files = tuple(moved(p) for p in written) + (final_dir / CHECKSUMS,)
    try:
        folder_rel = storage.relative_to_root(root, final_dir)
        video_rel = storage.relative_to_root(root, moved(mp4))
    except ValueError:  # an out_dir outside the project folder
        folder_rel, video_rel = str(final_dir), str(moved(mp4))
    record = ExportRecord(folder=folder_rel, video=video_rel, inputs_hash=render_inputs_hash(project),
                          passed=passed)
    return ExportResult(folder=final_dir, video=moved(mp4),
                        srt=moved(srt_path) if srt_path else None,
                        report_json=moved(json_path), report_html=moved(html_path),
                        thumbnail=moved(thumb), files=files, passed=passed,
                        findings=tuple(final), record=record, report_pdf=moved(pdf_path),
                        credentials=credentials)
