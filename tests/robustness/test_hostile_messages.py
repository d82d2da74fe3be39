"""Misleading or missing messages under hostile input (issue 21 #7, #8, #10, #12, #13, #14),
each on a real file or process: the sentence says what is really wrong, before the work."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from studio.cli import main
from studio.core import storage
from studio.core.errors import MediaError
from studio.core.jobs import JobContext
from studio.core.project import Cue, ImageAsset, Project, Scene
from studio.core.rules.project import check_project_facts
from studio.core.settings import load_settings, settings_path
from studio.pipeline.subtitles.files import read_subtitles

ROOT = Path(__file__).resolve().parents[2]
SRT = "1\n00:00:01,000 --> 00:00:02,500\n<b>Tari</b> <font color=\"#ff0\">Saman</font>\n\n" \
      "2\n00:00:03,000 --> 00:00:04,000\n{\\an8}dari Aceh\n"


def _project(root: Path, **render: object) -> Project:
    project = Project()
    project.brief.title, project.brief.region = "Tari Saman", "Aceh"
    project.scenes = [Scene(id="s1", narration="Tari Saman dari Aceh."), Scene(id="s2", narration="Gerak.")]
    for name, value in render.items():
        setattr(project.render, name, value)
    storage.create_project(root, project)
    return project


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_srt_in_any_notepad_encoding_is_read_and_tags_are_dropped(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "sub.srt"
    path.write_bytes(SRT.encode(encoding))
    cues = read_subtitles(path)
    assert [c.text for c in cues] == ["Tari Saman", "dari Aceh"]  # no literal <b>/<font>/{\an8}


def test_overlapping_and_flash_cues_are_named_at_export(tmp_path: Path) -> None:
    from studio.core.presets import get_preset
    from studio.core.timeline import build_timeline

    project = _project(tmp_path)
    project.subtitles.cues = [Cue(start=0.5, end=3.0, text="satu"), Cue(start=2.0, end=4.0, text="dua"),
                              Cue(start=5.0, end=5.014, text="tiga")]
    findings = check_project_facts(project, get_preset(project.preset), timeline=build_timeline(project),
                                   ai_steps=set())
    timing = [f for f in findings if f.rule == "subtitles.timing"]
    assert timing and not timing[0].passed and timing[0].severity == "warn"
    assert "1 overlap" in timing[0].message_en.replace("cue(s) 1 overlap", "1 overlap")
    assert "3" in timing[0].message_id and "bertumpuk" in timing[0].message_id


@pytest.mark.parametrize("step", ["voice", "subtitles", "music", "images"])
def test_unknown_scene_is_refused_and_nothing_is_erased(tmp_path: Path, step: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path)
    assert main(["run", "voice", str(tmp_path)]) == 0
    capsys.readouterr()
    before = (tmp_path / "project.json").read_bytes()
    assert main(["run", step, str(tmp_path), "--scene", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no scene nope" in err and "s1, s2" in err
    assert (tmp_path / "project.json").read_bytes() == before


def test_transcribe_checks_the_output_before_transcribing(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path)
    assert main(["run", "voice", str(tmp_path)]) == 0
    wav = next((tmp_path / "voice").glob("*.wav"))
    capsys.readouterr()
    for out, said in ((tmp_path / "missing" / "x.srt", "does not exist"), (tmp_path, "is a folder")):
        assert main(["transcribe", str(wav), "--language", "id", "--srt", str(out)]) == 2
        captured = capsys.readouterr()
        assert said in captured.err and "Transcribe" not in captured.err  # refused before any work


def test_read_only_model_folder_is_one_sentence(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(ro), str(ro)], capture_output=True).returncode == 0 and \
        subprocess.run(["mount", "-o", "remount,ro,bind", str(ro)], capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("needs root to make a read-only bind mount")
    try:
        _project(tmp_path / "P")
        assert main(["run", "voice", str(tmp_path / "P")]) == 0
        wav = next((tmp_path / "P" / "voice").glob("*.wav"))
        env = {k: v for k, v in os.environ.items() if k not in ("STUDIO_HOME", "STUDIO_MODELS_DIR")}
        env.update(HOME=str(ro), PYTHONPATH=str(ROOT), XDG_DATA_HOME=str(ro / "data"))
        done = subprocess.run([sys.executable, "-m", "studio", "transcribe", str(wav), "--language", "id"],
                              capture_output=True, text=True, env=env, timeout=120)
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "STUDIO_MODELS_DIR" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_settings_numbers_fall_back_to_default_with_a_note(caplog: pytest.LogCaptureFixture) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"llm": {"timeout": -5, "model": "m"}, "torch_threads": 10**9}))
    try:
        with caplog.at_level(logging.WARNING):
            settings = load_settings()
    finally:
        path.unlink()
    assert settings.llm.timeout == 120.0 and settings.torch_threads == 1 and settings.llm.model == "m"
    assert "llm.timeout" in caplog.text and "default" in caplog.text


def test_huge_picture_swapped_in_is_a_sentence_at_render(tmp_path: Path) -> None:
    from studio.pipeline.render.renderer import render_video

    project = _project(tmp_path, width=128, height=224, fps=10, title_seconds=0.5, end_seconds=0.5)
    Image.new("1", (14_000, 14_000)).save(tmp_path / "images" / "s1.png")
    project.scenes[0].image = ImageAsset(path="images/s1.png", origin="own", width=1080, height=1920)
    storage.save_project(tmp_path, project)
    with pytest.raises(MediaError) as caught:
        render_video(project, tmp_path, tmp_path / "render" / "x.mp4", JobContext("render"), draft=True)
    assert "scene 1" in str(caught.value) and "images/s1.png" in str(caught.value)
    assert "Gambar adegan 1" in caught.value.text("id")


def test_garbage_pem_names_the_file_before_the_render(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("c2pa")
    _project(tmp_path)
    (tmp_path / "cert.pem").write_text("garbage")
    (tmp_path / "key.pem").write_text("garbage")
    assert main(["export", str(tmp_path), "--sign", str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")]) == 2
    err = capsys.readouterr().err
    assert "cert.pem" in err and "PEM" in err and "http" not in err, err
    assert not list((tmp_path / "render").glob("*.mp4"))  # refused before rendering


def test_editors_cap_text_at_the_project_limits(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    from studio.core.validate import TEXT_LIMITS
    from studio.ui.widgets.limits import limit_line, limit_plain

    line, plain = QLineEdit(), QPlainTextEdit()
    qtbot.addWidget(line)
    qtbot.addWidget(plain)
    limit_line(line, "Brief.title")
    limit_plain(plain, "Scene.narration")
    line.setText("x" * 10_000_000)
    plain.setPlainText("kata " * 200_000)
    assert len(line.text()) == TEXT_LIMITS["Brief.title"]
    assert len(plain.toPlainText()) == TEXT_LIMITS["Scene.narration"] and "5.000" in plain.toolTip()
