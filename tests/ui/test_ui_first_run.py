"""Issue 16, a creator's first session: the checklist tells the truth about placeholder art,
every action says what happened, and one button runs every step."""

from __future__ import annotations

from pathlib import Path

from studio.core import storage
from studio.core.project import Brief, ImageAsset, Project, Scene
from ui_helpers import click, settle


def _placeholder_project(folder: Path) -> Path:
    project = Project(preset="ai-local-content-2025",
                      brief=Brief(title="Weton", region="Yogyakarta", theme="weton",
                                  creator="Sri", agency="Dinas"))
    project.scenes = [Scene(narration=f"Kalimat adegan {i}.") for i in range(3)]
    storage.create_project(folder, project)
    for i in (0, 2):
        project.scenes[i].image = ImageAsset(path=f"images/{i}.png", origin="generated",
                                             engine="image.placeholder")
    storage.save_project(folder, project)
    return folder


def test_checklist_names_placeholder_scenes_and_offers_the_model_download(window, qtbot, tmp_path):  # noqa: ANN001
    w = window
    assert w.open_project(_placeholder_project(tmp_path / "p"))
    w.go("export")
    page = w.pages["export"]
    (row,) = [r for r in page.rows if r.finding.rule == "images.placeholder"]
    assert not row.finding.passed and "Adegan 1, 3" in row.finding.text("id")
    click(qtbot, row.models_button)
    settle(w)
    assert page.models_dialog.isVisible()
    page.models_dialog.close()


TECHNICAL = ("script.", "image.", "voice.", "transcribe.", "diffusers", "VAE", "TAESD", "int8",
             "OpenAI-compatible", "streaming", "keyring", "STUDIO_MODELS_DIR", "transformers",
             "model card", "(LLM)")


def _plain_words(widget) -> list[str]:  # noqa: ANN001
    """Every text a creator reads first in ``widget``: labels, boxes, tabs and choices, without
    the small grey technical names set beside them."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTabWidget

    out: list[str] = []
    for lab in widget.findChildren(QLabel):
        if lab.property("role") != "small" and lab.text():
            out.append(re.sub(r"<small[^>]*>.*?</small>", "", lab.text()))
    out += [b.text() for b in widget.findChildren(QAbstractButton) if b.text()]
    for combo in widget.findChildren(QComboBox):
        out += [combo.itemText(i) for i in range(combo.count())
                if combo.itemData(i) not in ("", None) or combo.itemText(i)]
    for tabs in widget.findChildren(QTabWidget):
        out += [tabs.tabText(i) for i in range(tabs.count())]
    return out


def test_settings_speak_plain_words_first(window, qtbot):  # noqa: ANN001
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    import re

    shown = [t for t in _plain_words(dialog) if "/" not in t]  # paths are the creator's own
    for text in shown:
        plain = re.sub(r"\([^)]*\)", "", text)  # "Cepat (int8)": the name after the plain words
        for word in TECHNICAL:
            assert word not in plain, (word, text)
    assert any(t.startswith("Cepat (int8)") for t in shown)
    image = dialog.engine_combos["image"]
    assert image.itemText(image.findData("image.placeholder")) == "Ilustrasi sementara, tanpa AI"
    assert dialog.engine_keys["image"].text() == image.currentData()  # the key, small beside it
    dialog.reject()


def test_model_manager_offers_check_not_download_again_for_a_model_that_is_here(window, qtbot):  # noqa: ANN001
    from studio.engines.models.catalog import get_spec
    from studio.ui.models_dialog import ModelsDialog

    dialog = ModelsDialog(window, window.session.settings)
    qtbot.addWidget(dialog)
    dialog.show()
    here = next(st for st in dialog.statuses if st.present)
    dialog.select(here.spec.id)
    assert dialog.download_button.text() == "Unduh lagi"
    assert dialog.download_button.property("role") != "primary"
    assert dialog.verify_button.property("role") == "primary"
    missing = next(st for st in dialog.statuses if not st.present and st.spec.repo)
    dialog.select(missing.spec.id)
    assert dialog.download_button.property("role") == "primary"
    dialog.select("piper-id-news-tts-medium")
    assert "tidak disebutkan di kartu modelnya" in dialog.detail_text.text()
    assert "model card" not in dialog.detail_text.text()
    assert get_spec("piper-id-news-tts-medium").licence.startswith("not stated")  # the log keeps the source
    dialog.close()


def test_placeholder_card_names_no_model_and_engines_have_plain_names(window, qtbot, tmp_path):  # noqa: ANN001
    w = window
    assert w.open_project(_placeholder_project(tmp_path / "p"))
    project = w.session.project
    project.scenes[0].image.model = "placeholder v1"
    w.go("images")
    page = w.pages["images"]
    card = page.cards[0]
    card.update_view()
    assert "placeholder" not in card.state.text()
    assert page.engine_label.text() == "Mesin gambar: Ilustrasi sementara, tanpa AI"
    w.apply_language("en")
    try:
        w.go("images")
        assert w.pages["images"].engine_label.text() == "Image engine: Placeholder art, no AI"
    finally:
        w.apply_language("id")


# ------------------------------------------------------------------ #9 feedback for every action


def _tone(path: Path, seconds: float = 3.0) -> Path:
    from ui_helpers import tone_wav

    return tone_wav(path, seconds)


def test_playback_starts_where_the_creator_scrubbed_to(qtbot, qapp, tmp_path):  # noqa: ANN001
    from studio.ui.widgets.media import Player

    player = Player()
    seen: list[float] = []
    player.positionChanged.connect(seen.append)
    player.play(_tone(tmp_path / "a.wav"), start=1.5)
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=10_000)
    player.stop()
    qtbot.waitUntil(lambda: not player.playing, timeout=5000)
    player.dispose()
    assert 1.4 <= seen[0] < 2.5, seen[:5]


def test_play_without_a_sound_device_says_so(window, qtbot, tmp_path):  # noqa: ANN001
    import pytest

    from studio.ui.widgets.media import output_devices

    if output_devices():
        pytest.skip("this machine has a sound device, so the no-device message cannot appear here; "
                    "CI's machine has none, and the test runs there")
    w = window
    assert w.open_project(_placeholder_project(tmp_path / "p"))
    _tone(tmp_path / "p" / "music" / "bed.wav", 1.0)
    w.session.project.music.path = "music/bed.wav"
    w.go("music")
    page = w.pages["music"]
    page.refresh("all")
    click(qtbot, page.play_button)
    assert "Tidak ada perangkat suara" in w.statusBar().currentMessage()
    page.player.stop()


def test_open_folder_without_a_file_manager_says_so(window, qtbot, tmp_path, monkeypatch):  # noqa: ANN001
    from studio.core.project import ExportRecord

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no xdg-open, no file manager
    w = window
    folder = _placeholder_project(tmp_path / "p")
    assert w.open_project(folder)
    (folder / "export" / "v1").mkdir(parents=True)
    (folder / "export" / "v1" / "video.mp4").write_bytes(b"")
    w.session.project.last_export = ExportRecord(folder="export/v1", video="export/v1/video.mp4")
    w.go("export")
    page = w.pages["export"]
    page.refresh("all")
    click(qtbot, page.open_folder_button)
    assert page.open_notice is not None and page.open_notice.isVisible()
    assert "pengelola berkas" in page.open_notice.message and str(folder / "export" / "v1") in page.open_notice.message
    page.open_notice.accept()


def test_export_is_disabled_with_the_reason_beside_it(window, qtbot, tmp_path):  # noqa: ANN001
    w = window
    assert w.open_project(_placeholder_project(tmp_path / "p"))
    w.go("export")
    page = w.pages["export"]
    settle(w)
    assert not page.export_button.isEnabled()
    assert page.export_reason.isVisible() and page.export_reason.text().startswith("Belum bisa diekspor: ")
    w.actions_by_name["export"].trigger()  # Ctrl+E does not start what cannot pass
    assert not w.session.busy and w.last_error is None
    assert w.statusBar().currentMessage().startswith("Belum bisa diekspor")


def test_an_expected_refusal_leaves_no_traceback(qtbot, qapp, caplog):  # noqa: ANN001
    from studio.core.errors import ExportBlocked
    from studio.ui.jobs import JobRunner

    def refuse(_ctx):  # noqa: ANN001, ANN202
        raise ExportBlocked("Export is blocked.", "Ekspor diblokir.", [])

    runner = JobRunner(refuse, "export")
    with qtbot.waitSignal(runner.failed, timeout=10_000):
        runner.start()
    assert not [r for r in caplog.records if r.exc_info]


def test_music_page_says_when_it_is_done(window, qtbot, tmp_path):  # noqa: ANN001
    from ui_helpers import wait_job

    w = window
    assert w.open_project(_placeholder_project(tmp_path / "p"))
    w.go("music")
    page = w.pages["music"]
    click(qtbot, page.generate_button)
    assert page.done_label.text() == "Membuat musik…"
    assert wait_job(qtbot, w) == "ok"
    assert page.done_label.isVisible()
    assert page.done_label.text().startswith("✓ Musik selesai dibuat: ")


# ------------------------------------------------------------------ #11 one button, and the launch


def test_run_all_steps_runs_what_is_missing_in_the_cli_order_with_one_bar(window, qtbot, tmp_path):  # noqa: ANN001
    from studio.pipeline import steps

    w = window
    folder = _placeholder_project(tmp_path / "p")
    assert w.open_project(folder)
    w.session.project.scenes[0].image = None  # a fresh draft: only scene texts
    w.session.project.scenes[2].image = None
    started: list[str] = []
    titles: list[str] = []
    fractions: list[float] = []
    w.run_all.stepStarted.connect(lambda _i, _n, step: started.append(step))
    w.job_bar.bar.valueChanged.connect(lambda v: fractions.append(v / 1000))
    w.session.jobStarted.connect(lambda _r: titles.append(w.job_bar.title.text()))
    with qtbot.waitSignal(w.run_all.finished, timeout=600_000) as done:
        click(qtbot, w.run_all_button)
        assert not w.run_all_button.isEnabled()
    assert done.args == ["ok"]
    assert started == ["images", "voice", "subtitles", "music"]  # the script is there already
    assert started == [s for s in steps.STEP_ORDER if s in started]
    assert titles[0] == "Semua langkah 1/4: Gambar" and titles[-1] == "Semua langkah 4/4: Musik"
    assert fractions == sorted(fractions) and fractions[-1] > 0.75  # one bar, only forward
    project = w.session.project
    assert all(s.image and s.voice for s in project.scenes) and project.subtitles.cues and project.music.path
    assert not any(steps.needs_run(s, project) for s in steps.STEP_ORDER)
    assert w.current_key() == "export" and not w.job_bar.isVisible()
    # Nothing left to do: it says so instead of starting anything.
    click(qtbot, w.run_all_button)
    assert not w.session.busy and "Semua langkah sudah selesai" in w.statusBar().currentMessage()


def test_run_all_cancel_stops_the_chain_and_keeps_what_finished(window, qtbot, tmp_path):  # noqa: ANN001
    w = window
    assert w.open_project(_placeholder_project(tmp_path / "p"))
    for scene in w.session.project.scenes:
        scene.image = None
    w.session.project.scenes.extend(w.session.project.scenes[0].model_copy(update={"id": f"x{i}"})
                                    for i in range(6))
    # Cancel once Gambar is under way (right after its job starts), not when an image appears: the
    # step applies its pictures at its end, so on a loaded machine the chain was already in
    # Suara by then and the cancel kept a finished voice.
    from PySide6.QtCore import QTimer

    def cancel_in_images(_index: int, _total: int, step: str) -> None:
        if step == "images":
            QTimer.singleShot(0, w.job_bar.cancel)

    w.run_all.stepStarted.connect(cancel_in_images)
    with qtbot.waitSignal(w.run_all.finished, timeout=120_000) as done:
        assert w.run_all_steps()
    assert done.args == ["cancelled"]
    assert not w.session.busy and not w.job_bar.isVisible()
    assert all(s.voice is None for s in w.session.project.scenes)  # the chain stopped at Gambar
    assert w.run_all_button.isEnabled()


def test_launch_reopens_the_last_project_and_offers_recovery_of_another(qtbot, qapp, tmp_path):  # noqa: ANN001
    from studio.core.settings import load_settings, save_settings
    from studio.ui.app import create_app
    from studio.ui.window.main import MainWindow

    last = _placeholder_project(tmp_path / "last")
    crashed = _placeholder_project(tmp_path / "crashed")
    unsaved = storage.load_project(crashed)
    unsaved.brief.title = "Judul yang belum tersimpan"
    import os
    import time

    storage.atomic_write_text(crashed / storage.AUTOSAVE_FILE, storage.dump_project(unsaved))
    later = time.time() + 5
    os.utime(crashed / storage.AUTOSAVE_FILE, (later, later))
    settings = load_settings()
    settings.recent_projects = [str(last.resolve()), str(crashed.resolve())]
    save_settings(settings)
    create_app([])
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.at_launch()
    assert w.session.is_open and w.session.root.resolve() == last.resolve()
    assert w.current_key() != "start"
    assert w.recovery_banner.isVisible() and "crashed" in w.recovery_banner.text.text()
    restore = next(b for b in w.recovery_banner.buttons() if b.text() == "Buka dan pulihkan")
    click(qtbot, restore)
    assert w.session.root.resolve() == crashed.resolve()
    assert w.session.project.brief.title == "Judul yang belum tersimpan"
    assert storage.load_project(crashed).brief.title == "Judul yang belum tersimpan"  # saved
    w.session.close_project()


# ------------------------------------------------------------------ #6 a voice Whisper cannot understand


def test_voice_page_flags_a_voice_whisper_could_hardly_understand(window, qtbot, tmp_path, monkeypatch):  # noqa: ANN001
    from studio.core import ailog
    from studio.core.project import VoiceAsset
    from studio.ui import dialogs

    folder = _placeholder_project(tmp_path / "p")
    project = storage.load_project(folder)
    for i, scene in enumerate(project.scenes):
        scene.voice = VoiceAsset(path=f"voice/{i}.wav", origin="tts", engine="voice.espeak",
                                 sha256=f"sha{i}", duration=2.0)
    storage.save_project(folder, project)
    ailog.append(folder, ailog.AiRecord(
        step="subtitles", action="transcribe", actor="ai", engine="transcribe.faster_whisper",
        params={"agreement": {s.id: a for s, a in zip(project.scenes, (0.1, 0.9, 0.33))}},
        inputs={f"voice:{s.id}": s.voice.sha256 for s in project.scenes}))
    w = window
    assert w.open_project(folder)
    w.go("voice")
    page = w.pages["voice"]
    settle(w)
    assert page.clarity_card.isVisible()
    text = page.clarity_text.text()
    assert "Suara sulit dipahami di adegan 1, 3" in text and "10 %–33 %" in text
    assert page.rows[0].state.text() == "⚠ Suara sulit dipahami: Whisper mengenali 10 % kata."
    assert page.rows[1].state.text() == ""
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text, *_a, **_k: asked.append(text) or False)
    click(qtbot, page.clarity_download_button)
    assert asked and "Piper" in asked[0]  # the neural voice, offered with its size and licence
    assert page.clarity_record_button.isVisible()


def test_script_page_warns_gently_about_a_nonsense_brief(window, qtbot, tmp_path):  # noqa: ANN001
    w = window
    folder = _placeholder_project(tmp_path / "p")
    project = storage.load_project(folder)
    project.brief.title = project.brief.theme = "xyzzy plugh"
    for scene in project.scenes:
        scene.image = None
    storage.save_project(folder, project)
    assert w.open_project(folder)
    w.go("script")
    page = w.pages["script"]
    page.refresh("all")
    assert page.banner.isVisible() and page.banner.text.text().startswith("Brief ini belum jelas: “xyzzy plugh”")
    w.session.project.brief.title = "Weton"
    w.session.project.brief.theme = "weton"
    page.refresh("all")
    assert not page.banner.isVisible() or "belum jelas" not in page.banner.text.text()


# ------------------------------------------------------------------ #10 layout on small screens and in F11


def _pictured_project(folder: Path, *, landscape: bool = False, cues: int = 0) -> Path:
    from studio.core.project import Cue
    from studio.core.status import subtitles_inputs_hash
    from studio.engines.base import ImageRequest
    from studio.engines.image.placeholder import render

    size = (1920, 1080) if landscape else (1080, 1920)
    project = Project(preset="ai-local-content-2025",
                      brief=Brief(title="Weton", region="Yogyakarta", theme="weton", creator="Sri", agency="Dinas"))
    project.render.width, project.render.height = size
    project.scenes = [Scene(narration=f"Kalimat adegan nomor {i}.", on_screen_text=f"Judul {i}") for i in range(8)]
    storage.create_project(folder, project)
    for i, scene in enumerate(project.scenes):
        render(ImageRequest(prompt="x", width=size[0] // 4, height=size[1] // 4, seed=i, title=scene.on_screen_text,
                            index=i)).save(folder / "images" / f"{i}.png")
        scene.image = ImageAsset(path=f"images/{i}.png", origin="generated", engine="image.placeholder",
                                 model="placeholder v2", width=size[0] // 4, height=size[1] // 4)
    project.subtitles.cues = [Cue(start=3 + 2 * k, end=4.8 + 2 * k, text=f"Baris subtitle nomor {k}")
                              for k in range(cues)]
    project.subtitles.inputs_hash = subtitles_inputs_hash(project)
    storage.save_project(folder, project)
    return folder


def test_sample_project_button_is_above_the_fold_at_1024x600(window, qtbot, shot):  # noqa: ANN001
    w = window
    w.resize(1024, 600)
    settle(w)
    assert w.width() == 1024  # no page asks for more room than a 1024-pixel screen has
    button_ = w.pages["start"].demo_button
    visible = button_.visibleRegion().boundingRect()
    assert visible.size() == button_.size(), "the sample-project button is cut off or scrolled away"
    assert button_.mapTo(w, button_.rect().bottomLeft()).y() < 600
    shot(w, "10-mulai-1024x600")


def test_image_grid_never_overflows_sideways(window, qtbot, tmp_path, shot):  # noqa: ANN001
    w = window
    for landscape in (False, True):
        assert w.open_project(_pictured_project(tmp_path / f"p{landscape}", landscape=landscape))
        w.go("images")
        page = w.pages["images"]
        for size in ((1024, 600), (1366, 768), (1920, 1080)):
            w.resize(*size)
            qtbot.waitUntil(lambda: all(not c.picture.pixmap().isNull() for c in page.cards), timeout=20_000)
            settle(w)
            bar = page.scroll.horizontalScrollBar()
            assert bar.maximum() == 0, (landscape, size, page._cols)
            assert (w.width(), w.height()) == size  # no page of an open project needs more
            assert page._cols >= (2 if size[0] >= 1366 else 1)
            shot(w, f"10-gambar-{'lanskap' if landscape else 'tegak'}-{size[0]}x{size[1]}")


def test_f11_subtitle_table_shows_many_rows(window, qtbot, tmp_path, shot):  # noqa: ANN001
    w = window
    assert w.open_project(_pictured_project(tmp_path / "p", cues=30))
    w.toggle_presentation()
    try:
        w.resize(1366, 768)
        w.go("subtitles")
        page = w.pages["subtitles"]
        settle(w)
        table = page.table
        rows = [r for r in range(table.rowCount())
                if table.viewport().rect().contains(table.visualRect(table.model().index(r, 0)))]
        shot(w, "10-subtitle-f11")
        assert w.height() <= 768 and len(rows) >= 8, (w.height(), len(rows), page.banner.isVisible())
    finally:
        w.toggle_presentation()
