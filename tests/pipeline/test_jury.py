"""The jury's table (issue 19): a folder mixing good and bad entries, checked as rows."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from media_samples import COMMENT, sample
from studio.cli import EXIT_INPUT, EXIT_RULES, main
from studio.pipeline.jury import entries, table
from studio.pipeline.jury import folder as jury_folder

COMPETITION = "ai-local-content-2025"


def _bundle(folder: Path, video: Path, comment: str) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(video, folder / "entri.mp4")
    report = {"tools": [{"tool": "Whisper", "is_ai": True}, {"tool": "ffmpeg", "is_ai": False}],
              "disclosure": {"id": comment, "en": "Made with AI help."}}
    (folder / "laporan-ai.json").write_text(json.dumps(report), encoding="utf-8")
    sums = "".join(f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n"
                   for n in ("entri.mp4", "laporan-ai.json"))
    (folder / "SHA256SUMS.txt").write_text(sums, encoding="utf-8")
    return folder


@pytest.fixture()
def contest(tmp_path: Path) -> Path:
    root = tmp_path / "lomba"
    root.mkdir()
    ok = sample("ok")
    shutil.copy(ok, root / "baik.mp4")
    (root / "teks.mp4").write_text("bukan video", encoding="utf-8")
    (root / "kosong.mp4").write_bytes(b"")
    (root / "potong.mp4").write_bytes(ok.read_bytes()[: ok.stat().st_size // 3])
    (root / "Désa Ñusantara").mkdir()
    shutil.copy(ok, root / "Désa Ñusantara" / "tari.mp4")
    _bundle(root / "paket-baik", ok, COMMENT)
    bad = _bundle(root / "paket-ubah", ok, COMMENT)
    (bad / "laporan-ai.json").write_text(json.dumps({"tools": [], "disclosure": {}}), encoding="utf-8")
    lost = _bundle(root / "paket-kurang", ok, COMMENT)
    (lost / "laporan-ai.json").unlink()
    return root


def test_every_entry_is_a_row_with_its_reason(contest: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "juri.csv"
    assert main(["check", str(contest), "--preset", COMPETITION, "--csv", str(out)]) == EXIT_RULES
    rows = {r["entry"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    assert set(rows) == {"baik.mp4", "teks.mp4", "kosong.mp4", "potong.mp4", "Désa Ñusantara/tari.mp4",
                         "paket-baik", "paket-ubah", "paket-kurang"}
    assert rows["baik.mp4"]["passed"] == "yes" and rows["baik.mp4"]["failed_rules"] == ""
    assert rows["Désa Ñusantara/tari.mp4"]["passed"] == "yes"
    assert rows["paket-baik"]["passed"] == "yes"
    assert rows["paket-baik"]["bundle_integrity"] == "ok" and rows["paket-baik"]["ai_tools"] == "Whisper"
    assert rows["paket-baik"]["c2pa"] == "none"
    assert float(rows["baik.mp4"]["duration_s"]) > 0
    for name in ("teks.mp4", "kosong.mp4", "potong.mp4"):
        assert rows[name]["passed"] == "no" and rows[name]["failed_rules"] == "file.readable"
        assert rows[name]["reason"]
    assert "kosong" in rows["kosong.mp4"]["reason"] or "empty" in rows["kosong.mp4"]["reason"]
    assert rows["paket-ubah"]["bundle_integrity"] == "tampered"
    assert "bundle.tampered" in rows["paket-ubah"]["failed_rules"].split(";")
    assert "disclosure.matches_report" in rows["paket-ubah"]["failed_rules"].split(";")
    assert rows["paket-kurang"]["bundle_integrity"] == "incomplete"
    assert rows["paket-kurang"]["passed"] == "no"
    assert "8 entries, 5 failed." in capsys.readouterr().out


def test_an_edited_checksum_listing_is_tampered(tmp_path: Path) -> None:
    b = _bundle(tmp_path / "paket", sample("ok"), COMMENT)
    (b / "SHA256SUMS.txt").write_text("not a listing\n", encoding="utf-8")
    (b / "catatan.txt").write_text("extra", encoding="utf-8")
    assert entries.verify_sums(b)[0] == "tampered"
    ok = _bundle(tmp_path / "paket2", sample("ok"), COMMENT)
    (ok / "catatan.txt").write_text("extra", encoding="utf-8")
    assert entries.verify_sums(ok) == ("ok", [], [], ["catatan.txt"])


def test_json_has_everything_and_single_file_check_still_works(contest: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    rows = jury_folder.check_folder(contest, COMPETITION)
    data = json.loads(table.to_json(rows))
    good = next(r for r in data if r["entry"] == "paket-baik")
    assert good["findings"] and good["report"]["tools"][0]["tool"] == "Whisper"
    assert good["disclosure_agrees"] is True
    capsys.readouterr()
    assert main(["check", str(contest / "baik.mp4"), "--preset", COMPETITION]) == 0
    assert main(["check", str(contest), "--preset", "no-such-preset"]) == EXIT_INPUT


def _ffmpeg(*args: str) -> None:
    from studio.pipeline.media import ffmpeg

    done = ffmpeg.run(["-loglevel", "error", "-y", *args])
    assert done.returncode == 0, done.stderr


def test_the_same_video_twice_is_found_even_resized_and_reencoded(tmp_path: Path) -> None:
    """A moving test pattern, the same one shrunk and re-encoded at a lower quality, and a
    different pattern of the same length: only the copy is a duplicate, of the first."""
    root = tmp_path / "lomba"
    (root / "b").mkdir(parents=True)
    src = ["-f", "lavfi", "-i", "testsrc2=s=720x1280:r=24:d=8", "-f", "lavfi", "-i", "sine=f=440:d=8"]
    _ffmpeg(*src, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            str(root / "a-asli.mp4"))
    _ffmpeg("-i", str(root / "a-asli.mp4"), "-vf", "scale=360:640", "-c:v", "libx264", "-crf", "35",
            "-preset", "ultrafast", "-c:a", "aac", str(root / "b" / "salinan.mp4"))
    _ffmpeg("-f", "lavfi", "-i", "mandelbrot=s=720x1280:r=24", "-t", "8", "-f", "lavfi", "-i", "sine=f=440:d=8",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            str(root / "c-lain.mp4"))
    rows = {r.entry: r for r in jury_folder.check_folder(root, "free", jobs=2)}
    assert set(rows) == {"a-asli.mp4", "b/salinan.mp4", "c-lain.mp4"}
    assert rows["b/salinan.mp4"].duplicate_of == "a-asli.mp4"
    assert "entry.duplicate" in rows["b/salinan.mp4"].failed_rules
    assert rows["a-asli.mp4"].duplicate_of == "" and rows["c-lain.mp4"].duplicate_of == ""
    assert rows["c-lain.mp4"].passed and rows["a-asli.mp4"].passed


def test_the_html_table_is_one_page_listing_every_entry(contest: Path, tmp_path: Path) -> None:
    out = tmp_path / "juri.html"
    assert main(["check", str(contest), "--preset", COMPETITION, "--html", str(out), "--jobs", "2"]) == EXIT_RULES
    page = out.read_text(encoding="utf-8")
    assert page.count("<tr class=") == 8 and page.count('class="fail"') == 5
    assert "<script>" in page and "src=" not in page and "href=" not in page  # self-contained
    for name in ("baik.mp4", "paket-ubah", "Désa Ñusantara/tari.mp4"):
        assert f"<summary>{name}</summary>" in page
    assert "file.readable" in page and "bundle.tampered" in page
