"""The creator's own material through the window: photo, voice files, one take, music, SRT.

File choosers are replaced by a function that returns the file a user would pick
(``dialogs.choose_*`` is the one place the UI opens them); everything else is clicked.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from ui_helpers import click, wait_job

from studio.core import ailog
from studio.core.project import Cue
from studio.engines.support.wav import write_wav
from studio.ui import dialogs

RATE = 48000


def _speechlike(seconds: float, seed: int) -> np.ndarray:
    """Noise shaped into syllables: audible, not silent, with natural dips."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t) ** 2
    return (0.2 * envelope * rng.normal(0, 1, n)).clip(-1, 1)


def _project_with_two_scenes(qtbot, w, folder) -> None:  # noqa: ANN001
    start = w.pages["start"]
    qtbot.keyClicks(start.title_edit, "Sasando")
    qtbot.keyClicks(start.folder_edit, str(folder))
    start.preset_combo.setCurrentIndex(start.preset_combo.findData("free"))
    click(qtbot, start.create_button)
    w.go("script")
    script = w.pages["script"]
    for text in ("Sasando dipetik dengan jari.", "Bunyinya lembut seperti hujan."):
        click(qtbot, script.add_button)
        qtbot.keyClicks(script.cards[-1].narration, text)


def test_own_photo_voice_take_and_music(window, qtbot, tmp_path, monkeypatch, shot) -> None:  # noqa: ANN001
    w = window
    folder = tmp_path / "sasando"
    _project_with_two_scenes(qtbot, w, folder)
    session = w.session
    picked: list = []
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: picked.pop(0))

    # Own photo for scene 1.
    photo = tmp_path / "foto sasando.jpg"
    Image.new("RGB", (800, 600), (180, 120, 60)).save(photo)
    w.go("images")
    images = w.pages["images"]
    picked.append(photo)
    click(qtbot, images.cards[0].own_button)
    assert wait_job(qtbot, w) == "ok"
    assert session.project.scenes[0].image.origin == "own"
    assert images.cards[0].badge.text() == "Foto sendiri"

    # A voice file for scene 2.
    w.go("voice")
    voice = w.pages["voice"]
    clip = tmp_path / "adegan2.wav"
    write_wav(clip, np.concatenate([np.zeros(RATE), _speechlike(1.5, 1), np.zeros(RATE)]), RATE)
    picked.append(clip)
    click(qtbot, voice.rows[1].import_button)
    assert wait_job(qtbot, w) == "ok"
    second = session.project.scenes[1].voice
    assert second.origin == "imported" and 1.4 < second.duration < 1.9
    assert voice.rows[1].badge.text() == "Berkas impor"

    # One take for the whole video: split at the pause into both scenes.
    take = tmp_path / "satu take.wav"
    write_wav(take, np.concatenate([_speechlike(2.0, 2), np.zeros(int(0.8 * RATE)), _speechlike(2.5, 3)]), RATE)
    picked.append(take)
    click(qtbot, voice.take_import_button)
    assert wait_job(qtbot, w) == "ok"
    durations = [s.voice.duration for s in session.project.scenes]
    assert abs(durations[0] - 2.0) < 0.3 and abs(durations[1] - 2.5) < 0.3
    shot(w, "18-suara-sendiri")

    # Own music: the licence is required before it can be used.
    w.go("music")
    music = w.pages["music"]
    click(qtbot, music.own_radio)
    song = tmp_path / "lagu.wav"
    write_wav(song, _speechlike(4.0, 4), RATE)
    picked.append(song)
    click(qtbot, music.choose_button)
    assert not music.use_button.isEnabled()
    qtbot.keyClicks(music.licence_edit, "CC BY 4.0, Sanggar Rote")
    click(qtbot, music.use_button)
    assert wait_job(qtbot, w) == "ok"
    assert session.project.music.source == "imported"
    assert session.project.music.licence == "CC BY 4.0, Sanggar Rote"
    assert (folder / session.project.music.path).exists()

    actions = [(r.step, r.action, r.actor) for r in ailog.read(folder)]
    assert ("images", "replace", "human") in actions
    assert ("voice", "import", "human") in actions
    assert ("music", "import", "human") in actions


def test_cue_table_edit_and_srt_round_trip(window, qtbot, tmp_path, monkeypatch, shot) -> None:  # noqa: ANN001
    w = window
    folder = tmp_path / "sasando"
    _project_with_two_scenes(qtbot, w, folder)
    session = w.session
    # Cues as the subtitle step would leave them (this test is about the table).
    session.project.subtitles.cues = [
        Cue(start=3.5, end=5.0, text="Sasando dipetik\ndengan jari."),
        Cue(start=5.6, end=7.4, text="Bunyinya lembut seperti hujan."),
    ]
    session.project.subtitles.source = "script+tts"
    session.touch("subtitles")
    w.go("subtitles")
    subs = w.pages["subtitles"]
    assert subs.table.item(0, 2).text() == "Sasando dipetik | dengan jari."

    # Edit a text cell like a user: double-click, type, Enter.
    item = subs.table.item(1, 2)
    subs.table.scrollToItem(item)
    rect = subs.table.visualItemRect(item)
    # A real double-click is press, release, double-click: QTest needs the first click too.
    qtbot.mouseClick(subs.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(subs.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: bool(subs.table.viewport().findChildren(QLineEdit)), timeout=5000)
    editor = subs.table.viewport().findChildren(QLineEdit)[0]
    editor.selectAll()
    qtbot.keyClicks(editor, "Bunyinya lembut | seperti rintik hujan.")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The view commits the editor's text on the next event-loop turn.
    qtbot.waitUntil(lambda: session.project.subtitles.source == "edited", timeout=5000)
    cue = session.project.subtitles.cues[1]
    assert cue.text == "Bunyinya lembut\nseperti rintik hujan."
    assert session.project.subtitles.source == "edited"
    # A bad time is refused with a sentence, and the table shows the old value again.
    session.project.subtitles.cues[0] = session.project.subtitles.cues[0]
    subs.table.item(0, 1).setText("0:01,00")          # ends before it starts
    assert subs.banner.isVisible() and "Waktu tidak sah" in subs.banner.text.text()
    assert session.project.subtitles.cues[0].end == 5.0
    qtbot.waitUntil(lambda: subs.preview.shown_t is not None
                    and abs(subs.preview.shown_t - subs.preview.position()) < 0.01, timeout=20_000)
    shot(w, "19-subtitle-sunting")

    session.flush_human_edits()
    edits = [r for r in ailog.read(folder) if r.step == "subtitles" and r.action == "edit"]
    assert len(edits) == 1 and edits[0].actor == "human"

    # Export SRT, then import it back.
    out = tmp_path / "keluar.srt"
    monkeypatch.setattr(dialogs, "choose_save", lambda *a, **k: out)
    click(qtbot, subs.export_button)
    assert "rintik hujan" in out.read_text(encoding="utf-8")
    session.project.subtitles.cues = []
    session.touch("subtitles")
    subs.refresh("subtitles")
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: out)
    click(qtbot, subs.import_button)
    assert [c.text for c in session.project.subtitles.cues][1] == "Bunyinya lembut\nseperti rintik hujan."
    assert session.project.subtitles.source == "imported"
    assert subs.table.rowCount() == 2
