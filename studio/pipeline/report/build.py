"""The AI-usage report: a JSON document (schema ``studio.ai-report/1``) and a readable
Indonesian HTML page built from it.

The report is built only from the project, the AI log, the final rule findings and
the probed file; the HTML is rendered from the JSON dict alone, so the two can never
disagree. Prompts and notes are escaped; nothing from the environment is read here,
so no secret can reach the report (the AI log drops credential-like parameters, and
``build_report`` scrubs them again in case the log was edited by hand).

JSON layout (schema in ``pipeline.report.schema``, every field explained in
``assets/docs/ai-report.md``): ``schema``, ``generated``, ``app``, ``project``, ``brief``,
``preset``, ``summary`` (one row per step: ai/human/both/tool/none and the tools),
``tools`` (tool, model, version, licence, steps), ``scenes`` (text, prompts, image/voice
origin, the generated draft of text the creator edited), ``records`` (every AI-log
record, with ``current`` false for content later replaced), ``checks`` (final findings
as probed + media facts), ``disclosure`` (id/en sentence, the same the end card and the
MP4 comment carry), ``statement`` (the creator's declaration and its blanks),
``content_credentials`` (the C2PA manifest when the MP4 was signed), ``files`` (name,
bytes, sha256 of the bundle files written before the report).

The PDF (``pipeline.report.pdf``) is drawn from the same dict.
"""

from __future__ import annotations

import base64
import html
import io
import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from PIL import Image

from studio import APP_NAME, __version__
from studio.core import ailog, storage
from studio.core.origin import DECLARED_ID, OWN_WORK_ID
from studio.core.presets import Preset
from studio.core.project import Project, now_iso
from studio.core.rules.findings import RULE_LABELS, STEP_LABELS_ID, Finding
from studio.core.rules.media import MediaFacts
from studio.pipeline.report.edits import scene_drafts, word_diff_html
from studio.pipeline.report.schema import REPORT_SCHEMA, REPORT_STEPS, SCHEMA_ID

__all__ = ["REPORT_SCHEMA", "REPORT_STEPS", "SCHEMA_ID", "STATEMENT_ID", "STATEMENT_FIELDS",
           "build_report", "dedupe_findings", "render_html", "report_json", "scene_thumbnail_bytes",
           "scene_thumbnails",
           "validate_report"]

log = logging.getLogger(__name__)

WHO_ID = {"ai": "AI", "human": "Kreator (manusia)", "both": "AI, lalu diubah kreator",
          "tool": "Alat otomatis tanpa AI", "tool+human": "Alat tanpa AI, lalu diubah kreator",
          "none": "Belum ada catatan"}
ACTOR_ID = {"ai": "AI", "tool": "Alat (tanpa AI)", "human": "Kreator",
            "declared": f"AI di luar aplikasi ({DECLARED_ID})"}
ACTION_ID = {"generate": "buat", "regenerate": "buat ulang", "transcribe": "transkripsi",
             "edit": "sunting", "replace": "ganti", "import": "impor", "record": "rekam",
             "delete": "hapus"}
_MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember")
THUMB_PX = 200
STATEMENT_FIELDS: tuple[str, ...] = ("Nama", "NIP", "Instansi", "Tempat, tanggal", "Tanda tangan")
"""The blanks the creator fills in under the statement (printed, then signed by hand)."""


# ------------------------------------------------------------------ JSON report


def _scrubbed(record: ailog.AiRecord) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    data["params"] = ailog.scrub(data.get("params") or {})
    return data


def _tool_rows(records: Sequence[ailog.AiRecord]) -> list[dict[str, Any]]:
    rows: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for rec in records:
        if rec.actor == "human":
            continue
        key = (rec.engine, rec.tool, rec.model, rec.model_revision)
        row = rows.setdefault(key, {"tool": rec.tool or rec.engine, "engine": rec.engine,
                                    "model": rec.model, "version": rec.model_revision,
                                    "licence": rec.licence, "is_ai": rec.actor in ailog.AI_ACTORS,
                                    "declared": rec.actor == "declared", "steps": [], "uses": 0})
        row["uses"] += 1
        row["licence"] = row["licence"] or rec.licence
        if rec.step not in row["steps"]:
            row["steps"].append(rec.step)
    return list(rows.values())


def tool_kind_id(row: Mapping[str, Any]) -> str:
    """The "Jenis" cell of a tools-table row: AI, AI declared by the creator, or no AI."""
    if not row["is_ai"]:
        return "Tanpa AI"
    return f"AI ({DECLARED_ID})" if row.get("declared") else "AI"


def _asset(asset: Any, keys: Sequence[str]) -> dict[str, Any] | None:
    if asset is None:
        return None
    data = asset.model_dump(mode="json")
    return {k: data.get(k) for k in keys}


def _actors(records: Iterable[ailog.AiRecord]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for rec in records:
        out.setdefault(rec.step, set()).add(rec.actor)
    return out


def dedupe_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per rule: a later one replaces an earlier one (the file's verdict,
    passed after the project's, replaces the project's estimate), order kept."""
    by_rule: dict[str, Finding] = {}
    for f in findings:
        by_rule.pop(f.rule, None)
        by_rule[f.rule] = f
    return list(by_rule.values())


def build_report(project: Project, *, records: Sequence[ailog.AiRecord], preset: Preset,
                 findings: Iterable[Finding], media: MediaFacts | None,
                 files: Sequence[Mapping[str, Any]], duration: float | None = None,
                 root: Path | None = None,
                 credentials: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The report dict (validates against ``REPORT_SCHEMA``).

    ``records`` is the whole AI log, oldest first; records that no longer describe
    the content (a regenerated image's first version) are kept with ``current: false``.
    ``root`` (the project folder) lets the report show the generated draft of every
    scene the creator edited; ``credentials`` is what ``pipeline.export.sign`` read back
    from a signed MP4.
    """
    scene_ids = [s.id for s in project.scenes]
    current = ailog.current_records(records, scene_ids)
    current_ids = {id(r) for r in current}
    index_of = {sid: i + 1 for i, sid in enumerate(scene_ids)}
    who = ailog.summary(current)
    for step, actors in _actors(current).items():
        # ailog.summary folds "tool and creator" into "human"; the report keeps the tool visible.
        if actors == {"tool", "human"}:
            who[step] = "tool+human"
    summary = []
    for step in REPORT_STEPS:
        tools = []
        for rec in current:
            if rec.step != step or (rec.actor == "human" and rec.params.get("declared") != "own"):
                continue
            if rec.actor == "human":
                name = f"{OWN_WORK_ID} ({DECLARED_ID})"
            else:
                name = rec.tool or rec.engine
                name = f"{name} ({rec.model})" if rec.model and rec.model.lower() not in name.lower() else name
                name += f" ({DECLARED_ID})" if rec.actor == "declared" else ""
            if name not in tools:
                tools.append(name)
        summary.append({"step": step, "label": STEP_LABELS_ID.get(step, step),
                        "who": who.get(step, "none"), "tools": tools})
    drafts = scene_drafts(project, root, records) if root is not None else {}
    scenes = []
    for i, scene in enumerate(project.scenes, start=1):
        prompts = [{"step": r.step, "prompt": r.prompt, "tool": r.tool or r.engine, "model": r.model,
                    "seed": r.seed}
                   for r in current if r.scene_id == scene.id and r.prompt.strip()]
        scenes.append({
            "index": i, "id": scene.id, "narration": scene.narration,
            "subtitle": scene.subtitle if project.brief.bilingual else "",
            "on_screen_text": scene.on_screen_text, "image_prompt": scene.image_prompt,
            "source": scene.source, "edited": scene.edited, "draft": drafts.get(scene.id),
            "image": _asset(scene.image, ("path", "origin", "engine", "model", "seed", "prompt", "sha256",
                                          "declared")),
            "voice": _asset(scene.voice, ("path", "origin", "engine", "voice", "duration", "sha256", "declared")),
            "prompts": prompts, "needs_review": list(scene.needs_review)})
    rec_rows = []
    for rec in records:
        row = _scrubbed(rec)
        row["current"] = id(rec) in current_ids
        row["scene_index"] = index_of.get(rec.scene_id) if rec.scene_id else None
        rec_rows.append(row)
    final = dedupe_findings(findings)
    b = project.brief
    return {
        "schema": SCHEMA_ID,
        "generated": now_iso(),
        "app": {"name": APP_NAME, "version": __version__},
        "project": {"id": project.id, "title": b.title, "created": project.created,
                    "scene_count": len(project.scenes),
                    "duration": round(duration, 3) if duration is not None else None},
        "brief": {"title": b.title, "region": b.region, "theme": b.theme, "language": b.language,
                  "subtitle_language": b.subtitles_in, "audience": b.audience, "creator": b.creator, "agency": b.agency,
                  "key_facts": list(b.key_facts)},
        "preset": {"id": preset.id, "name": preset.name, "name_en": preset.name_en},
        "summary": summary,
        "tools": _tool_rows(current),
        "scenes": scenes,
        "records": rec_rows,
        "checks": {"passed": not any(f.blocks for f in final),
                   "findings": [f.to_dict() for f in final],
                   "media": media.to_dict() if media is not None else None},
        "disclosure": {"id": ailog.disclosure_text(current, "id"),
                       "en": ailog.disclosure_text(current, "en")},
        "statement": {"text_id": (STATEMENT_ID if ailog.steps_with_ai(current) else STATEMENT_NO_AI_ID)
                      .format(title=b.title or "(tanpa judul)"),
                      "fields": list(STATEMENT_FIELDS)},
        "content_credentials": dict(credentials) if credentials else None,
        "files": [dict(f) for f in files],
    }


def _finite(value: Any) -> Any:
    """JSON has no infinities: write them as strings ("-inf" is silence in loudness terms)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def report_json(report: Mapping[str, Any]) -> str:
    """The report as strict JSON text (UTF-8 characters kept, indented)."""
    return json.dumps(_finite(dict(report)), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def validate_report(report: Mapping[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``report`` does not fit ``REPORT_SCHEMA``."""
    import jsonschema

    jsonschema.validate(dict(report), REPORT_SCHEMA)


# ------------------------------------------------------------------ thumbnails


def scene_thumbnail_bytes(project: Project, root: Path, size: int = THUMB_PX) -> dict[str, bytes]:
    """Small JPEGs of the scene images by scene id (missing or broken ones skipped)."""
    out: dict[str, bytes] = {}
    for scene in project.scenes:
        if scene.image is None:
            continue
        try:
            path = storage.resolve_in(root, scene.image.path)
            with Image.open(path) as img:
                img = img.convert("RGB")
                img.thumbnail((size, size))
                buf = io.BytesIO()
                img.save(buf, "JPEG", quality=80, optimize=True)
        except (OSError, ValueError, storage.UnsafePathError, Image.DecompressionBombError) as exc:
            log.info("no thumbnail for scene %s: %s", scene.id, exc)
            continue
        out[scene.id] = buf.getvalue()
    return out


def scene_thumbnails(project: Project, root: Path, size: int = THUMB_PX) -> dict[str, str]:
    """The same thumbnails as JPEG data URIs, for the HTML page."""
    return {sid: "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
            for sid, data in scene_thumbnail_bytes(project, root, size).items()}


# ------------------------------------------------------------------ HTML


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def date_id(iso: str) -> str:
    """``2026-11-22T21:00:00Z`` → ``22 November 2026``."""
    try:
        d = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return iso
    return f"{d.day} {_MONTHS_ID[d.month - 1]} {d.year}"


_CSS = """
body{font-family:"Source Sans Pro","Segoe UI",Arial,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #8a5a2b}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.3rem .45rem;
vertical-align:top;text-align:left;font-size:.92rem}th{background:#f4ede4}
.meta td:first-child{width:11rem;font-weight:600}.ok{color:#1b6e20}.bad{color:#b3261e;font-weight:600}
.warn{color:#8a5a00;font-weight:600}.prompt{font-family:monospace;white-space:pre-wrap;background:#faf7f2;
padding:.3rem;margin:.2rem 0}table.scene{margin:.8rem 0;break-inside:avoid}table.scene td{border:1px solid #ddd}
td.pic{width:210px;text-align:center}.scene img{max-width:200px;height:auto;border:1px solid #aaa}.tag{display:inline-block;
padding:0 .4rem;border-radius:.3rem;background:#e8e0d4;font-size:.8rem}.tag.ai{background:#d7e8ff}
.sign td{height:2.2rem}.small{font-size:.85rem;color:#555}details{margin:.2rem 0}
del{color:#b3261e;background:#fbe9e7}ins{color:#1b6e20;background:#e8f5e9;text-decoration:underline}
@media print{body{margin:0;max-width:none}details{display:block}h2{break-after:avoid}}
"""


def _finding_row(f: Mapping[str, Any]) -> str:
    if f["passed"]:
        cls, status = "ok", "✓ Lolos"
    elif f["severity"] == "block":
        cls, status = "bad", "✗ Gagal (memblokir)"
    else:
        cls, status = "warn", "! Peringatan"
    label = f.get("label_id") or RULE_LABELS.get(f["rule"], (f["rule"],))[0]
    return (f"<tr><td class=\"{cls}\">{status}</td><td>{_e(label)}<br><span class=\"small\">"
            f"{_e(f['rule'])}</span></td><td>{_e(f['measured'])}</td><td>{_e(f['limit'])}</td>"
            f"<td>{_e(f['message_id'])}</td></tr>")


def languages_text(brief: Mapping[str, Any]) -> str:
    """The report's "Bahasa" line: the narration's language, and the subtitles' when they differ."""
    from studio.core.languages import is_bilingual, language_name

    narration = brief.get("language") or "id"
    subtitles = brief.get("subtitle_language") or narration
    if not is_bilingual(narration, subtitles):
        return language_name(narration)
    return f"Narasi {language_name(narration)}, subtitle {language_name(subtitles)}"


def render_html(report: Mapping[str, Any], thumbnails: Mapping[str, str] | None = None) -> str:
    """The readable Indonesian report page, from the report dict alone."""
    thumbnails = thumbnails or {}
    b, p, checks = report["brief"], report["project"], report["checks"]
    title = b["title"] or "(tanpa judul)"
    duration = p.get("duration")
    parts: list[str] = [
        "<!DOCTYPE html>", "<html lang=\"id\"><head><meta charset=\"utf-8\">",
        f"<title>Laporan Penggunaan AI — {_e(title)}</title><style>{_CSS}</style></head><body>",
        "<h1>Laporan Penggunaan Kecerdasan Artifisial (AI)</h1>",
        f"<p class=\"small\">Dibuat oleh {_e(report['app']['name'])} {_e(report['app']['version'])} "
        f"pada {_e(date_id(report['generated']))}. Format data: {_e(report['schema'])} "
        "(berkas laporan-ai.json).</p>",
        "<table class=\"meta\">",
        f"<tr><td>Judul</td><td>{_e(title)}</td></tr>",
        f"<tr><td>Daerah</td><td>{_e(b['region'])}</td></tr>",
        f"<tr><td>Tema</td><td>{_e(b['theme'])}</td></tr>",
        f"<tr><td>Bahasa</td><td>{_e(languages_text(b))}</td></tr>",
        f"<tr><td>Pembuat</td><td>{_e(b['creator'])}</td></tr>",
        f"<tr><td>Instansi</td><td>{_e(b['agency'])}</td></tr>",
        f"<tr><td>Lomba / preset</td><td>{_e(report['preset']['name'])}</td></tr>",
        f"<tr><td>Durasi video</td><td>{_e(f'{duration:.1f} detik'.replace('.', ',') if duration else '-')}"
        "</td></tr>",
        f"<tr><td>Jumlah adegan</td><td>{p['scene_count']}</td></tr>",
        "</table>",
        "<h2>Keterangan penggunaan AI</h2>",
        f"<p><strong>{_e(report['disclosure']['id'])}</strong></p>",
        "<h2>Ringkasan per langkah</h2>",
        "<table><tr><th>Langkah</th><th>Dikerjakan oleh</th><th>Alat / model</th></tr>",
    ]
    for row in report["summary"]:
        parts.append(f"<tr><td>{_e(row['label'])}</td><td>{_e(WHO_ID.get(row['who'], row['who']))}</td>"
                     f"<td>{_e(', '.join(row['tools']) or '-')}</td></tr>")
    parts.append("</table>")
    parts += ["<h2>Alat dan model</h2>",
              "<table><tr><th>Alat</th><th>Jenis</th><th>Model</th><th>Versi</th><th>Lisensi</th>"
              "<th>Langkah</th><th>Dipakai</th></tr>"]
    for t in report["tools"]:
        steps = ", ".join(STEP_LABELS_ID.get(s, s) for s in t["steps"])
        kind = tool_kind_id(t)
        parts.append(f"<tr><td>{_e(t['tool'])}<br><span class=\"small\">{_e(t['engine'])}</span></td>"
                     f"<td>{kind}</td><td>{_e(t['model'] or '-')}</td><td>{_e(t['version'] or '-')}</td>"
                     f"<td>{_e(t['licence'] or '-')}</td><td>{_e(steps)}</td><td>{t['uses']}×</td></tr>")
    if not report["tools"]:
        parts.append("<tr><td colspan=\"7\">Tidak ada alat otomatis yang tercatat.</td></tr>")
    parts.append("</table>")
    parts += _scene_section(report, thumbnails)
    parts += _history_section(report)
    parts += ["<h2>Pemeriksaan aturan lomba</h2>",
              "<p>" + ("<span class=\"ok\">Semua aturan wajib terpenuhi.</span>" if checks["passed"]
                       else "<span class=\"bad\">Ada aturan wajib yang belum terpenuhi.</span>")
              + " Hasil ini diukur dari berkas video yang diekspor.</p>",
              "<table><tr><th>Status</th><th>Aturan</th><th>Terukur</th><th>Batas</th><th>Keterangan</th></tr>"]
    parts += [_finding_row(f) for f in checks["findings"]]
    parts.append("</table>")
    parts += _credentials_section(report.get("content_credentials"))
    parts += ["<h2>Berkas dan sidik jari (SHA-256)</h2>",
              "<table><tr><th>Berkas</th><th>Ukuran</th><th>SHA-256</th></tr>"]
    for f in report["files"]:
        size = f"{f['bytes']:,}".replace(",", ".")
        parts.append(f"<tr><td>{_e(f['name'])}</td><td>{size} bita</td>"
                     f"<td class=\"small\"><code>{_e(f['sha256'])}</code></td></tr>")
    parts.append("</table>")
    parts += _statement(report)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _scene_section(report: Mapping[str, Any], thumbnails: Mapping[str, str]) -> list[str]:
    out = ["<h2>Naskah, gambar dan prompt per adegan</h2>"]
    script_prompts = [r for r in report["records"]
                      if r["current"] and r["step"] == "script" and r["scene_id"] is None and r["prompt"]]
    for r in script_prompts:
        out.append(f"<p>Prompt naskah ({_e(r['tool'] or r['engine'])}"
                   f"{' — ' + _e(r['model']) if r['model'] else ''}):</p>"
                   f"<div class=\"prompt\">{_e(r['prompt'])}</div>")
    for s in report["scenes"]:
        img = s["image"] or {}
        origin = {"ai": "Gambar AI", "generated": "Gambar otomatis tanpa AI",
                  "own": "Foto milik kreator"}.get(img.get("origin", ""), "Belum ada gambar")
        thumb = thumbnails.get(s["id"])
        pic = (f"<img src=\"{thumb}\" alt=\"Gambar adegan {s['index']}\">" if thumb
               else "<div class=\"small\">(tanpa pratinjau)</div>")
        voice = s["voice"] or {}
        voice_text = {"tts": "Suara sintetis", "recorded": "Rekaman kreator",
                      "imported": "Berkas suara impor"}.get(voice.get("origin", ""), "Belum ada suara")
        # A table row, not flexbox: it survives printing, mail clients and word processors.
        lines = [f"<table class=\"scene\"><tr><td class=\"pic\">{pic}<br><span class=\"tag"
                 f"{' ai' if img.get('origin') == 'ai' else ''}\">{_e(origin)}</span></td><td>",
                 f"<strong>Adegan {s['index']}</strong>"
                 + (f" — {_e(s['on_screen_text'])}" if s["on_screen_text"] else ""),
                 f"<p>{_e(s['narration'])}</p>",
                 *([f"<p class=\"small\">Subtitle: {_e(s['subtitle'])}</p>"] if s.get("subtitle") else []),
                 f"<p class=\"small\">Naskah: {_e({'ai': 'ditulis AI', 'template': 'templat tanpa AI', 'human': 'ditulis kreator'}.get(s['source'], s['source']))}"
                 f"{', disunting kreator' if s['edited'] else ''}. Suara: {_e(voice_text)}"
                 f"{' (' + _e(voice.get('engine')) + ')' if voice.get('engine') else ''}.</p>"]
        draft = s.get("draft") or {}
        if draft.get("narration"):
            lines.append("<div class=\"small\">Perubahan kreator pada narasi draf (dicoret: dihapus, "
                         "bergaris bawah: ditambah):</div>"
                         f"<p>{word_diff_html(draft['narration'], s['narration'])}</p>")
        if draft.get("image_prompt"):
            lines.append("<div class=\"small\">Perubahan kreator pada deskripsi gambar draf:</div>"
                         f"<p>{word_diff_html(draft['image_prompt'], s['image_prompt'])}</p>")
        for pr in s["prompts"]:
            seed = f", seed {pr['seed']}" if pr.get("seed") is not None else ""
            head = (f"Prompt {_e(STEP_LABELS_ID.get(pr['step'], pr['step']))} "
                    f"({_e(pr.get('tool'))}{' — ' + _e(pr['model']) if pr.get('model') else ''}{seed}):")
            if " ".join(pr["prompt"].split()) == " ".join(s["narration"].split()):
                # A voice engine's prompt is the narration itself: say so instead of repeating it.
                lines.append(f"<div class=\"small\">{head} teks narasi di atas.</div>")
                continue
            lines.append(f"<div class=\"small\">{head}</div><div class=\"prompt\">{_e(pr['prompt'])}</div>")
        if not s["prompts"] and s["image_prompt"]:
            lines.append(f"<div class=\"small\">Deskripsi gambar:</div>"
                         f"<div class=\"prompt\">{_e(s['image_prompt'])}</div>")
        if s["needs_review"]:
            lines.append("<p class=\"warn\">Fakta dari AI yang perlu diperiksa: "
                         + "; ".join(_e(c) for c in s["needs_review"]) + "</p>")
        lines.append("</td></tr></table>")
        out.append("\n".join(lines))
    return out


def _history_section(report: Mapping[str, Any]) -> list[str]:
    out = ["<h2>Riwayat lengkap (catatan AI)</h2>",
           "<p class=\"small\">Setiap pemakaian alat dan setiap perubahan oleh kreator, urut waktu. "
           "Baris bergaris bawah tidak lagi dipakai di video (sudah dibuat ulang atau diganti).</p>",
           "<table><tr><th>Waktu (UTC)</th><th>Langkah</th><th>Adegan</th><th>Aksi</th><th>Oleh</th>"
           "<th>Alat / model</th><th>Prompt, seed, catatan</th></tr>"]
    for r in report["records"]:
        style = "" if r["current"] else " style=\"color:#777;text-decoration:underline dotted\""
        detail = []
        if r["prompt"]:
            detail.append(f"<details><summary>prompt</summary><div class=\"prompt\">{_e(r['prompt'])}"
                          "</div></details>")
        if r["seed"] is not None:
            detail.append(f"seed {r['seed']}")
        if r.get("note"):
            detail.append(_e(r["note"]))
        tool = _e(r["tool"] or r["engine"]) + (f" — {_e(r['model'])}" if r["model"] else "")
        if r["model_revision"]:
            tool += f" <span class=\"small\">({_e(r['model_revision'])})</span>"
        out.append(f"<tr{style}><td>{_e(r['ts'].replace('T', ' ').rstrip('Z'))}</td>"
                   f"<td>{_e(STEP_LABELS_ID.get(r['step'], r['step']))}</td>"
                   f"<td>{r['scene_index'] or '-'}</td><td>{_e(ACTION_ID.get(r['action'], r['action']))}</td>"
                   f"<td>{_e(ACTOR_ID.get(r['actor'], r['actor']))}</td><td>{tool}</td>"
                   f"<td>{' '.join(detail) or '-'}</td></tr>")
    if not report["records"]:
        out.append("<tr><td colspan=\"7\">Catatan AI kosong.</td></tr>")
    out.append("</table>")
    return out


STATEMENT_ID = (
    "Saya yang bertanda tangan di bawah ini menyatakan bahwa video berjudul “{title}” adalah karya "
    "saya, dibuat dengan bantuan alat kecerdasan artifisial (AI) sebagaimana tercantum lengkap dalam "
    "laporan ini. Seluruh isi video telah saya periksa kebenarannya, tidak mengandung hoaks, ujaran "
    "kebencian atau unsur SARA, dan tidak melanggar hak cipta pihak lain. Penggunaan AI telah saya "
    "ungkapkan dengan jujur sesuai Surat Edaran Menteri Komunikasi dan Informatika Nomor 9 Tahun 2023 "
    "tentang Etika Kecerdasan Artifisial.")
STATEMENT_NO_AI_ID = (
    "Saya yang bertanda tangan di bawah ini menyatakan bahwa video berjudul “{title}” adalah karya "
    "saya dan dibuat tanpa alat kecerdasan artifisial (AI); alat otomatis lain yang dipakai tercantum "
    "lengkap dalam laporan ini. Seluruh isi video telah saya periksa kebenarannya, tidak mengandung "
    "hoaks, ujaran kebencian atau unsur SARA, dan tidak melanggar hak cipta pihak lain.")


def credentials_intro(cred: Mapping[str, Any]) -> str:
    """One Indonesian paragraph on what the C2PA manifest of the video states."""
    with_ai = str(cred.get("digital_source_type", "")).endswith("compositeWithTrainedAlgorithmicMedia")
    what = ("gabungan yang memuat media buatan AI" if with_ai
            else "gabungan media yang dibuat tanpa AI")
    return (f"Video MP4 ditandatangani secara digital dengan manifes C2PA yang menyatakan video ini {what}, "
            "dan mencantumkan setiap gambar, suara dan musik sebagai bahan beserta asal-usulnya. Pemutar "
            "dan situs yang mendukung Content Credentials dapat menampilkannya; perubahan apa pun pada "
            "video membatalkan tanda tangan.")


def _credentials_section(cred: Mapping[str, Any] | None) -> list[str]:
    if not cred:
        return []
    state = {"Trusted": "sah dan penerbit sertifikatnya dipercaya",
             "Valid": "sah (penerbit sertifikat belum terdaftar sebagai tepercaya)"}.get(
        cred["validation_state"], cred["validation_state"])
    out = ["<h2>Kredensial Konten (C2PA)</h2>",
           f"<p>{_e(credentials_intro(cred))}</p>",
           "<table class=\"meta\">",
           f"<tr><td>Penanda tangan</td><td>{_e(cred['signer'])} ({_e(cred['issuer'])})</td></tr>",
           f"<tr><td>Manifes</td><td class=\"small\">{_e(cred['manifest'])}</td></tr>",
           f"<tr><td>Jenis sumber</td><td class=\"small\">{_e(cred['digital_source_type'])}</td></tr>",
           f"<tr><td>Hasil verifikasi</td><td>{_e(state)}</td></tr>",
           "</table>",
           "<table><tr><th>Bahan (ingredient)</th><th>Langkah</th><th>Adegan</th><th>Jenis sumber</th></tr>"]
    for ing in cred["ingredients"]:
        kind = (ing.get("digital_source_type") or "").rsplit("/", 1)[-1] or "-"
        out.append(f"<tr><td>{_e(ing['title'])}</td><td>{_e(STEP_LABELS_ID.get(ing['step'], ing['step']))}"
                   f"</td><td>{ing.get('scene_index') or '-'}</td><td>{_e(kind)}</td></tr>")
    out.append("</table>")
    return out


def _statement(report: Mapping[str, Any]) -> list[str]:
    blank = "&nbsp;" * 60
    statement = report["statement"]
    rows = []
    for name in statement["fields"]:
        if name == "Tanda tangan":
            rows.append(f"<tr><td style=\"height:5rem\">{_e(name)}</td><td></td></tr>")
        else:
            rows.append(f"<tr><td style=\"width:12rem\">{_e(name)}</td><td>{blank}</td></tr>")
    return ["<h2>Pernyataan kreator</h2>", f"<p>{_e(statement['text_id'])}</p>",
            "<table class=\"sign\">", *rows, "</table>"]
