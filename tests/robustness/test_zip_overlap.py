"""A zip bomb made of stored, overlapping entries (issue 21 #3): 1 MB on disk, hundreds of
MB once every directory entry is read. The ratio check cannot see it (nothing is
compressed); overlap detection refuses it before a byte is written, and the bytes
actually written are held to a limit sized for real projects."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from studio.cli import main
from studio.core import bundle, storage
from studio.core.errors import ProjectError
from studio.core.project import Project


def _overlapping_bomb(path: Path, project_json: bytes, kernel: bytes, entries: int) -> int:
    """Each entry's stored data is the next entry's local header and data (Fifield's layout,
    uncompressed). Returns the total size the central directory declares."""
    blob = kernel
    headers: list[tuple[str, int, int]] = []  # name, crc, size (innermost first)
    for i in reversed(range(entries)):
        name = f"images/f{i:04d}.png"
        crc = zlib.crc32(blob)
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, crc, len(blob), len(blob),
                            len(name), 0) + name.encode()
        headers.append((name, crc, len(blob)))
        blob = local + blob
    headers.reverse()
    pj_name = "project.json"
    pj_crc = zlib.crc32(project_json)
    pj_local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, pj_crc, len(project_json),
                           len(project_json), len(pj_name), 0) + pj_name.encode() + project_json
    data = pj_local + blob
    central = b""
    offsets = [0]
    pos = len(pj_local)
    for name, _crc, size in headers:
        offsets.append(pos)
        pos += 30 + len(name)  # the next header starts right after this one's name
    all_entries = [(pj_name, pj_crc, len(project_json))] + headers
    for (name, crc, size), offset in zip(all_entries, offsets):
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, crc, size, size,
                               len(name), 0, 0, 0, 0, 0, offset) + name.encode()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(all_entries), len(all_entries), len(central),
                      len(data), 0)
    path.write_bytes(data + central + end)
    return sum(size for _n, _c, size in all_entries)


def test_overlapping_stored_bomb_is_refused_before_writing(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    storage.create_project(src, Project())
    bomb = tmp_path / "bomb.zip"
    declared = _overlapping_bomb(bomb, (src / "project.json").read_bytes(), b"\0" * (1 << 20), 300)
    assert bomb.stat().st_size < 2 * 1024**2 and declared > 300 * 1024**2
    with zipfile.ZipFile(bomb) as zf:  # a valid archive: every entry reads back with a good CRC
        assert zf.testzip() is None
    dest = tmp_path / "out"
    assert main(["import-project", str(bomb), str(dest)]) == 2
    err = capsys.readouterr().err
    assert "overlaps" in err and "Traceback" not in err
    assert not dest.exists() or not any(dest.iterdir())
    assert [p.name for p in tmp_path.iterdir()] == sorted(["src", "bomb.zip"]) or not dest.exists()


def test_written_bytes_are_held_to_the_limit(tmp_path: Path) -> None:
    """Entries that do not overlap but add up beyond the limit are refused, naming it."""
    src = tmp_path / "src"
    storage.create_project(src, Project())
    (src / "render" / "a.mp4").write_bytes(b"\1" * (3 << 20))
    (src / "render" / "b.mp4").write_bytes(b"\2" * (3 << 20))
    zip_path = tmp_path / "p.zip"
    bundle.pack_project(src, zip_path)
    with pytest.raises(ProjectError) as caught:
        bundle.import_project(zip_path, tmp_path / "out", max_total_bytes=4 << 20)
    assert "MB" in str(caught.value)
    assert bundle.MAX_TOTAL_BYTES <= 2 * 1024**3  # sized for real projects, not 8 GiB
