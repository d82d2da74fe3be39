"""Project folders: round trip, atomic save with .bak, broken files, migrations, safe paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core import storage
from studio.core.errors import (
    DiskFullError,
    ProjectError,
    ProjectFormatError,
    ProjectTooNewError,
    UnsafePathError,
)
from studio.core.project import SCHEMA_VERSION, Brief, ImageAsset, Project, Scene, VoiceAsset, WordTiming

FIXTURES = Path(__file__).parent.parent / "data" / "projects"


def _sample() -> Project:
    return Project(
        brief=Brief(title="Weton", region="Yogyakarta", theme="weton", key_facts=["Ada lima pasaran."],
                    creator="Sri", agency="Dinas Kebudayaan"),
        scenes=[
            Scene(narration="Weton adalah hitungan hari lahir.", image_prompt="javanese calendar",
                  image=ImageAsset(path="images/a.png", origin="generated", width=10, height=20),
                  voice=VoiceAsset(path="voice/a.wav", origin="tts", duration=2.5, sample_rate=22050,
                                   words=[WordTiming(text="Weton", start=0.0, end=0.4)])),
            Scene(narration="Kliwon, Legi, Pahing, Pon, Wage.", motion="zoom_in", transition="dip_black"),
        ],
    )


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    original = storage.create_project(root, _sample())
    loaded = storage.load_project(root)
    assert loaded.model_dump(exclude={"modified", "app_version"}) == \
        original.model_dump(exclude={"modified", "app_version"})
    assert all((root / d).is_dir() for d in storage.SUBDIRS)
    raw = json.loads((root / "project.json").read_text(encoding="utf-8"))
    assert raw["format"] == "studio.project" and raw["schema_version"] == SCHEMA_VERSION
    # Paths are stored relative, POSIX style.
    assert raw["scenes"][0]["image"]["path"] == "images/a.png"


def test_save_keeps_previous_good_save_as_bak(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = storage.create_project(root, _sample())
    project.brief.title = "Judul kedua"
    storage.save_project(root, project)
    bak = json.loads((root / "project.json.bak").read_text(encoding="utf-8"))
    assert bak["brief"]["title"] == "Weton"
    assert storage.load_project(root).brief.title == "Judul kedua"


def test_broken_current_file_does_not_overwrite_good_backup(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = storage.create_project(root, _sample())
    storage.save_project(root, project)  # .bak now holds a good save
    (root / "project.json").write_text('{"format": "studio.project", "sch', encoding="utf-8")
    storage.save_project(root, project)
    assert json.loads((root / "project.json.bak").read_text(encoding="utf-8"))["brief"]["title"] == "Weton"


def test_crash_during_save_leaves_last_good_state(tmp_path: Path) -> None:
    """A real process killed in the middle of writing never corrupts project.json."""
    root = tmp_path / "p"
    storage.create_project(root, _sample())
    code = f"""
import os, sys
from studio.core import storage
from studio.core.project import Project
p = storage.load_project({str(root)!r})
p.brief.notes = "x" * 5_000_000
real_fsync = os.fsync
def die(fd):
    os._exit(9)   # the power goes out after the temp file was written, before the rename
os.fsync = die
storage.save_project({str(root)!r}, p)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    loaded = storage.load_project(root)
    assert loaded.brief.notes == "" and loaded.brief.title == "Weton"
    assert not any(p.name == "project.json.part" for p in root.iterdir())


@pytest.mark.parametrize("text,line,field", [
    ("", None, None),
    ('{"format": "studio.project", "schema_version": 1, "brief": {"title": "x"', 1, None),
    ('{\n "format": "studio.project",\n "schema_version": 1,\n "scenes": [\n  {"narration": 5}\n ]\n}', 5,
     "scenes.0.narration"),
    ('{\n "format": "studio.project",\n "schema_version": 1,\n "render": {"fps": "cepat"}\n}', 4, "render.fps"),
])
def test_broken_files_name_the_line_and_field(tmp_path: Path, text: str, line: int | None, field: str | None) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "project.json").write_text(text, encoding="utf-8")
    with pytest.raises(ProjectFormatError) as info:
        storage.load_project(root)
    err = info.value
    assert err.line == line
    assert err.field == field
    assert str(err).endswith(".") and "project.json" in str(err)
    assert err.text("id") != str(err)  # an Indonesian message exists


def test_not_utf8_and_not_a_project(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "project.json").write_bytes(b'{"format": "studio.project", "brief": {"title": "\xff\xfe"}}')
    with pytest.raises(ProjectFormatError, match="UTF-8"):
        storage.load_project(root)
    (root / "project.json").write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ProjectFormatError, match="not a Studio Lokal project"):
        storage.load_project(root)
    with pytest.raises(ProjectError, match="does not exist"):
        storage.load_project(tmp_path / "nowhere")


def test_newer_format_is_refused_and_file_untouched(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    text = json.dumps({"format": "studio.project", "schema_version": SCHEMA_VERSION + 1, "future": True})
    (root / "project.json").write_text(text, encoding="utf-8")
    with pytest.raises(ProjectTooNewError, match="newer Studio Lokal"):
        storage.load_project(root)
    assert (root / "project.json").read_text(encoding="utf-8") == text


def test_unknown_fields_are_kept_and_reported(tmp_path: Path) -> None:
    root = tmp_path / "p"
    storage.create_project(root, _sample())
    data = json.loads((root / "project.json").read_text(encoding="utf-8"))
    data["plugin_notes"] = {"a": 1}
    data["scenes"][1]["mood"] = "tenang"
    (root / "project.json").write_text(json.dumps(data), encoding="utf-8")
    result = storage.read_project(root)
    assert any("plugin_notes" in w for w in result.warnings)
    assert any("scenes.1.mood" in w for w in result.warnings)
    storage.save_project(root, result.project)
    again = json.loads((root / "project.json").read_text(encoding="utf-8"))
    assert again["plugin_notes"] == {"a": 1} and again["scenes"][1]["mood"] == "tenang"


def test_migration_runs_one_version_at_a_time_and_keeps_old_copy(tmp_path: Path, monkeypatch) -> None:
    """The scaffolding: a v1 file read by a v2 app is migrated, validated and its v1 kept."""
    calls: list[int] = []

    def v1_to_v2(data: dict) -> dict:
        calls.append(data["schema_version"])
        data["brief"]["notes"] = "migrated"
        return data

    root = tmp_path / "p"
    storage.create_project(root, _sample())
    monkeypatch.setattr(storage, "SCHEMA_VERSION", 2)
    monkeypatch.setattr("studio.core.project.SCHEMA_VERSION", 2)
    monkeypatch.setitem(storage.MIGRATIONS, 1, v1_to_v2)
    data, old = storage.migrate(json.loads((root / "project.json").read_text(encoding="utf-8")), current=2)
    assert calls == [1] and old == 1 and data["schema_version"] == 2 and data["brief"]["notes"] == "migrated"
    with pytest.raises(ProjectError, match="No migration"):
        storage.migrate({"schema_version": 1, "brief": {}}, current=3, migrations={1: v1_to_v2})
    # Through the real loader: the migrated project validates and the first save keeps the v1 file.
    project = storage.load_project(root)
    assert project.brief.notes == "migrated" and project.schema_version == 2
    storage.save_project(root, project)
    assert json.loads((root / "project.json.v1.bak").read_text(encoding="utf-8"))["schema_version"] == 1
    assert json.loads((root / "project.json").read_text(encoding="utf-8"))["schema_version"] == 2


@pytest.mark.parametrize("version_dir", sorted(p.name for p in FIXTURES.iterdir()) if FIXTURES.exists() else [])
def test_every_fixture_version_loads(version_dir: str) -> None:
    """One fixture project per schema version, kept forever."""
    project = storage.load_project(FIXTURES / version_dir)
    assert project.schema_version == SCHEMA_VERSION
    assert project.brief.title and project.scenes


def test_fixture_exists_for_current_version() -> None:
    assert (FIXTURES / f"v{SCHEMA_VERSION}" / "project.json").is_file()


def test_atomic_output_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    with pytest.raises(RuntimeError):
        with storage.atomic_output(target) as part:
            part.write_bytes(b"half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    with storage.atomic_output(target) as part:
        part.write_bytes(b"whole")
    assert target.read_bytes() == b"whole" and list(tmp_path.iterdir()) == [target]


def test_disk_full_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    import errno

    root = tmp_path / "p"
    project = storage.create_project(root, _sample())
    real_open = open

    def full(path, mode="r", *a, **k):
        if "w" in mode and str(path).endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, mode, *a, **k)

    monkeypatch.setattr("builtins.open", full)
    with pytest.raises(DiskFullError) as info:
        storage.save_project(root, project)
    monkeypatch.undo()
    assert "disk is full" in str(info.value) and "Disk penuh" in info.value.text("id")
    assert storage.load_project(root).brief.title == "Weton"


@pytest.mark.parametrize("rel", ["../x.png", "/etc/passwd", "images/../../x", "C:\\x.png", "", " images/a.png"])
def test_paths_outside_the_project_are_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(UnsafePathError):
        storage.resolve_in(tmp_path, rel)


def test_symlink_out_of_project_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "images").mkdir(parents=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    os.symlink(outside, root / "images" / "link.png")
    with pytest.raises(UnsafePathError):
        storage.resolve_in(root, "images/link.png")
    assert storage.resolve_in(root, "images/ok.png") == root / "images" / "ok.png"


@pytest.mark.parametrize("field,value", [
    ("image", "../../etc/passwd"),
    ("image", "/etc/passwd"),
    ("voice", "voice/../../outside.wav"),
    ("music", "C:\\\\Windows\\\\win.ini"),
])
def test_loading_refuses_paths_that_leave_the_project(tmp_path: Path, field: str, value: str) -> None:
    root = tmp_path / "p"
    storage.create_project(root, _sample())
    data = json.loads((root / "project.json").read_text(encoding="utf-8"))
    if field == "music":
        data["music"]["path"] = value
    elif field == "image":
        data["scenes"][0]["image"]["path"] = value
    else:
        data["scenes"][0]["voice"]["path"] = value
    (root / "project.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UnsafePathError) as info:
        storage.load_project(root)
    assert "outside" in str(info.value) and "luar" in info.value.text("id")


def test_loading_refuses_a_symlinked_asset_pointing_out(tmp_path: Path) -> None:
    root = tmp_path / "p"
    storage.create_project(root, _sample())
    (tmp_path / "secret.png").write_bytes(b"x")
    os.symlink(tmp_path / "secret.png", root / "images" / "a.png")
    with pytest.raises(UnsafePathError):
        storage.load_project(root)


@pytest.mark.parametrize("bad_id", ["../../evil", "a/b", "", "x" * 80, "sc 1", "..", "C:x"])
def test_scene_ids_cannot_smuggle_paths_into_file_names(tmp_path: Path, bad_id: str) -> None:
    """Scene ids end up in voice/<id>-….wav; a hand-edited id must not become a path."""
    root = tmp_path / "p"
    storage.create_project(root, _sample())
    data = json.loads((root / "project.json").read_text(encoding="utf-8"))
    data["scenes"][1]["id"] = bad_id
    (root / "project.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ProjectFormatError) as info:
        storage.load_project(root)
    assert info.value.field == "scenes.1.id"
