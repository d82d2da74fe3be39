"""The jury's HTML table in a real browser (issue 19): headless Chromium runs the page's
script and dumps the DOM it rendered; every entry is listed and failures are marked.

Needs the Debian/Ubuntu package ``chromium`` (``/usr/bin/chromium``); skipped without it.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from jury_samples import make_bundle
from media_samples import sample
from studio.cli import EXIT_RULES, main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="headless Chromium is not installed (apt-get install -y chromium)")


def test_the_browser_lists_every_entry_and_marks_failures(tmp_path: Path) -> None:
    root = tmp_path / "lomba"
    root.mkdir()
    shutil.copy(sample("small_ok"), root / "baik.mp4")
    (root / "teks.mp4").write_text("bukan video", encoding="utf-8")
    (root / "Désa Ñusantara").mkdir()
    shutil.copy(sample("small_ok"), root / "Désa Ñusantara" / "tari.mp4")
    bundle = make_bundle(root / "paket-ubah", sample("small_ok"))
    (bundle / "laporan-ai.json").write_text('{"tools": []}', encoding="utf-8")
    page = tmp_path / "juri.html"
    assert main(["check", str(root), "--preset", "free", "--html", str(page)]) == EXIT_RULES
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-800:]
    dom = done.stdout
    rows = re.findall(r'<tr class="(ok|fail)"><td><details><summary>(.*?)</summary>', dom)
    listed = {html.unescape(name): state for state, name in rows}
    assert listed == {"baik.mp4": "ok", "Désa Ñusantara/tari.mp4": "ok", "teks.mp4": "fail",
                      "paket-ubah": "fail"}
    assert "<table>" in dom and "file.readable" in dom and "bundle.tampered" in dom
