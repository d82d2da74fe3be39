"""The jury's table (issue 19): a folder mixing good and bad entries, checked as rows."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from jury_samples import make_bundle as _bundle
from jury_samples import ten_hour_header, zip_bomb, zip_folder
from media_samples import COMMENT, sample

from studio.cli import EXIT_INPUT, EXIT_RULES, main
from studio.pipeline.jury import entries, table
from studio.pipeline.jury import folder as jury_folder

COMPETITION = "ai-local-content-2025"


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
    ten_hour_header(sample("small_ok"), root / "sepuluh-jam.mp4")
    zip_bomb(root / "bom.zip")
    sums = _bundle(root / "paket-daftar", ok, COMMENT)
    listing = (sums / "SHA256SUMS.txt").read_text(encoding="utf-8")
    (sums / "SHA256SUMS.txt").write_text(listing.replace(listing[:8], "00000000", 1), encoding="utf-8")
    zip_folder(_bundle(tmp_path / "made" / "paket-zip", ok, COMMENT), root / "paket-zip.zip")
    return root


def test_every_entry_is_a_row_with_its_reason(contest: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "juri.csv"
    assert main(["check", str(contest), "--preset", COMPETITION, "--csv", str(out)]) == EXIT_RULES
    rows = {r["entry"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    assert set(rows) == {"baik.mp4", "teks.mp4", "kosong.mp4", "potong.mp4", "Désa Ñusantara/tari.mp4",
                         "paket-baik", "paket-ubah", "paket-kurang", "sepuluh-jam.mp4", "bom.zip",
                         "paket-daftar", "paket-zip.zip"}
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
    # The ten-hour header is named (not decoded), the bomb refused, the edited listing tampered.
    assert "duration.header" in rows["sepuluh-jam.mp4"]["failed_rules"].split(";")
    assert rows["sepuluh-jam.mp4"]["reason"] and rows["sepuluh-jam.mp4"]["passed"] == "no"
    assert rows["bom.zip"]["failed_rules"] == "zip.refused" and "bomb" in rows["bom.zip"]["reason"]
    assert rows["paket-daftar"]["bundle_integrity"] == "tampered"
    assert "entri.mp4" in rows["paket-daftar"]["reason"]
    assert rows["paket-zip.zip"]["passed"] == "yes" and rows["paket-zip.zip"]["bundle_integrity"] == "ok"
    assert all(rows[n]["reason"] for n in rows if rows[n]["passed"] == "no")
    assert "12 entries, 8 failed (preset ai-local-content-2025" in capsys.readouterr().out


def test_exit_code_is_0_when_every_entry_passes(tmp_path: Path) -> None:
    root = tmp_path / "lomba"
    root.mkdir()
    shutil.copy(sample("ok"), root / "baik.mp4")
    _bundle(root / "paket", sample("ok"), COMMENT)
    assert main(["check", str(root), "--preset", COMPETITION]) == 0
    assert main(["check", str(root / "tidak-ada"), "--preset", COMPETITION]) == EXIT_INPUT


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


def _voice(rate: float) -> list[str]:
    """A tone whose loudness swells ``rate`` times a second: a soundtrack with an envelope."""
    return ["-f", "lavfi", "-i", f"aevalsrc=0.4*sin(2*PI*330*t)*(0.55+0.45*sin(2*PI*{rate}*t)):s=48000:d=8"]


def test_the_same_video_twice_is_found_even_resized_and_reencoded(tmp_path: Path) -> None:
    """A moving test pattern, the same one shrunk and re-encoded at a lower quality, the same
    pictures with another soundtrack, and a different pattern of the same length: only the
    copy is a duplicate, of the first."""
    root = tmp_path / "lomba"
    (root / "b").mkdir(parents=True)
    src = ["-f", "lavfi", "-i", "testsrc2=s=720x1280:r=24:d=8", *_voice(0.7)]
    _ffmpeg(*src, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            str(root / "a-asli.mp4"))
    _ffmpeg("-i", str(root / "a-asli.mp4"), "-vf", "scale=360:640", "-c:v", "libx264", "-crf", "35",
            "-preset", "ultrafast", "-c:a", "aac", "-b:a", "48k", str(root / "b" / "salinan.mp4"))
    _ffmpeg("-i", str(root / "a-asli.mp4"), *_voice(0.3), "-map", "0:v", "-map", "1:a", "-c:v", "copy",
            "-c:a", "aac", str(root / "d-suara-lain.mp4"))
    _ffmpeg("-f", "lavfi", "-i", "mandelbrot=s=720x1280:r=24", "-t", "8", *_voice(0.7),
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            str(root / "c-lain.mp4"))
    rows = {r.entry: r for r in jury_folder.check_folder(root, "free", jobs=2)}
    assert set(rows) == {"a-asli.mp4", "b/salinan.mp4", "c-lain.mp4", "d-suara-lain.mp4"}
    assert rows["a-asli.mp4"].audio_envelope and rows["b/salinan.mp4"].audio_envelope
    assert rows["b/salinan.mp4"].duplicate_of == "a-asli.mp4"
    assert "entry.duplicate" in rows["b/salinan.mp4"].failed_rules
    # Same pictures, another sound; same sound, other pictures: different videos.
    assert rows["d-suara-lain.mp4"].duplicate_of == "" and rows["c-lain.mp4"].duplicate_of == ""
    assert rows["a-asli.mp4"].duplicate_of == ""
    assert rows["c-lain.mp4"].passed and rows["a-asli.mp4"].passed


def test_plain_pictures_with_the_same_sound_are_found_by_the_audio(tmp_path: Path) -> None:
    """A flat colour says nothing, so the sound decides: a re-encode of the same narration
    over a plain card is a duplicate; the same card with a steady tone is not called one."""
    root = tmp_path / "lomba"
    root.mkdir()
    card = ["-f", "lavfi", "-i", "color=c=0x336699:s=360x640:r=24:d=8"]
    enc = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]
    _ffmpeg(*card, *_voice(0.7), *enc, str(root / "a.mp4"))
    _ffmpeg("-i", str(root / "a.mp4"), "-vf", "scale=240:426", "-c:v", "libx264", "-crf", "38",
            "-preset", "ultrafast", "-c:a", "aac", "-b:a", "32k", str(root / "b.mp4"))
    _ffmpeg(*card, "-f", "lavfi", "-i", "sine=f=330:d=8", *enc, str(root / "c.mp4"))
    _ffmpeg(*card, "-f", "lavfi", "-i", "sine=f=330:d=8", *enc, "-crf", "40", str(root / "d.mp4"))
    rows = {r.entry: r for r in jury_folder.check_folder(root, "free")}
    assert rows["b.mp4"].duplicate_of == "a.mp4"
    assert rows["c.mp4"].audio_envelope == [] and rows["d.mp4"].duplicate_of == ""


def test_the_html_table_is_one_page_listing_every_entry(contest: Path, tmp_path: Path) -> None:
    out = tmp_path / "juri.html"
    assert main(["check", str(contest), "--preset", COMPETITION, "--html", str(out), "--jobs", "2"]) == EXIT_RULES
    page = out.read_text(encoding="utf-8")
    assert page.count("<tr class=") == 12 and page.count('class="fail"') == 8
    assert "<script>" in page and "src=" not in page and "href=" not in page  # self-contained
    for name in ("baik.mp4", "paket-ubah", "Désa Ñusantara/tari.mp4"):
        assert f"<summary>{name}</summary>" in page
    assert "file.readable" in page and "bundle.tampered" in page


def test_several_paths_zips_and_the_default_preset(contest: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """``studio check A.zip B.mp4 DIR``: one table over everything named, entries named from the
    folder that holds them all; ``--preset`` defaults to the contest's; a typo is exit 2."""
    out = tmp_path / "juri.csv"
    other = tmp_path / "kiriman"
    other.mkdir()
    shutil.copy(sample("ok"), other / "susulan.mp4")
    args = ["check", str(contest / "paket-zip.zip"), str(contest / "teks.mp4"), str(contest / "paket-baik"),
            str(other), str(contest / "teks.mp4"), "--csv", str(out)]
    assert main(args) == EXIT_RULES
    rows = {r["entry"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    assert set(rows) == {"lomba/paket-zip.zip", "lomba/teks.mp4", "lomba/paket-baik", "kiriman/susulan.mp4"}
    assert rows["lomba/paket-zip.zip"]["passed"] == "yes" and rows["lomba/teks.mp4"]["passed"] == "no"
    assert rows["lomba/paket-baik"]["bundle_integrity"] == "ok"
    assert f"preset {COMPETITION}" in capsys.readouterr().out
    # One zip alone is a table of one row; one bundle folder alone is named by its own name.
    assert main(["check", str(contest / "paket-zip.zip"), "--csv", str(out)]) == 0
    assert [r["entry"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))] == ["paket-zip.zip"]
    assert main(["check", str(contest / "paket-baik"), "--csv", str(out)]) == 0
    assert [r["entry"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))] == ["paket-baik"]
    assert main(["check", str(contest / "baik.mp4"), str(contest / "tidak-ada.zip")]) == EXIT_INPUT
