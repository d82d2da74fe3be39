"""Render an export bundle's AI-usage report as PDF again, time it against the HTML, and write
every page as a PNG to look at (not collected by pytest).

    python tests/bench/report_pdf_bench.py PROJECT_DIR [OUT_DIR]

PROJECT_DIR is a project that has been exported (``studio demo --out DIR`` makes one); the
latest bundle's ``laporan-ai.json`` is drawn again, so the pages show exactly what the export
wrote. OUT_DIR defaults to ``report_pages/`` next to the project.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from studio.core import storage
from studio.pipeline.report.build import render_html, scene_thumbnail_bytes, scene_thumbnails
from studio.pipeline.report.pdf import render_pdf


def main(argv: list[str]) -> int:
    if not argv:
        sys.stderr.write(__doc__ or "")
        return 2
    root = Path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else root.parent / "report_pages"
    project = storage.load_project(root)
    if project.last_export is None:
        sys.stderr.write("This project has not been exported yet; run: studio export DIR\n")
        return 2
    folder = root / project.last_export.folder
    report = json.loads((folder / "laporan-ai.json").read_text(encoding="utf-8"))

    t0 = time.perf_counter()
    html = render_html(report, scene_thumbnails(project, root))
    t_html = time.perf_counter() - t0
    t0 = time.perf_counter()
    pictures = scene_thumbnail_bytes(project, root, 420)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = render_pdf(report, Path(tmp) / "laporan-ai.pdf", pictures)
        t_pdf = time.perf_counter() - t0
        size = pdf.stat().st_size

        import pypdfium2 as pdfium

        out.mkdir(parents=True, exist_ok=True)
        doc = pdfium.PdfDocument(str(pdf))
        pages = len(doc)
        for i in range(pages):
            doc[i].render(scale=150 / 72).to_pil().save(out / f"page-{i + 1}.png")
        doc.close()
    sys.stdout.write(f"scenes {len(report['scenes'])}, records {len(report['records'])}\n"
                     f"HTML {t_html:.3f} s ({len(html) / 1e3:.0f} kB); PDF {t_pdf:.3f} s "
                     f"({size / 1e3:.0f} kB, {pages} pages); PDF/HTML {t_pdf / max(t_html, 1e-6):.1f}x\n"
                     f"pages written to {out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
