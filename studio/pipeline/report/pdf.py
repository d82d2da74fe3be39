"""The AI-usage report as a printable Indonesian PDF (``laporan-ai.pdf``).

Drawn with fpdf2 (pure Python, offline, no browser, no system packages) from the
report dict alone, like the HTML, so the JSON, the HTML and the PDF cannot disagree.
Text is set in Source Sans Pro from the ``font-source-sans-pro`` wheel (the font the
video's cards use), embedded and subset so the PDF reads the same on any machine.
Characters the font lacks (emoji in a prompt) are dropped or shown as ``?`` rather
than silently printed as blanks.

Sections, in reading order: identity of the video, the AI disclosure (the sentence
the end card and MP4 comment carry), a summary per step (AI / human / both), tools
and models with versions and licences, every scene with its picture, text, prompts
and the creator's changes to the draft, the full log, the rule checks as measured on
the file, Content Credentials (when signed), file fingerprints, and the statement the
creator signs by hand.
"""

from __future__ import annotations

import functools
import io
import logging
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from studio.core import storage
from studio.core.errors import StudioError
from studio.core.jobs import JobContext
from studio.core.rules.findings import RULE_LABELS, STEP_LABELS_ID
from studio.pipeline.report.build import (
    ACTION_ID,
    ACTOR_ID,
    WHO_ID,
    credentials_intro,
    date_id,
    languages_text,
    tool_kind_id,
)
from studio.pipeline.report.edits import word_diff

log = logging.getLogger(__name__)

FAMILY = "SourceSans"
INK = (29, 29, 27)
MUTED = (95, 95, 95)
ACCENT = (138, 90, 43)
HEAD_FILL = (244, 237, 228)
OK, BAD, WARN = (27, 110, 32), (179, 38, 30), (138, 90, 0)
THUMB_MM = 30.0
"""Width of a scene picture in the PDF (a 9:16 picture is then 53 mm tall)."""


def _font_files() -> dict[str, Path]:
    """Regular/bold/italic font files: Source Sans Pro from its wheel, else DejaVu Sans."""
    from studio.pipeline.render import text as render_text

    regular = render_text.font_path("regular")
    bold = render_text.font_path("bold")
    if regular is None or bold is None:
        raise StudioError(
            "No font is available to write the PDF report; reinstall Studio Lokal (the "
            "font-source-sans-pro package provides it).",
            "Tidak ada huruf (font) untuk menulis laporan PDF; pasang ulang Studio Lokal (paket "
            "font-source-sans-pro menyediakannya).")
    italic = regular.with_name("SourceSansPro-It.ttf")
    return {"": regular, "B": bold, "I": italic if italic.is_file() else regular}


@functools.lru_cache(maxsize=4)
def _covered(font: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(font), lazy=True) as tt:
        return frozenset(tt.getBestCmap())


def printable(text: object, covered: frozenset[int]) -> str:
    """``text`` with characters the font cannot draw dropped (symbols, emoji) or turned into ``?``."""
    out = []
    for ch in str("" if text is None else text):
        if ch in "\n\t" or ord(ch) in covered:
            out.append(ch)
        elif unicodedata.category(ch) in ("So", "Sk", "Cs", "Co", "Cf", "Mn"):
            continue
        else:
            out.append("?")
    return "".join(out)


def _pdf_class() -> type:
    try:
        from fpdf import FPDF
    except ImportError as exc:  # the package is a dependency; say what to do if it went missing
        raise StudioError("The PDF report needs the fpdf2 package; install it with: pip install fpdf2.",
                          "Laporan PDF memerlukan paket fpdf2; pasang dengan: pip install fpdf2.") from exc

    class ReportPdf(FPDF):  # type: ignore[misc, valid-type]
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FAMILY, "", 8)
            self.set_text_color(*MUTED)
            self.cell(0, 5, self.footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"Halaman {self.page_no()} dari {{nb}}", align="R")

    return ReportPdf


class _Writer:
    """Small layout helpers over one fpdf2 document."""

    def __init__(self, title: str) -> None:
        fonts = _font_files()
        self.covered = _covered(fonts[""])
        self.pdf = _pdf_class()(orientation="P", unit="mm", format="A4")
        pdf = self.pdf
        for style, path in fonts.items():
            pdf.add_font(FAMILY, style, str(path))
        pdf.set_margins(15, 15, 15)
        pdf.set_auto_page_break(True, margin=16)
        pdf.alias_nb_pages()
        pdf.set_title(self.t(f"Laporan Penggunaan AI — {title}"))
        pdf.set_lang("id")
        pdf.set_creator("Studio Lokal")
        pdf.footer_text = self.t(f"Laporan Penggunaan AI — {title}")[:90]
        pdf.add_page()

    def t(self, text: object) -> str:
        return printable(text, self.covered)

    @property
    def width(self) -> float:
        return self.pdf.w - self.pdf.l_margin - self.pdf.r_margin

    def font(self, size: float = 10, style: str = "", color: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font(FAMILY, style, size)
        self.pdf.set_text_color(*color)

    def heading(self, text: str) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 45:  # no heading alone at the foot of a page
            pdf.add_page()
        pdf.ln(4)
        self.font(13, "B", ACCENT)
        pdf.cell(0, 7, self.t(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.set_line_width(0.2)
        pdf.ln(2)

    def para(self, text: str, size: float = 10, style: str = "", color: tuple[int, int, int] = INK,
             h: float = 5.0) -> None:
        self.font(size, style, color)
        self.pdf.multi_cell(0, h, self.t(text), new_x="LMARGIN", new_y="NEXT", align="L")

    def table(self, rows: list[list[str]], widths: tuple[float, ...], *, size: float = 9,
              colors: dict[tuple[int, int], tuple[int, int, int]] | None = None,
              headings: bool = True) -> None:
        from fpdf.fonts import FontFace

        self.font(size)
        self.pdf.set_draw_color(190, 190, 190)
        head = FontFace(family=FAMILY, emphasis="BOLD", fill_color=HEAD_FILL, color=INK)
        with self.pdf.table(col_widths=widths, text_align="LEFT", v_align="TOP", line_height=4.4,
                            headings_style=head, padding=1.2, width=self.width,
                            first_row_as_headings=headings) as table:
            for r, values in enumerate(rows):
                row = table.row()
                for c, value in enumerate(values):
                    color = (colors or {}).get((r, c))
                    style = FontFace(color=color, emphasis="BOLD") if color else None
                    row.cell(self.t(value), style=style)
        self.pdf.ln(2)


def _meta_rows(report: Mapping[str, Any]) -> list[list[str]]:
    b, p = report["brief"], report["project"]
    duration = p.get("duration")
    return [
        ["Judul", b["title"] or "(tanpa judul)"],
        ["Daerah", b["region"] or "-"], ["Tema", b["theme"] or "-"],
        ["Bahasa", languages_text(b)],
        ["Pembuat", b["creator"] or "-"], ["Instansi", b["agency"] or "-"],
        ["Lomba / preset", report["preset"]["name"]],
        ["Durasi video", f"{duration:.1f} detik".replace(".", ",") if duration else "-"],
        ["Jumlah adegan", str(p["scene_count"])],
    ]


def _scene_block(w: _Writer, scene: Mapping[str, Any], picture: bytes | None) -> None:
    pdf = w.pdf
    img = scene["image"] or {}
    origin = {"ai": "Gambar AI", "generated": "Gambar otomatis tanpa AI",
              "own": "Foto milik kreator"}.get(img.get("origin", ""), "Belum ada gambar")
    voice = scene["voice"] or {}
    voice_text = {"tts": "suara sintetis", "recorded": "rekaman kreator",
                  "imported": "berkas suara impor"}.get(voice.get("origin", ""), "belum ada suara")
    source = {"ai": "ditulis AI", "template": "templat tanpa AI", "human": "ditulis kreator"}.get(
        scene.get("source", ""), scene.get("source", ""))
    pic_h = THUMB_MM * 16 / 9
    if picture:
        try:
            from PIL import Image

            with Image.open(io.BytesIO(picture)) as probe:
                pic_h = THUMB_MM * probe.height / max(1, probe.width)
        except OSError:
            picture = None
    # The picture and its label must fit on this page (the text may run on to the next).
    if pdf.get_y() + pic_h + 9 > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    pic_page = pdf.page
    x0 = pdf.l_margin
    if picture:
        try:
            info = pdf.image(io.BytesIO(picture), x=x0, y=top, w=THUMB_MM)
            pic_h = float(info.rendered_height)
        except Exception as exc:  # a broken thumbnail must not lose the report
            log.info("scene %s picture not drawn in the PDF: %s", scene["id"], exc)
            picture = None
    if not picture:
        pdf.set_draw_color(200, 200, 200)
        pdf.rect(x0, top, THUMB_MM, pic_h)
    pdf.set_xy(x0, top + pic_h + 1)
    w.font(7.5, "B", (20, 70, 140) if img.get("origin") == "ai" else MUTED)
    pdf.multi_cell(THUMB_MM, 3.5, w.t(origin), align="C")
    below_pic = pdf.get_y()

    # Text column: temporarily move the left margin so write() and multi_cell() wrap there.
    text_x = x0 + THUMB_MM + 5
    old_margin = pdf.l_margin
    pdf.set_left_margin(text_x)
    pdf.set_xy(text_x, top)
    head = f"Adegan {scene['index']}" + (f" — {scene['on_screen_text']}" if scene.get("on_screen_text") else "")
    w.para(head, 11, "B", h=5.5)
    w.para(scene["narration"], 10)
    if scene.get("subtitle"):
        w.para(f"Subtitle: {scene['subtitle']}", 9, "I", MUTED)
    w.para(f"Naskah: {source}{', disunting kreator' if scene.get('edited') else ''}. Suara: {voice_text}"
           + (f" ({voice['engine']})" if voice.get("engine") else "") + ".", 8.5, "I", MUTED, h=4.2)
    draft = scene.get("draft") or {}
    for field, label in (("narration", "narasi"), ("image_prompt", "deskripsi gambar")):
        if draft.get(field):
            w.para(f"Perubahan kreator pada {label} draf (dicoret: dihapus, digaris bawah: ditambah):",
                   8.5, "I", MUTED, h=4.2)
            _write_diff(w, draft[field], scene[field])
    for pr in scene["prompts"]:
        seed = f", seed {pr['seed']}" if pr.get("seed") is not None else ""
        model = f" — {pr['model']}" if pr.get("model") else ""
        label = STEP_LABELS_ID.get(pr["step"], pr["step"])
        head = f"Prompt {label} ({pr.get('tool') or ''}{model}{seed}):"
        if " ".join(pr["prompt"].split()) == " ".join(scene["narration"].split()):
            w.para(f"{head} teks narasi di atas.", 8.5, "B", MUTED, h=4.2)
            continue
        w.para(head, 8.5, "B", MUTED, h=4.2)
        w.para(pr["prompt"], 9, "", (60, 60, 60), h=4.4)
    if not scene["prompts"] and scene.get("image_prompt"):
        w.para("Deskripsi gambar:", 8.5, "B", MUTED, h=4.2)
        w.para(scene["image_prompt"], 9, "", (60, 60, 60), h=4.4)
    if scene.get("needs_review"):
        w.para("Fakta dari AI yang perlu diperiksa: " + "; ".join(scene["needs_review"]), 9, "B", WARN)
    pdf.set_left_margin(old_margin)
    end = max(pdf.get_y(), below_pic if pdf.page == pic_page else 0)
    pdf.set_xy(old_margin, end + 2)
    pdf.set_draw_color(220, 220, 220)
    pdf.line(old_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)


def _write_diff(w: _Writer, before: str, after: str) -> None:
    pdf = w.pdf
    pdf.set_x(pdf.l_margin)
    for op, text in word_diff(before, after):
        if op == "=":
            w.font(9.5, "", INK)
        elif op == "-":
            w.font(9.5, "S", BAD)
        else:
            w.font(9.5, "U", OK)
        pdf.write(4.8, w.t(text) + " ")
    pdf.ln(6)


def render_pdf(report: Mapping[str, Any], out_path: Path,
               pictures: Mapping[str, bytes] | None = None, ctx: JobContext | None = None) -> Path:
    """Write the report as a PDF at ``out_path`` (atomically); ``pictures`` are JPEG bytes
    of the scene images by scene id (``report.scene_thumbnail_bytes``). A cancel through
    ``ctx`` is honoured between sections (nothing is written then)."""
    pictures = pictures or {}
    check = ctx.check if ctx is not None else (lambda: None)
    b = report["brief"]
    w = _Writer(b["title"] or "(tanpa judul)")
    pdf = w.pdf

    w.para("Laporan Penggunaan Kecerdasan Artifisial (AI)", 19, "B", h=9)
    w.para(f"Dibuat oleh {report['app']['name']} {report['app']['version']} pada "
           f"{date_id(report['generated'])}. Format data: {report['schema']} (berkas laporan-ai.json).",
           8.5, "", MUTED, h=4.2)
    pdf.ln(2)
    w.table(_meta_rows(report), (1, 3), size=10, headings=False,
            colors={(r, 0): MUTED for r in range(8)})

    w.heading("Keterangan penggunaan AI")
    w.para("Kalimat yang sama tampil di kartu penutup video dan tertulis di metadata berkas MP4:", 8.5,
           "I", MUTED, h=4.2)
    w.para(report["disclosure"]["id"], 11, "B", h=5.5)

    w.heading("Ringkasan per langkah")
    rows = [["Langkah", "Dikerjakan oleh", "Alat / model"]]
    rows += [[r["label"], WHO_ID.get(r["who"], r["who"]), ", ".join(r["tools"]) or "-"]
             for r in report["summary"]]
    w.table(rows, (1, 1.4, 3))

    w.heading("Alat dan model")
    rows = [["Alat", "Jenis", "Model", "Versi", "Lisensi", "Langkah", "Dipakai"]]
    for t in report["tools"]:
        rows.append([f"{t['tool']}\n{t['engine']}", tool_kind_id(t), t["model"] or "-",
                     t["version"] or "-", t["licence"] or "-",
                     ", ".join(STEP_LABELS_ID.get(s, s) for s in t["steps"]), f"{t['uses']}×"])
    if len(rows) == 1:
        rows.append(["Tidak ada alat otomatis yang tercatat.", "", "", "", "", "", ""])
    w.table(rows, (2.3, 1, 2, 1.3, 1.6, 1.4, 0.9), size=8.5)

    w.heading("Naskah, gambar dan prompt per adegan")
    for r in report["records"]:
        if r["current"] and r["step"] == "script" and r["scene_id"] is None and r["prompt"]:
            model = f" — {r['model']}" if r["model"] else ""
            w.para(f"Prompt naskah ({r['tool'] or r['engine']}{model}):", 8.5, "B", MUTED, h=4.2)
            w.para(r["prompt"], 9, "", (60, 60, 60), h=4.4)
            pdf.ln(2)
    for scene in report["scenes"]:
        check()  # each scene block lays out a picture: the slow part of a long report
        _scene_block(w, scene, pictures.get(scene["id"]))

    w.heading("Riwayat lengkap (catatan AI)")
    w.para("Setiap pemakaian alat dan setiap perubahan oleh kreator, urut waktu (UTC). Baris abu-abu "
           "tidak lagi dipakai di video (sudah dibuat ulang atau diganti). Prompt tiap adegan ada di "
           "bagian sebelumnya; semuanya juga ada di laporan-ai.json.", 8.5, "I", MUTED, h=4.2)
    rows = [["Waktu", "Langkah", "Adegan", "Aksi", "Oleh", "Alat / model", "Seed, catatan"]]
    colors: dict[tuple[int, int], tuple[int, int, int]] = {}
    for r in report["records"]:
        tool = (r["tool"] or r["engine"]) + (f" — {r['model']}" if r["model"] else "")
        if r["model_revision"]:
            tool += f" ({r['model_revision']})"
        detail = " ".join(x for x in (f"seed {r['seed']}" if r["seed"] is not None else "",
                                      r.get("note") or "") if x)
        rows.append([r["ts"].replace("T", " ").rstrip("Z")[:19], STEP_LABELS_ID.get(r["step"], r["step"]),
                     str(r["scene_index"] or "-"), ACTION_ID.get(r["action"], r["action"]),
                     ACTOR_ID.get(r["actor"], r["actor"]), tool, detail or "-"])
        if not r["current"]:
            for c in range(7):
                colors[(len(rows) - 1, c)] = (140, 140, 140)
    if len(rows) == 1:
        rows.append(["Catatan AI kosong.", "", "", "", "", "", ""])
    w.table(rows, (1.5, 1, 0.7, 0.9, 0.9, 2.4, 2.4), size=7.5, colors=colors)

    checks = report["checks"]
    w.heading("Pemeriksaan aturan lomba")
    w.para(("Semua aturan wajib terpenuhi." if checks["passed"] else
            "Ada aturan wajib yang belum terpenuhi.") + " Hasil ini diukur dari berkas video yang "
           "diekspor.", 10, "B", OK if checks["passed"] else BAD)
    rows = [["Status", "Aturan", "Terukur", "Batas", "Keterangan"]]
    colors = {}
    for f in checks["findings"]:
        if f["passed"]:
            status, color = "Lolos", OK
        elif f["severity"] == "block":
            status, color = "Gagal (memblokir)", BAD
        else:
            status, color = "Peringatan", WARN
        label = f.get("label_id") or RULE_LABELS.get(f["rule"], (f["rule"],))[0]
        rows.append([status, f"{label}\n{f['rule']}", str(f["measured"]), f["limit"], f["message_id"]])
        colors[(len(rows) - 1, 0)] = color
    w.table(rows, (1.1, 1.6, 1.1, 1.1, 3.6), size=8, colors=colors)

    cred = report.get("content_credentials")
    if cred:
        w.heading("Kredensial Konten (C2PA)")
        w.para(credentials_intro(cred), 9.5)
        state = {"Trusted": "sah; penerbit sertifikat dipercaya",
                 "Valid": "sah; penerbit sertifikat belum terdaftar sebagai tepercaya"}.get(
            cred["validation_state"], cred["validation_state"])
        w.table([["Penanda tangan", f"{cred['signer']} ({cred['issuer']})"],
                 ["Manifes", cred["manifest"]], ["Jenis sumber", cred["digital_source_type"]],
                 ["Hasil verifikasi", state]], (1, 3), size=8.5, headings=False)
        rows = [["Bahan (ingredient)", "Langkah", "Adegan", "Jenis sumber"]]
        for ing in cred["ingredients"]:
            rows.append([ing["title"], STEP_LABELS_ID.get(ing["step"], ing["step"]),
                         str(ing.get("scene_index") or "-"),
                         (ing.get("digital_source_type") or "").rsplit("/", 1)[-1] or "-"])
        w.table(rows, (2.2, 1, 0.7, 2.2), size=8.5)

    w.heading("Berkas dan sidik jari (SHA-256)")
    rows = [["Berkas", "Ukuran", "SHA-256"]]
    rows += [[f["name"], f"{f['bytes']:,} bita".replace(",", "."), f["sha256"]] for f in report["files"]]
    w.table(rows, (1.6, 1, 4), size=7.5)

    _statement(w, report["statement"])
    check()
    with storage.atomic_output(Path(out_path)) as part:
        pdf.output(str(part))
    return Path(out_path)


def _statement(w: _Writer, statement: Mapping[str, Any]) -> None:
    pdf = w.pdf
    needed = 30 + 12 * len(statement["fields"])
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()  # the declaration and its blanks stay on one page, to sign as a whole
    w.heading("Pernyataan kreator")
    w.para(statement["text_id"], 10.5, h=5.6)
    pdf.ln(4)
    for name in statement["fields"]:
        tall = name == "Tanda tangan"
        row_h = 22 if tall else 10
        y = pdf.get_y()
        w.font(10, "B")
        pdf.set_xy(pdf.l_margin, y + row_h - 6)
        pdf.cell(40, 5, w.t(name))
        pdf.set_draw_color(120, 120, 120)
        pdf.line(pdf.l_margin + 42, y + row_h - 1.5, pdf.w - pdf.r_margin, y + row_h - 1.5)
        pdf.set_xy(pdf.l_margin, y + row_h)
