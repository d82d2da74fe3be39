"""Issue 15 in the window: the Gambar & Video page takes the creator's own clips.

A real short clip (``tests/pipeline/clip_samples.py``) comes in through "Video…"; its card
shows a strip of decoded frames; in/out (frame steps), sound, fit, speed and "shorter than
the scene" change the project's ClipAsset through ``pipeline.images.clips.edit_clip``. A
clip and a photo dropped from the file manager (file URLs) land on their scenes. Badges say
"Rekaman sendiri", "AI: <tool>" or "AI Studio Lokal". A screenshot of one clip card and one
still card at 1366×768 is saved for review.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from ui_helpers import click, new_project_with_scenes, wait_job

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))

from clip_samples import clip as sample_clip  # noqa: E402

from studio.core import ailog  # noqa: E402
from studio.core.project import ImageAsset  # noqa: E402
from studio.ui import dialogs, texts  # noqa: E402
from studio.ui.widgets.clip_panel import frame_clock, parse_frame_clock  # noqa: E402


def _drop(widget, path: Path) -> bool:  # noqa: ANN001
    """Drag ``path`` from a file manager onto ``widget`` and drop it; True if the drop was taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    enter = QDragEnterEvent(QPoint(int(pos.x()), int(pos.y())), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def _luma(pixmap) -> int:  # noqa: ANN001 - QPixmap
    """The brightness at the middle of a shown frame (the counter clip's frame number)."""
    im = pixmap.toImage().convertToFormat(pixmap.toImage().Format.Format_RGBA8888)
    rgba = Image.frombytes("RGBA", (im.width(), im.height()), bytes(im.constBits()))
    return rgba.convert("L").getpixel((im.width() // 2, im.height() // 2))


def test_frame_clock_round_trip() -> None:
    assert frame_clock(0, 30) == "00:00,00"
    assert frame_clock(30 * 65 + 12, 30) == "01:05,12"
    assert parse_frame_clock("01:05,12", 30) == 30 * 65 + 12
    assert parse_frame_clock("2,5", 30) == 65
    assert parse_frame_clock("0:01,30", 30) is None  # frame 30 does not exist in a 30 fps second
    assert parse_frame_clock("satu", 30) is None


def test_clip_card_strip_settings_drop_and_badges(window, qtbot, tmp_path, monkeypatch, shot) -> None:  # noqa: ANN001
    w = window
    folder = tmp_path / "tumpeng"
    new_project_with_scenes(qtbot, w, folder, 3)
    session = w.session
    w.go("images")
    page = w.pages["images"]
    assert page.title.text() == "Gambar & Video"
    assert "Gambar & Video" in w.step_list.item(3).text()

    # "Video…" on scene 1: a real 2.5 s H.264 clip with sound (30 fps, frame N has luma 16 + 3N).
    src = sample_clip("counter")
    picked = [src]
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: picked.pop(0))
    card = page.cards[0]
    click(qtbot, card.video_button)
    assert wait_job(qtbot, w) == "ok"
    clip = session.project.scenes[0].clip
    assert clip is not None and clip.has_audio and abs(clip.duration - 2.5) < 0.1
    card = page.cards[0]
    assert not card.clip_panel.isHidden() and card.prompt.isHidden() and card.motion_row.isHidden()
    assert card.badge.text() == "Rekaman sendiri"
    # The strip: frames decoded off the GUI thread, brighter along the clip (the counter ramps up).
    qtbot.waitUntil(lambda: page.cards[0].clip_panel.strip_filled() == 5, timeout=30_000)
    lumas = [_luma(c.pixmap()) for c in page.cards[0].clip_panel.frames]
    assert lumas == sorted(lumas) and lumas[-1] - lumas[0] > 60, lumas

    panel = page.cards[0].clip_panel
    assert panel.in_spin.text() == "00:00,00" and panel.out_spin.text().startswith("00:02,")
    # In point: 15 single-frame steps (frame-accurate scrubbing) = 0.5 s.
    for _ in range(15):
        panel.in_spin.stepUp()
    assert abs(session.project.scenes[0].clip.start - 0.5) < 1e-6
    assert page.cards[0].clip_panel.in_spin.text() == "00:00,15"
    # The large picture follows the handle: frame 15 at the in point.
    qtbot.waitUntil(lambda: (page.cards[0]._strip_shown or (0,) * 5)[4] == 0.5, timeout=30_000)
    at_in = _luma(page.cards[0].picture.pixmap())
    # Out point typed as mm:ss,ff.
    panel = page.cards[0].clip_panel
    panel.out_spin.lineEdit().selectAll()
    qtbot.keyClicks(panel.out_spin.lineEdit(), "00:02,00")
    qtbot.keyClick(panel.out_spin.lineEdit(), Qt.Key.Key_Return)
    assert abs(session.project.scenes[0].clip.end - 2.0) < 1e-6
    # ... and the last frame before the out point (frame 59) once the out point moved.
    qtbot.waitUntil(lambda: (page.cards[0]._strip_shown or (0,) * 5)[4] > 1.9, timeout=30_000)
    at_out = _luma(page.cards[0].picture.pixmap())
    assert at_out - at_in > 100, (at_in, at_out)
    # Sound, fit, speed and "shorter than the scene".
    panel = page.cards[0].clip_panel
    assert [panel.audio.itemText(i) for i in range(3)] == ["Bisukan", "Pertahankan", "Rendahkan di bawah narasi"]
    assert panel.audio.currentData() == "duck"
    for combo, value in ((panel.audio, "mute"), (panel.fit, "blur"), (panel.short, "slow")):
        combo.setCurrentIndex(combo.findData(value))
        combo.activated.emit(combo.currentIndex())
        panel = page.cards[0].clip_panel
    panel.speed.setValue(1.5)
    clip = session.project.scenes[0].clip
    assert (clip.audio, clip.fit, clip.short, clip.speed) == ("mute", "blur", "slow", 1.5)
    assert "tahan bingkai terakhir (bawaan)" in page.cards[0].clip_panel.default_note.text()
    # The strip follows the new in/out (0.5-2.0 s: darker end frames are gone).
    qtbot.waitUntil(lambda: page.cards[0]._strip_shown is not None
                    and page.cards[0]._strip_shown[2:4] == (0.5, 2.0), timeout=30_000)

    # A clip dropped from the file manager onto scene 2, declared as made in CapCut first.
    card2 = page.cards[1]
    card2.origin.combo.setCurrentIndex(card2.origin.combo.findData("CapCut"))
    assert _drop(card2, sample_clip("rotated"))
    assert wait_job(qtbot, w) == "ok"
    rotated = session.project.scenes[1].clip
    assert rotated.rotation == 90 and rotated.height > rotated.width  # shown upright: portrait
    assert page.cards[1].badge.text() == "AI: CapCut"
    assert page.cards[1].clip_panel.audio.isEnabled() is False  # no sound of its own
    assert ailog.read(folder)[-1].tool == "CapCut"
    # "Potong" (the default): a click on the large frame sets the focus point the crop keeps.
    qtbot.waitUntil(lambda: page.cards[1]._strip_shown is not None, timeout=30_000)
    big = page.cards[1].picture
    pix = big.pixmap()
    qtbot.mouseClick(big, Qt.MouseButton.LeftButton,
                     pos=QPoint(big.width() // 2 - pix.width() // 4, big.height() // 2 + pix.height() // 4))
    moved = session.project.scenes[1].clip
    assert abs(moved.focus_x - 0.25) < 0.02 and abs(moved.focus_y - 0.75) < 0.02, (moved.focus_x, moved.focus_y)
    shot(page.cards[1], "klip-fokus")

    # A photo dropped onto scene 3 becomes its own picture; a text file is not taken.
    photo = tmp_path / "tumpeng.jpg"
    Image.new("RGB", (800, 600), (200, 150, 40)).save(photo)
    note = tmp_path / "catatan.txt"
    note.write_text("bukan gambar")
    assert not _drop(page.cards[2], note)
    assert _drop(page.cards[2], photo)
    assert wait_job(qtbot, w) == "ok"
    assert session.project.scenes[2].image.origin == "own"
    assert page.cards[2].badge.text() == "Foto sendiri"

    # The app's own AI picture is labelled "AI Studio Lokal"; placeholder art stays as it is.
    assert texts.image_origin_label("ai") == "AI Studio Lokal"
    assert texts.image_origin_label("generated") == "Ilustrasi tanpa AI"

    # "Lepas video" takes the clip off scene 2.
    click(qtbot, page.cards[1].remove_clip_button)
    assert session.project.scenes[1].clip is None
    assert page.cards[1].clip_panel.isHidden()

    # The saved project holds the edits (what the export reads).
    from studio.core import storage

    saved = storage.read_project(folder).project
    assert session.save()
    saved = storage.read_project(folder).project
    assert (saved.scenes[0].clip.start, saved.scenes[0].clip.end, saved.scenes[0].clip.fit) == (0.5, 2.0, "blur")
    assert isinstance(saved.scenes[2].image, ImageAsset)

    # One clip card and one still card for review.
    page.cards[0].clip_panel.strip_filled()
    qtbot.waitUntil(lambda: page.cards[0].clip_panel.strip_filled() == 5, timeout=30_000)
    shot(w, "gambar-video")
    page.scroll.ensureWidgetVisible(page.cards[0].origin)
    shot(w, "gambar-video-bawah")

    # The same page in English (the language can change while the app runs).
    w.apply_language("en")
    page = w.pages["images"]
    assert page.title.text() == "Pictures & Video"
    qtbot.waitUntil(lambda: page.cards[0].clip_panel.strip_filled() == 5, timeout=30_000)
    assert page.cards[0].badge.text() == "Own recording"
    assert page.cards[0].clip_panel.in_spin.text() == "00:00.15"
    shot(w, "gambar-video-en")


def test_imported_voice_and_music_are_declared(window, qtbot, tmp_path, monkeypatch, shot) -> None:  # noqa: ANN001
    """Suara and Musik: the same origin picker as on Gambar & Video, passed to the pipeline."""
    import numpy as np

    from studio.engines.support.wav import write_wav

    w = window
    folder = tmp_path / "tumpeng"
    new_project_with_scenes(qtbot, w, folder, 1)
    session = w.session
    picked: list = []
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: picked.pop(0))
    rng = np.random.default_rng(5)
    t = np.arange(2 * 48000) / 48000
    sound = (0.2 * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t) ** 2) * rng.normal(0, 1, t.size)).clip(-1, 1)

    w.go("voice")
    voice = w.pages["voice"]
    voice.origin.combo.setCurrentIndex(voice.origin.combo.findData("ElevenLabs"))
    qtbot.keyClicks(voice.origin.model, "Multilingual v2")
    narration = tmp_path / "narasi elevenlabs.wav"
    write_wav(narration, sound, 48000)
    picked.append(narration)
    click(qtbot, voice.rows[0].import_button)
    assert wait_job(qtbot, w) == "ok"
    declared = session.project.scenes[0].voice.declared
    assert (declared.tool, declared.model) == ("ElevenLabs", "Multilingual v2")
    assert voice.rows[0].badge.text() == "AI: ElevenLabs (Multilingual v2)"
    last = ailog.read(folder)[-1]
    assert (last.step, last.actor, last.tool) == ("voice", "declared", "ElevenLabs")
    shot(w, "suara-asal")

    w.go("music")
    music = w.pages["music"]
    click(qtbot, music.own_radio)
    song = tmp_path / "lagu.wav"
    write_wav(song, sound, 48000)
    picked.append(song)
    click(qtbot, music.choose_button)
    qtbot.keyClicks(music.licence_edit, "karya sendiri")
    music.origin.combo.setCurrentIndex(1)  # "Karya saya sendiri"
    click(qtbot, music.use_button)
    assert wait_job(qtbot, w) == "ok"
    assert session.project.music.declared.kind == "own"
    assert "asal: Karya saya sendiri" in music.current.text()
    last = ailog.read(folder)[-1]
    assert (last.step, last.actor) == ("music", "human")
    shot(w, "musik-asal")


def test_a_file_with_only_sound_is_refused_and_nothing_changes(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Dropped onto a card, an audio-only .mp4 fails with a sentence; the scene keeps what it had."""
    w = window
    folder = tmp_path / "tumpeng"
    new_project_with_scenes(qtbot, w, folder, 1)
    session = w.session
    w.go("images")
    page = w.pages["images"]
    failures: list[BaseException] = []
    session.jobFailed.connect(lambda _step, exc: failures.append(exc))
    before = session.project.scenes[0].model_dump(exclude={"created"})
    assert _drop(page.cards[0], sample_clip("audio_only"))
    qtbot.waitUntil(lambda: not session.busy, timeout=60_000)
    assert failures and "hanya suara" in dialogs.error_message(failures[0])
    assert w.last_error is not None and w.last_error.isVisible()  # the error dialog says it
    assert session.project.scenes[0].model_dump(exclude={"created"}) == before
    assert page.cards[0].clip_panel.isHidden()
    assert list(folder.rglob("*-clip-*")) == []  # nothing was copied in
