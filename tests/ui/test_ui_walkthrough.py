"""The real window, driven by clicks, from a new project to an exported MP4.

Offline engines throughout (template script, placeholder images, espeak-ng voice,
faster-whisper with the bundled base model, gamelan music, our renderer). The "free"
preset and the 360×640 frame size (both chosen in the window) keep the export short;
two scenes are left after deleting the rest in the Naskah page. On the way, an export
is cancelled mid-render: no file, no .part, the window back to idle.
"""

from __future__ import annotations

import json

import av
from PySide6.QtCore import Qt
from ui_helpers import click, wait_job


def _choose(combo, data) -> None:  # noqa: ANN001
    idx = combo.findData(data)
    assert idx >= 0, f"{data!r} not offered"
    combo.setCurrentIndex(idx)


def test_new_project_to_exported_mp4(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    session = w.session
    assert w.windowTitle().startswith("Studio Lokal")

    # ---- Mulai: a new project in a folder of our choice, with the free preset
    start = w.pages["start"]
    shot(w, "01-mulai")
    folder = tmp_path / "tenun"
    qtbot.keyClicks(start.title_edit, "Tenun Ikat Sumba")
    qtbot.keyClicks(start.folder_edit, str(folder))
    _choose(start.preset_combo, "free")
    click(qtbot, start.create_button)
    assert (folder / "project.json").exists()
    assert w.current_key() == "brief"

    # ---- Ide: the brief, and the small frame size for a quick render
    brief = w.pages["brief"]
    assert brief.title_edit.text() == "Tenun Ikat Sumba"
    qtbot.keyClicks(brief.region_edit, "Sumba Timur, Nusa Tenggara Timur")
    _choose(brief.theme_combo, "kerajinan")
    qtbot.keyClicks(brief.facts_edit, "Motif kuda melambangkan kepahlawanan.")
    qtbot.keyClicks(brief.creator_edit, "Rambu Ana")
    qtbot.keyClicks(brief.agency_edit, "Dinas Kebudayaan Sumba Timur")
    _choose(brief.size_combo, "360x640")
    assert (session.project.render.width, session.project.render.height) == (360, 640)
    assert session.project.brief.key_facts == ["Motif kuda melambangkan kepahlawanan."]
    shot(w, "02-ide")
    click(qtbot, brief.next_bar.next_button)
    assert w.current_key() == "script"

    # ---- Naskah: generate, trim to two scenes, edit a line (logged as a human edit)
    script = w.pages["script"]
    click(qtbot, script.generate_button)
    assert wait_job(qtbot, w) == "ok"
    assert len(session.project.scenes) >= 3
    assert all(s.source == "template" for s in session.project.scenes)
    while len(script.cards) > 2:
        click(qtbot, script.cards[-1].remove_button)
    assert len(session.project.scenes) == 2
    card = script.cards[0]
    card.narration.moveCursor(card.narration.textCursor().MoveOperation.End)
    qtbot.keyClicks(card.narration, " Tenun ini dibuat dengan tangan.")
    assert session.project.scenes[0].narration.endswith("dengan tangan.")
    assert session.project.scenes[0].edited
    before = script.total_label.text()
    qtbot.keyClicks(card.narration, " Setiap helai benang dicelup pewarna alami berkali-kali.")
    assert script.total_label.text() != before, "the total estimate follows typing"
    shot(w, "03-naskah")
    click(qtbot, script.next_bar.next_button)
    assert w.current_key() == "images"

    # ---- Gambar
    images = w.pages["images"]
    click(qtbot, images.generate_button)
    assert wait_job(qtbot, w) == "ok"
    for scene in session.project.scenes:
        assert scene.image is not None and (folder / scene.image.path).exists()
    assert [c.badge.text() for c in images.cards] == ["Ilustrasi tanpa AI"] * 2
    _choose(images.cards[1].motion, "zoom_out")
    assert session.project.scenes[1].motion == "zoom_out"
    shot(w, "04-gambar")
    click(qtbot, images.next_bar.next_button)

    # ---- Suara
    voice = w.pages["voice"]
    assert w.current_key() == "voice"
    click(qtbot, voice.generate_button)
    assert wait_job(qtbot, w) == "ok"
    for scene in session.project.scenes:
        assert scene.voice is not None and scene.voice.duration > 1.0
    assert all(r.play_button.isEnabled() for r in voice.rows)
    shot(w, "05-suara")
    click(qtbot, voice.next_bar.next_button)

    # ---- Subtitle: Whisper, then click a cue: the preview seeks to it
    subs = w.pages["subtitles"]
    assert w.current_key() == "subtitles"
    click(qtbot, subs.transcribe_button)
    assert wait_job(qtbot, w, timeout=180_000) == "ok"
    cues = session.project.subtitles.cues
    assert len(cues) >= 2 and subs.table.rowCount() == len(cues)
    last = len(cues) - 1
    rect = subs.table.visualItemRect(subs.table.item(last, 2))
    qtbot.mouseClick(subs.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert abs(subs.preview.position() - cues[last].start) < 0.2
    qtbot.waitUntil(lambda: subs.preview.shown_t is not None
                    and abs(subs.preview.shown_t - subs.preview.position()) < 0.01, timeout=30_000)
    shot(w, "06-subtitle")
    click(qtbot, subs.next_bar.next_button)

    # ---- Musik
    music = w.pages["music"]
    assert w.current_key() == "music"
    click(qtbot, music.generate_button)
    assert wait_job(qtbot, w) == "ok"
    assert session.project.music.path and (folder / session.project.music.path).exists()
    shot(w, "07-musik")
    click(qtbot, music.next_bar.next_button)

    # ---- Pratinjau & Ekspor: cancel one export mid-render, then export for real
    export = w.pages["export"]
    assert w.current_key() == "export"
    render_dir = folder / "render"
    click(qtbot, export.export_button)
    qtbot.waitUntil(lambda: (w.job_bar.fraction() or 0) > 0.05, timeout=60_000)
    click(qtbot, w.job_bar.cancel_button)
    assert wait_job(qtbot, w) == "cancelled"
    assert not w.job_bar.isVisible()
    assert not session.busy and export.export_button.isEnabled()
    assert not list(render_dir.glob("*.mp4")) and not list(folder.rglob("*.part"))
    assert session.project.last_export is None

    click(qtbot, export.export_button)
    assert wait_job(qtbot, w, timeout=180_000) == "ok"
    last_export = session.project.last_export
    assert last_export is not None
    video = folder / last_export.video
    bundle = folder / last_export.folder
    assert video.exists() and (bundle / "laporan-ai.html").exists()
    assert not list(folder.rglob("*.part"))
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (360, 640)
        assert stream.codec_context.name == "h264"
        assert container.streams.audio
        seconds = float(container.duration / 1e6)
    assert abs(seconds - w.timeline().duration) < 0.5
    assert export.result.isVisible() and export.report_button.isEnabled()
    export.preview.seek(w.timeline().duration / 2)
    qtbot.waitUntil(lambda: export.preview.shown_t is not None
                    and abs(export.preview.shown_t - export.preview.position()) < 0.01, timeout=30_000)
    shot(w, "08-ekspor")

    # ▶ in the preview renders a quick draft, then plays it in the window.
    click(qtbot, export.preview.play_button)
    assert wait_job(qtbot, w) == "ok"
    assert session.draft_video is not None and session.draft_video.exists()
    qtbot.waitUntil(lambda: export.preview.stack.currentWidget() is not export.preview.view, timeout=10_000)
    export.preview.stop()

    # The AI log says the creator edited the generated script.
    records = [json.loads(line) for line in (folder / "ai_log.jsonl").read_text().splitlines()]
    edits = [r for r in records if r["actor"] == "human" and r["step"] == "script" and r["action"] == "edit"]
    assert [r["scene_id"] for r in edits] == [session.project.scenes[0].id]
    # The report opens in the window.
    click(qtbot, export.report_button)
    assert "AI" in export.report_dialog.browser.toPlainText()
    export.report_dialog.close()
