"""Voice engine choice, the duration-fit advice, and the cue tools of the subtitle page."""

from __future__ import annotations

import numpy as np
from ui_helpers import click, wait_job

from studio.core import ailog
from studio.core.hashing import file_sha256
from studio.core.project import Cue, Scene, VoiceAsset
from studio.engines.support.wav import write_wav

RATE = 48000


def _open(qtbot, w, folder, preset: str = "ai-local-content-2025") -> None:  # noqa: ANN001
    start = w.pages["start"]
    qtbot.keyClicks(start.title_edit, "Gamelan")
    qtbot.keyClicks(start.folder_edit, str(folder))
    start.preset_combo.setCurrentIndex(start.preset_combo.findData(preset))
    click(qtbot, start.create_button)


def test_voice_engine_variant_and_missing_model(window, qtbot, tmp_path, monkeypatch, shot) -> None:  # noqa: ANN001
    w = window
    _open(qtbot, w, tmp_path / "p")
    session = w.session
    session.project.scenes = [Scene(narration="Gamelan dimainkan bersama.")]
    session.touch("script")
    w.go("voice")
    page = w.pages["voice"]
    keys = [page.engine_combo.itemData(i) for i in range(page.engine_combo.count())]
    assert keys == ["", "voice.espeak", "voice.vits", "voice.piper", "voice.server"]
    # espeak-ng: four Indonesian variants, pitch settable.
    page.engine_combo.setCurrentIndex(keys.index("voice.espeak"))
    assert session.project.voice.engine == "voice.espeak"
    assert page.variant_combo.isVisible() and page.variant_combo.count() == 4 and page.pitch.isEnabled()
    page.variant_combo.setCurrentIndex(page.variant_combo.findData("id+f2"))
    assert session.project.voice.voice == "id+f2"
    # MMS-TTS without its model: the page says how to get it; no pitch control.
    page.engine_combo.setCurrentIndex(keys.index("voice.vits"))
    assert session.project.voice.engine == "voice.vits"
    assert page.engine_state.isVisible() and "mms-tts-ind" in page.engine_state.text()
    assert not page.pitch.isEnabled() and not page.variant_combo.isVisible()
    assert page.model_button.isVisible() and page.model_button.text() == "Pilih folder model…"
    shot(w, "30-suara-mesin")
    # "Download" runs the model manager's download as a job (the network is replaced here:
    # this test is about the page, not the hub).
    from studio.engines.models import manager as model_manager
    from studio.engines.models.catalog import get_spec
    from studio.ui import dialogs

    asked: list = []

    def fake_download(spec, ctx):  # noqa: ANN001, ANN202
        asked.append(spec.id)
        folder = model_manager.app_folder(spec)
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("config.json", "vocab.json", "model.safetensors"):
            (folder / name).write_text("{}", encoding="utf-8")
        model_manager.write_manifest(folder, spec, {n: {"size": 2} for n in ("config.json", "vocab.json",
                                                                                "model.safetensors")},
                                     source="test")
        ctx.progress(1, 1, "selesai")
        return folder

    monkeypatch.setattr(model_manager, "download", fake_download)
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    assert page.download_button.isVisible() and "MMS-TTS" in page.download_button.text()
    try:
        click(qtbot, page.download_button)
        assert wait_job(qtbot, w) == "ok"
        assert asked == ["mms-tts-ind"]
        page.refresh()
        assert not page.engine_state.isVisible() and not page.download_button.isVisible()
    finally:
        import shutil

        shutil.rmtree(model_manager.app_folder(get_spec("mms-tts-ind")), ignore_errors=True)
    page.engine_combo.setCurrentIndex(keys.index("voice.piper"))
    assert page.model_button.text() == "Pilih berkas suara…" and ".onnx" in page.engine_state.text()


def test_too_long_video_gets_a_tempo_fix_shown_before_applying(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    folder = tmp_path / "p"
    _open(qtbot, w, folder)
    session = w.session
    rng = np.random.default_rng(3)
    scenes = []
    for i in range(3):
        t = np.arange(int(28 * RATE)) / RATE
        audio = 0.2 * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t) ** 2) * rng.normal(0, 1, len(t))
        path = folder / "voice" / f"rec{i}.wav"
        write_wav(path, audio.clip(-1, 1), RATE)
        scenes.append(Scene(narration="Gamelan dimainkan bersama di pendapa setiap malam Jumat.",
                            voice=VoiceAsset(path=f"voice/rec{i}.wav", origin="recorded", duration=28.0,
                                             sample_rate=RATE, sha256=file_sha256(path))))
    session.project.scenes = scenes
    session.touch("script")
    w.go("voice")
    page = w.pages["voice"]
    card = page.fit_card
    assert card.isVisible() and "lebih panjang" in card.status.text()
    tempo = card.options[0]
    assert tempo.kind == "tempo" and tempo.fits
    shown = tempo.result_seconds
    assert 60 <= shown <= 90
    shot(w, "31-durasi-saran")
    click(qtbot, card.apply_buttons[0])
    assert wait_job(qtbot, w) == "ok"
    from studio.core.timeline import build_timeline

    assert abs(build_timeline(session.project).duration - shown) < 0.3
    assert all(s.voice.path.startswith("voice/") and s.voice.path != f"voice/rec{i}.wav"
               for i, s in enumerate(session.project.scenes))
    assert not card.isVisible()  # inside the range now
    assert any(r.action == "edit" and "atempo" in r.note for r in ailog.read(folder))


def test_cue_tools_split_merge_shift_replace(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    _open(qtbot, w, tmp_path / "p", preset="free")
    session = w.session
    session.project.subtitles.cues = [
        Cue(start=3.5, end=6.0, text="Gamelan dimainkan bersama, di pendapa keraton."),
        Cue(start=6.5, end=8.0, text="Bunyinya lembut."),
    ]
    session.project.subtitles.source = "script+tts"
    session.touch("subtitles")
    w.go("subtitles")
    page = w.pages["subtitles"]
    page.table.setCurrentCell(0, 2)
    click(qtbot, page.split_button)
    cues = session.project.subtitles.cues
    assert [c.text for c in cues] == ["Gamelan dimainkan bersama,", "di pendapa keraton.", "Bunyinya lembut."]
    assert session.project.subtitles.source == "edited" and page.table.rowCount() == 3
    page.table.setCurrentCell(1, 2)
    click(qtbot, page.merge_button)
    assert [c.text for c in session.project.subtitles.cues][1] == "di pendapa keraton. Bunyinya lembut."
    page.shift_spin.setValue(0.5)
    click(qtbot, page.shift_button)
    assert session.project.subtitles.cues[0].start == 4.0
    page.shift_spin.setValue(-9.0)
    click(qtbot, page.shift_button)  # would start before the video: refused, nothing changes
    assert session.project.subtitles.cues[0].start == 4.0 and page.banner.isVisible()
    qtbot.keyClicks(page.find_edit, "keraton")
    qtbot.keyClicks(page.replace_edit, "kraton")
    click(qtbot, page.replace_button)
    assert "kraton." in session.project.subtitles.cues[1].text
    assert "di pendapa kraton." in page.table.item(1, 2).text()
    shot(w, "32-subtitle-alat")
    # Retiming in the table: running over the next cue is refused with a sentence.
    before = [c.end for c in session.project.subtitles.cues]
    page.table.item(0, 1).setText("0:30,00")
    assert [c.end for c in session.project.subtitles.cues] == before and "bertumpuk" in page.banner.text.text()
    page.table.item(0, 1).setText("0:05,00")
    assert session.project.subtitles.cues[0].end == 5.0
    session.flush_human_edits()  # (written once per burst of edits)
    edits = [r for r in ailog.read(session.root) if r.step == "subtitles" and r.action == "edit"]
    assert edits and edits[-1].actor == "human"
