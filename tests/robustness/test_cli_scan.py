"""The scan (issue 21): every CLI command against a set of broken project folders built
here from the issue's cases. No output may contain "Traceback", every command ends with
an exit code (0, 1, 2 or 130) instead of an exception, and a failure is one line that a
creator can read. Renders are tiny (128×224, 10 fps) so the scan takes seconds."""

from __future__ import annotations

import json
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from studio.cli import main
from studio.core import storage
from studio.core.project import Cue, ImageAsset, Project, Scene


def _base(root: Path) -> dict[str, Any]:
    project = Project()
    project.brief.title, project.brief.region, project.brief.theme = "Tari Saman", "Aceh", "weton"
    project.scenes = [Scene(id="s1", narration="Tari Saman dari Aceh."), Scene(id="s2", narration="Gerak serempak.")]
    project.subtitles.cues = [Cue(start=0.5, end=2.0, text="Tari Saman dari Aceh.", scene_id="s1")]
    project.render.width, project.render.height, project.render.fps = 128, 224, 10
    project.render.title_seconds = project.render.end_seconds = 0.5
    storage.create_project(root, project)
    return json.loads((root / "project.json").read_text(encoding="utf-8"))


def _write(root: Path, data: dict[str, Any]) -> None:
    (root / "project.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _set(*path: Any, value: Any) -> Callable[[Path, dict[str, Any]], None]:
    def edit(root: Path, data: dict[str, Any]) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
        _write(root, data)
    return edit


def _bom(root: Path, data: dict[str, Any]) -> None:
    (root / "project.json").write_bytes(b"\xef\xbb\xbf" + (root / "project.json").read_bytes())


def _render_file(root: Path, data: dict[str, Any]) -> None:
    (root / "render").rmdir()
    (root / "render").write_text("not a folder")


def _folder_named(name: str) -> Callable[[Path, dict[str, Any]], None]:
    def edit(root: Path, data: dict[str, Any]) -> None:
        path = root / name
        if path.exists():
            path.unlink()
        path.mkdir()
    return edit


def _huge_png(root: Path, data: dict[str, Any]) -> None:
    Image.new("1", (14_000, 14_000)).save(root / "images" / "s1.png")  # 196 MP, Pillow refuses > 178 MP
    data["scenes"][0]["image"] = ImageAsset(path="images/s1.png", origin="own", width=1080,
                                            height=1920).model_dump(mode="json")
    _write(root, data)


def _truncated(root: Path, data: dict[str, Any]) -> None:
    raw = (root / "project.json").read_bytes()
    (root / "project.json").write_bytes(raw[: len(raw) // 2])


def _no_project(root: Path, data: dict[str, Any]) -> None:
    (root / "project.json").unlink()


CASES: dict[str, Callable[[Path, dict[str, Any]], None]] = {
    "duplicate-ids": _set("scenes", 1, "id", value="s1"),
    "title-huge": _set("brief", "title", value="x" * 100_000),
    "title-seconds-nan": _set("render", "title_seconds", value=float("nan")),
    "cue-end-infinity": _set("subtitles", "cues", 0, "end", value=float("inf")),
    "width-1e12": _set("render", "width", value=10**12),
    "music-1e308": _set("music", "level_db", value=1e308),
    "fps-negative": _set("render", "fps", value=-30),
    "x264-preset-bad": _set("render", "x264_preset", value="ludicrous"),
    "crf-bad": _set("render", "crf", value=99),
    "bom": _bom,
    "render-is-file": _render_file,
    "bak-is-folder": _folder_named("project.json.bak"),
    "ai-log-is-folder": _folder_named("ai_log.jsonl"),
    "huge-png": _huge_png,
    "truncated": _truncated,
    "no-project": _no_project,
}


def _commands(root: Path, tmp: Path) -> list[list[str]]:
    d = str(root)
    junk_zip = tmp / f"{root.name}.zip"
    with zipfile.ZipFile(junk_zip, "w") as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.stat().st_size < 10_000_000:
                zf.write(path, path.relative_to(root).as_posix())
    return [["status", d], ["check-project", d], ["run", "subtitles", d], ["run", "script", d],
            ["run", "voice", d, "--scene", "nope"], ["run", "music", d, "--scene", "nope"],
            ["run", "images", d], ["run", "voice", d], ["run", "music", d],
            ["render", d, "--draft"], ["export", d, "--draft"],
            ["check", str(root / "project.json"), "--preset", "ai-local-content-2025"],
            ["transcribe", str(root / "project.json"), "--language", "id", "--srt", str(tmp / "none" / "x.srt")],
            ["import-project", str(junk_zip), str(tmp / f"{root.name}-imported")], ["models", "list"]]


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_command_shows_a_traceback(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str],
                                      caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / case
    CASES[case](root, _base(root))
    for command in _commands(root, tmp_path):
        try:
            code = main(command)
        except BaseException:  # noqa: BLE001 - an escaping exception is the bug this scan finds
            pytest.fail(f"{case}: studio {' '.join(command)} raised:\n{traceback.format_exc()}")
        out = capsys.readouterr()
        text = out.out + out.err + caplog.text
        caplog.clear()
        assert "Traceback" not in text, (case, command, text)
        assert code in (0, 1, 2, 130), (case, command, code)
        if code == 2:
            last = out.err.strip().splitlines()[-1]
            assert last.startswith("error: ") and last.rstrip().endswith((".", ")")) or "usage:" in out.err, \
                (case, command, out.err)
            assert "unexpected" not in out.err.lower(), (case, command, out.err)  # a named reason, not the net
