"""``studio check-project`` after a crash: stale steps, leftovers, a torn AI log; and the
AI log stays readable after a torn line (issue 8, point 1)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))

from render_fixtures import build_project

from studio.cli import main
from studio.core import ailog, storage
from studio.core.integrity import find_leftovers, inspect_folder
from studio.core.status import subtitles_inputs_hash, voice_inputs_hash


def inspect_folder_after_save(root: Path, project: object):
    storage.save_project(root, project)  # type: ignore[arg-type]
    return inspect_folder(root)


def _tree(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*"))}


def test_check_project_reports_stale_steps_leftovers_and_a_torn_log_without_writing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    project = build_project(root, voices=(1.0, 1.0), cues=True)
    # Voices made from the current text, then the creator edits scene 2: its voice is stale.
    for scene in project.scenes:
        assert scene.voice is not None
        scene.voice.inputs_hash = voice_inputs_hash(project, scene, scene.voice.engine)
    project.subtitles.inputs_hash = subtitles_inputs_hash(project)
    assert inspect_folder_after_save(root, project).stale_steps == []
    project.scenes[1].narration = "Teks yang baru saja diubah."
    storage.save_project(root, project)
    # What a kill leaves: a media part file, a half-assembled bundle folder, a save's tmp
    # file and a record cut short in the AI log.
    (root / "voice" / "scene-9.wav.part").write_bytes(b"RIFF")
    (root / "export" / ".tari-saman.part").mkdir(parents=True)
    (root / "export" / ".tari-saman.part" / "video.mp4").write_bytes(b"\0" * 10)
    (root / "project.json.tmp").write_text("{", encoding="utf-8")
    with open(root / ailog.LOG_FILE, "a", encoding="utf-8") as f:
        f.write('{"step":"voice","act')
    (root / "music").rmdir()  # a deleted step folder is reported by status, not recreated
    before = _tree(root)

    assert main(["check-project", str(root)]) == 0
    out = capsys.readouterr().out
    assert _tree(root) == before, "check-project must not change the folder"
    assert "voice      stale (1/2), stale: " + project.scenes[1].id in out
    assert "stale steps (run them again): voice, subtitles" in out
    assert "leftover partial file (safe to delete): voice/scene-9.wav.part" in out
    assert "leftover partial folder (safe to delete): export/.tari-saman.part/" in out
    assert "export/.tari-saman.part/video.mp4" not in out  # the folder is named once
    assert "leftover partial file (safe to delete): project.json.tmp" in out
    assert "ai_log.jsonl: 1 damaged line(s) skipped" in out
    assert out.rstrip().endswith("Project loads. 2 stale step(s). 3 leftover partial item(s).")

    report = inspect_folder(root)
    assert report.stale_steps == ["voice", "subtitles"] and report.damaged_log_lines == 1
    assert find_leftovers(root) == ["export/.tari-saman.part/", "project.json.tmp", "voice/scene-9.wav.part"]


@pytest.mark.parametrize("content, reason", [
    (b"{\"format\": \"studio.project\", \"schema_version\": 1, \"scenes\": [", "line"),
    (b"", "project.json"),
    (b"\xff\xfe not utf-8", "UTF-8"),
])
def test_check_project_that_cannot_load_exits_2_with_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str) -> None:
    root = tmp_path / "p"
    build_project(root, voices=(1.0,))
    (root / "project.json").write_bytes(content)
    assert main(["check-project", str(root)]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert reason in err
    assert "Traceback" not in err and captured.out == ""


def test_check_project_on_a_folder_that_is_not_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-project", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()
    assert main(["check-project", str(tmp_path)]) == 2
    assert "not a Studio Lokal project folder" in capsys.readouterr().err


def test_a_record_after_a_torn_line_is_not_lost(tmp_path: Path) -> None:
    """A crash mid-append leaves a line without its newline; the next record must start on
    its own line, or it is glued onto the torn one and skipped with it."""
    first = ailog.AiRecord(step="images", action="generate", actor="ai", engine="image.x", tool="X")
    ailog.append(tmp_path, first)
    with open(tmp_path / ailog.LOG_FILE, "a", encoding="utf-8") as f:
        f.write(json.dumps(first.model_dump(mode="json"))[:40])  # torn, no newline
    second = ailog.AiRecord(step="voice", action="generate", actor="ai", engine="voice.y", tool="Y")
    ailog.append(tmp_path, second)
    ailog.append(tmp_path, second)
    records = ailog.read(tmp_path)
    assert [r.step for r in records] == ["images", "voice", "voice"]
    assert (tmp_path / ailog.LOG_FILE).read_bytes().endswith(b"}\n")
