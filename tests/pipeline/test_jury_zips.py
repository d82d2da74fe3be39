"""Zipped entries in the jury's table (issue 19): opened safely, only into a temporary folder."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pytest

from jury_samples import make_bundle, zip_bomb, zip_folder, zip_slip
from media_samples import sample
from studio.pipeline.jury import folder as jury_folder

COMPETITION = "ai-local-content-2025"


def _temp_leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("studio-juri-*")}


@pytest.fixture()
def zips(tmp_path: Path) -> Path:
    ok = sample("ok")
    root = tmp_path / "lomba"
    root.mkdir()
    made = tmp_path / "made"
    zip_folder(make_bundle(made / "paket-a", ok), root / "paket-a.zip")
    zip_folder(make_bundle(made / "paket-b", ok), root / "paket-b.zip", as_folder=False)
    tampered = make_bundle(made / "paket-c", ok)
    (tampered / "laporan-ai.json").write_text('{"tools": []}', encoding="utf-8")
    zip_folder(tampered, root / "paket-c.zip")
    zip_bomb(root / "bom.zip")
    zip_slip(root / "licik.zip", sample("small_ok"))
    with zipfile.ZipFile(root / "bukan-paket.zip", "w") as zf:
        zf.write(ok, "video.mp4")
    (root / "rusak.zip").write_bytes(b"PK\x03\x04 not really a zip")
    return root


def test_zipped_bundles_are_checked_and_hostile_zips_are_rows(zips: Path) -> None:
    before = _temp_leftovers()
    rows = {r.entry: r for r in jury_folder.check_folder(zips, COMPETITION)}
    assert set(rows) == {"paket-a.zip", "paket-b.zip", "paket-c.zip", "bom.zip", "licik.zip",
                         "bukan-paket.zip", "rusak.zip"}
    for name in ("paket-a.zip", "paket-b.zip"):
        assert rows[name].bundle_integrity == "ok" and rows[name].ai_tools == ["Whisper"]
        assert rows[name].duration_s and rows[name].duration_s > 60
    # (The sample is a flat colour with a steady tone: too plain to be called a duplicate.)
    assert rows["paket-a.zip"].passed and rows["paket-b.zip"].passed
    assert rows["paket-c.zip"].bundle_integrity == "tampered" and not rows["paket-c.zip"].passed
    assert rows["bom.zip"].failed_rules == ["zip.refused"] and "bomb" in rows["bom.zip"].error
    assert rows["licik.zip"].failed_rules == ["zip.refused"] and "'..'" in rows["licik.zip"].error
    assert rows["bukan-paket.zip"].failed_rules == ["zip.not_bundle"]
    assert "SHA256SUMS.txt" in rows["bukan-paket.zip"].error
    assert rows["rusak.zip"].failed_rules == ["zip.refused"] and "not a zip" in rows["rusak.zip"].error
    # Nothing was unpacked outside a temporary folder, and the temporary folders are gone.
    assert not (zips.parent / "luar.txt").exists() and not (zips / "luar.txt").exists()
    assert sorted(p.name for p in zips.iterdir()) == sorted(rows)
    assert _temp_leftovers() <= before
