"""The jury's table as files: CSV (one row per entry), JSON (everything) and one
self-contained HTML page (sortable by any column, failures in red, each row opening that
entry's findings and its AI report)."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence

from studio.pipeline.jury.entries import EntryResult

CSV_COLUMNS = ("entry", "passed", "failed_rules", "duration_s", "ai_tools", "bundle_integrity",
               "c2pa", "duplicate_of", "reason")


def to_csv(rows: Sequence[EntryResult]) -> str:
    """CSV text with the columns of issue 19, plus the reason an entry could not be read."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for r in rows:
        w.writerow([r.entry, "yes" if r.passed else "no", ";".join(r.failed_rules),
                    "" if r.duration_s is None else f"{r.duration_s:.2f}", ";".join(r.ai_tools),
                    r.bundle_integrity, r.c2pa, r.duplicate_of, reason(r)])
    return buf.getvalue()


def reason(r: EntryResult) -> str:
    """Why an entry failed, in words: the error that stopped its check, else every blocking
    finding's sentence, the bundle's changed or missing files, the entry it duplicates."""
    if r.error:
        return r.error.splitlines()[0]
    parts = [str(f.get("message_en") or f.get("rule")) for f in r.findings
             if not f.get("passed", True) and f.get("severity") == "block"]
    if r.changed:
        parts.append("changed since SHA256SUMS: " + ", ".join(r.changed))
    if r.missing:
        parts.append("missing: " + ", ".join(r.missing))
    if r.disclosure_agrees is False:
        parts.append("the MP4's AI disclosure differs from laporan-ai.json")
    if r.duplicate_of:
        parts.append(f"the same video as {r.duplicate_of}")
    return " | ".join(parts)


def to_json(rows: Sequence[EntryResult]) -> str:
    return json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2, default=str)


_CSS = """body{font-family:system-ui,sans-serif;margin:1.5em;color:#1d2733}
table{border-collapse:collapse;width:100%}th,td{padding:.35em .6em;border-bottom:1px solid #d8dee6;text-align:left;vertical-align:top}
th{cursor:pointer;background:#eef2f6;user-select:none}th:after{content:" \\2195";color:#8a97a6}
tr.fail>td:first-child,tr.fail td.passed{color:#b3261e;font-weight:600}tr.fail{background:#fdf0ef}
details summary{cursor:pointer}pre{white-space:pre-wrap;font-size:.85em;background:#f6f8fa;padding:.5em}"""

_SORT = """document.querySelectorAll('th').forEach((th,i)=>th.addEventListener('click',()=>{
const tb=th.closest('table').tBodies[0];const rows=[...tb.rows];const asc=th.dataset.asc!=='1';
rows.sort((a,b)=>{const x=a.cells[i].dataset.v??a.cells[i].innerText,y=b.cells[i].dataset.v??b.cells[i].innerText;
const nx=parseFloat(x),ny=parseFloat(y);const c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});
th.dataset.asc=asc?'1':'0';rows.forEach(r=>tb.appendChild(r));}));"""


def to_html(rows: Sequence[EntryResult], title: str = "Tabel juri") -> str:
    """One page, no external files: a sortable table, failures in red, details per entry."""
    e = html.escape
    failed = sum(not r.passed for r in rows)
    out = ["<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">",
           f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(title)}</h1><p>{len(rows)} karya, {failed} tidak lolos. Klik judul kolom untuk "
           "mengurutkan; klik nama karya untuk melihat temuan dan laporannya.</p>",
           "<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in CSV_COLUMNS[:-1]) + "</tr></thead><tbody>"]
    for r in rows:
        findings = "".join(f"<li>{e(str(f.get('rule')))}: {e(str(f.get('message_id') or f.get('message_en') or ''))}"
                           "</li>" for f in r.findings if not f.get("passed", True))
        report = f"<pre>{e(json.dumps(r.report, ensure_ascii=False, indent=2))}</pre>" if r.report else \
            "<p>Tidak ada laporan AI.</p>"
        detail = (f"<details><summary>{e(r.entry)}</summary>"
                  + (f"<p>{e(r.error)}</p>" if r.error else "")
                  + (f"<ul>{findings}</ul>" if findings else "")
                  + (f"<p>Berkas hilang: {e(', '.join(r.missing))}</p>" if r.missing else "")
                  + (f"<p>Berkas berubah: {e(', '.join(r.changed))}</p>" if r.changed else "")
                  + (f"<p>Berkas tambahan: {e(', '.join(r.extra))}</p>" if r.extra else "")
                  + f"{report}</details>")
        cells = [detail, f"<td class=\"passed\">{'yes' if r.passed else 'no'}</td>",
                 e(";".join(r.failed_rules)),
                 "" if r.duration_s is None else f"{r.duration_s:.2f}", e(";".join(r.ai_tools)),
                 e(r.bundle_integrity), e(r.c2pa), e(r.duplicate_of)]
        tds = [c if c.startswith("<td") else f"<td>{c}</td>" for c in cells]
        out.append(f"<tr class=\"{'ok' if r.passed else 'fail'}\">{''.join(tds)}</tr>")
    out.append(f"</tbody></table><script>{_SORT}</script></body></html>")
    return "\n".join(out)
