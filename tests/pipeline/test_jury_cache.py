"""The jury's cache and progress bar (issue 19): a second run checks only what changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from jury_samples import make_bundle
from media_samples import sample

from studio.cli import EXIT_INPUT, main
from studio.pipeline.jury import folder as jury_folder

COMPETITION = "ai-local-content-2025"


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The entries really checked (in this process: jobs=1)."""
    seen: list[str] = []
    real = jury_folder.check_any

    def spy(path: Path, bundle: Path | None, preset: str, folder: Path):  # type: ignore[no-untyped-def]
        seen.append((bundle or path).name)
        return real(path, bundle, preset, folder)

    monkeypatch.setattr(jury_folder, "check_any", spy)
    return seen


def test_a_second_run_checks_only_new_or_changed_entries(tmp_path: Path, counted: list[str]) -> None:
    root = tmp_path / "lomba"
    root.mkdir()
    shutil.copy(sample("small_ok"), root / "a.mp4")
    shutil.copy(sample("reels_ok"), root / "b.mp4")
    bundle = make_bundle(root / "paket", sample("small_ok"))
    first = jury_folder.check_folder(root, "free")
    assert sorted(counted) == ["a.mp4", "b.mp4", "paket"]
    counted.clear()
    again = jury_folder.check_folder(root, "free")
    assert counted == [] and [r.to_dict() for r in again] == [r.to_dict() for r in first]
    # A changed bundle file, a touched MP4 and a new entry are checked again; nothing else.
    (bundle / "laporan-ai.json").write_text('{"tools": []}', encoding="utf-8")
    st = (root / "a.mp4").stat()
    os.utime(root / "a.mp4", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    shutil.copy(sample("small_ok"), root / "c.mp4")
    rows = {r.entry: r for r in jury_folder.check_folder(root, "free")}
    assert sorted(counted) == ["a.mp4", "c.mp4", "paket"]
    assert rows["paket"].bundle_integrity == "tampered"
    counted.clear()
    # Another preset is another table: nothing is reused.
    jury_folder.check_folder(root, "reels")
    assert len(counted) == 4
    counted.clear()
    jury_folder.check_folder(root, "free", use_cache=False)
    assert len(counted) == 4


def test_progress_is_plain_lines_when_not_a_terminal(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "lomba"
    root.mkdir()
    shutil.copy(sample("small_ok"), root / "a.mp4")
    (root / "b.mp4").write_bytes(b"")
    main(["check", str(root), "--preset", "free"])
    err = capsys.readouterr().err
    assert "2/2" in err and "\r" not in err and "\x1b" not in err
    empty = tmp_path / "kosong"
    empty.mkdir()
    assert main(["check", str(empty), "--preset", "free"]) == EXIT_INPUT


def test_a_cancelled_check_keeps_what_it_checked(tmp_path: Path, counted: list[str]) -> None:
    """Cancelling halfway (the window's Batal, Ctrl+C) stores the finished rows, so the next
    run checks only the rest."""
    from studio.core.jobs import Cancelled

    root = tmp_path / "lomba"
    root.mkdir()
    for name in ("a.mp4", "b.mp4", "c.mp4"):
        shutil.copy(sample("small_ok"), root / name)

    def stop_after_two(done: int, total: int, name: str) -> None:
        if done == 2:
            raise Cancelled("dibatalkan")

    with pytest.raises(Cancelled):
        jury_folder.check_folder(root, "free", progress=stop_after_two)
    assert counted == ["a.mp4", "b.mp4"]
    counted.clear()
    rows = jury_folder.check_folder(root, "free")
    assert counted == ["c.mp4"] and [r.entry for r in rows] == ["a.mp4", "b.mp4", "c.mp4"]
