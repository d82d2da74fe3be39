"""Bad files brought into the window: each gets its Indonesian sentence, nothing changes.

Real files: random bytes named .wav, a picture picked as audio, a zero-length file, a
sparse WAV whose header declares 3 hours (1 GB on paper, 4 KB on disk), a truncated
JPEG, an SRT saved in cp1252 and a broken SRT. A full disk during export is a real
16 KB tmpfs mounted as the project's export folder. Only the file choosers are
replaced (``dialogs.choose_file``).
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from ui_helpers import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))
from render_fixtures import build_project, make_picture  # noqa: E402
from test_ui_relink_readonly import content, make_project, shot_with_dialog  # noqa: E402

from studio.core import storage  # noqa: E402
from studio.ui import dialogs  # noqa: E402

RATE = 48000


def three_hour_wav(path: Path) -> Path:
    """A valid WAV header for 3 h of 48 kHz mono; the file is sparse (no disk used)."""
    data_len = 3 * 3600 * RATE * 2
    header = (b"RIFF" + struct.pack("<I", 36 + data_len) + b"WAVE" + b"fmt "
              + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
              + b"data" + struct.pack("<I", data_len))
    with open(path, "wb") as f:
        f.write(header)
        f.truncate(len(header) + data_len)
    return path


def bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, the start of the Indonesian sentence the window must show)."""
    folder.mkdir(exist_ok=True)
    corrupt = folder / "rekaman rusak.wav"
    corrupt.write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt " + os.urandom(3000))
    picture = make_picture(folder / "bukan-audio.png", (64, 64), seed=3)
    empty = folder / "kosong.mp3"
    empty.write_bytes(b"")
    long = three_hour_wav(folder / "tiga jam.wav")
    return {
        "corrupt": (corrupt, ("rekaman rusak.wav tidak bisa dibaca sebagai audio; mungkin rusak atau "
                              "formatnya tidak didukung.")),
        "unsupported": (picture, "bukan-audio.png tidak berisi trek audio."),
        "empty": (empty, "kosong.mp3 kosong (0 bita); kemungkinan penyalinannya gagal."),
        "long": (long, "tiga jam.wav berdurasi 3 jam 00 menit; Studio Lokal membaca audio paling panjang"),
    }


def failed(qtbot, w, action) -> object:  # noqa: ANN001
    """Run ``action`` (a click that starts a job); the job must fail; returns the dialog shown."""
    with qtbot.waitSignal(w.session.jobEnded, timeout=60_000) as ended:
        action()
    assert ended.args[1] == "failed", ended.args
    dialog = w.last_error
    assert dialog is not None and dialog.isVisible()
    return dialog


def snapshot(w, root: Path) -> tuple:  # noqa: ANN001
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()
                   and p.name != "ai_log.jsonl")
    return (root / "project.json").read_bytes(), content(w.session.project), files


def test_bad_audio_for_voice_and_music_is_refused_with_a_sentence(window, qtbot, tmp_path, monkeypatch,
                                                                   shot) -> None:  # noqa: ANN001
    w = window
    root = tmp_path / "sasando"
    make_project(root, scenes=2)
    assert w.open_project(root)
    files = bad_files(tmp_path / "unduhan")
    picked: list[Path] = []
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: picked.pop(0))
    before = snapshot(w, root)

    w.go("voice")
    voice = w.pages["voice"]
    for name, (src, sentence) in files.items():
        picked.append(src)
        dialog = failed(qtbot, w, lambda: click(qtbot, voice.rows[0].import_button))
        assert dialog.windowTitle() == "Impor tidak berhasil", name
        assert dialog.message.startswith(sentence), (name, dialog.message)
        if name == "long":
            assert "paling panjang 2 menit sekaligus" in dialog.message
            shot_with_dialog(shot, w, dialog, "i4-impor-buruk")
        dialog.accept()
        assert snapshot(w, root) == before, name
    assert voice.rows[0].badge.text() == "Suara sintetis"

    # The whole-take import refuses the same files the same way.
    picked.append(files["long"][0])
    dialog = failed(qtbot, w, lambda: click(qtbot, voice.take_import_button))
    assert "paling panjang 15 menit" in dialog.message
    dialog.accept()
    assert snapshot(w, root) == before

    w.go("music")
    music = w.pages["music"]
    click(qtbot, music.own_radio)
    qtbot.keyClicks(music.licence_edit, "karya sendiri")
    for name in ("long", "empty", "corrupt"):
        src, sentence = files[name]
        picked.append(src)
        click(qtbot, music.choose_button)
        dialog = failed(qtbot, w, lambda: click(qtbot, music.use_button))
        assert dialog.message.startswith(sentence), (name, dialog.message)
        if name == "long":
            assert "paling panjang 30 menit" in dialog.message
        dialog.accept()
        assert snapshot(w, root) == before, name
    assert w.session.project.music.source == "none"


def test_corrupt_photo_and_subtitle_files(window, qtbot, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    w = window
    root = tmp_path / "sasando"
    make_project(root, scenes=2)
    assert w.open_project(root)
    picked: list[Path] = []
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: picked.pop(0))
    before = snapshot(w, root)

    # A photo cut off halfway through the copy from a phone.
    good = make_picture(tmp_path / "foto.jpg", (800, 600), seed=4)
    broken = tmp_path / "foto terpotong.jpg"
    broken.write_bytes(good.read_bytes()[:200])
    w.go("images")
    picked.append(broken)
    dialog = failed(qtbot, w, lambda: click(qtbot, w.pages["images"].cards[0].own_button))
    assert dialog.message.startswith("foto terpotong.jpg"), dialog.message
    assert "rusak" in dialog.message or "tidak bisa" in dialog.message
    dialog.accept()
    assert snapshot(w, root) == before

    # An SRT that is not a subtitle file: refused, the cues stay as they were.
    w.go("subtitles")
    subs = w.pages["subtitles"]
    cues_before = list(w.session.project.subtitles.cues)
    junk = tmp_path / "bukan.srt"
    junk.write_text("1\nini bukan waktu\nhalo\n", encoding="utf-8")
    picked.append(junk)
    click(qtbot, subs.import_button)
    dialog = w.last_error
    assert dialog.isVisible() and dialog.windowTitle() == "Subtitle tidak bisa diimpor"
    assert dialog.message.startswith("bukan.srt bukan berkas subtitle yang sah")
    dialog.accept()
    assert w.session.project.subtitles.cues == cues_before
    assert snapshot(w, root) == before

    # An SRT saved by an old Windows tool (cp1252): read as such, with a note.
    old = tmp_path / "lama.srt"
    old.write_bytes("1\n00:00:00,000 --> 00:00:02,000\nCafé sasando di Rote\n\n".encode("cp1252"))
    picked.append(old)
    click(qtbot, subs.import_button)
    assert [c.text for c in w.session.project.subtitles.cues] == ["Café sasando di Rote"]
    assert subs.banner.isVisible()
    assert subs.banner.text.text().startswith("lama.srt bukan teks UTF-8; dibaca sebagai Windows-1252.")
    assert storage.load_project(root).subtitles.cues[0].text == "Café sasando di Rote"


def test_full_disk_during_export(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    w = window
    root = tmp_path / "petik-laut"
    project = build_project(root, voices=(1.0, 1.0), title_seconds=0.5, end_seconds=0.5)
    storage.save_project(root, project)
    export = root / "export"
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(export)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): no real full disk to test ({mounted.stderr.strip()})")
    try:
        assert w.open_project(root)
        before = (root / "project.json").read_bytes()
        w.go("export")
        with qtbot.waitSignal(w.session.jobEnded, timeout=120_000) as ended:
            assert w.session.run_export(force=True) is not None
        assert ended.args == ["export", "failed"]
        dialog = w.last_error
        assert dialog.isVisible()
        assert dialog.windowTitle() == "Pratinjau & Ekspor tidak berhasil"
        assert dialog.message.startswith("Disk penuh saat menulis ")
        assert "kosongkan ruang lalu coba lagi" in dialog.message
        # The project stays open and unchanged; no partial file anywhere under export/.
        assert w.session.is_open and w.session.project.last_export is None
        assert (root / "project.json").read_bytes() == before
        assert [p for p in export.rglob("*")] == []
    finally:
        subprocess.run(["umount", "-l", str(export)], check=False)
