"""A project folder that is not as it was saved: moved files, a damaged project.json, a
read-only folder. The window says what is wrong in Indonesian and loses nothing.

Real folders and files throughout; only the file and folder choosers are replaced
(``dialogs.choose_*``). The read-only folder is a real read-only tmpfs mount (root can
mount here; the test is skipped, saying why, where it cannot).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ui_helpers import click, settle

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))
from render_fixtures import make_picture, write_voice  # noqa: E402

from studio.core import ailog, storage  # noqa: E402
from studio.core.hashing import file_sha256  # noqa: E402
from studio.core.project import ImageAsset, Project, Scene, VoiceAsset  # noqa: E402
from studio.ui import dialogs  # noqa: E402

NARRATION = ["Sasando dipetik dengan jari.", "Bunyinya lembut seperti hujan.",
             "Daun lontar menjadi resonatornya."]


def make_project(root: Path, scenes: int = 3) -> Project:
    """A saved project with real pictures and voices (hashes recorded, as the steps do)."""
    project = Project(preset="free")
    project.brief.title = "Sasando dari Rote"
    project.render.width, project.render.height = 270, 480
    project.music.source = "none"
    storage.create_project(root, project)
    for i in range(scenes):
        scene = Scene(narration=NARRATION[i % 3], source="ai")
        img = make_picture(root / f"images/scene-{i + 1}.png", (324, 576), seed=i + 1)
        scene.image = ImageAsset(path=f"images/scene-{i + 1}.png", origin="generated",
                                 engine="image.placeholder", sha256=file_sha256(img))
        voice = root / f"voice/scene-{i + 1}.wav"
        write_voice(voice, 1.0 + 0.2 * i, seed=i)
        scene.voice = VoiceAsset(path=f"voice/scene-{i + 1}.wav", origin="tts", engine="voice.espeak",
                                 duration=1.0 + 0.2 * i, sample_rate=22050, sha256=file_sha256(voice))
        project.scenes.append(scene)
    storage.save_project(root, project)
    return project


def shot_with_dialog(shot, window, dialog, name: str) -> Path:  # noqa: ANN001
    """A screenshot of the window with ``dialog`` painted where a window manager centres it
    (offscreen, a dialog is its own top-level surface and ``window.grab()`` misses it)."""
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtWidgets import QLabel

    settle(window, dialog)
    base = window.grab()
    top = dialog.grab()
    painter = QPainter(base)
    painter.fillRect(base.rect(), QColor(0, 0, 0, 70))
    painter.drawPixmap((base.width() - top.width()) // 2, (base.height() - top.height()) // 3, top)
    painter.end()
    holder = QLabel()
    holder.setPixmap(base)
    holder.resize(base.size())
    return shot(holder, name)


def content(project: Project) -> dict:
    return project.model_dump(mode="json", exclude={"modified", "app_version"})


# ---------------------------------------------------------------- 1. moved and missing files


def test_missing_files_banner_relink_and_make_again(window, qtbot, tmp_path, monkeypatch, shot) -> None:  # noqa: ANN001
    w = window
    root = tmp_path / "sasando"
    make_project(root)
    # Scene 1's picture was moved into a subfolder of the project; scene 2's voice was
    # moved out of the project (the creator has it on a USB stick); scene 3's picture is gone.
    (root / "lama").mkdir()
    shutil.move(root / "images/scene-1.png", root / "lama/scene-1.png")
    stick = tmp_path / "usb"
    stick.mkdir()
    shutil.move(root / "voice/scene-2.wav", stick / "scene-2.wav")
    (root / "images/scene-3.png").unlink()
    before_bytes = (root / "project.json").read_bytes()

    assert w.open_project(root)
    before = content(w.session.project)
    banner = w.asset_banner
    assert banner.isVisible()
    assert banner.heading.text().startswith("3 berkas proyek hilang atau berubah.")
    texts = [row.text.text() for row in banner.rows]
    assert texts == ["Gambar adegan 1 tidak ditemukan: images/scene-1.png",
                     "Suara adegan 2 tidak ditemukan: voice/scene-2.wav",
                     "Gambar adegan 3 tidak ditemukan: images/scene-3.png"]
    # Opening changed nothing on disk.
    assert (root / "project.json").read_bytes() == before_bytes
    # The moved picture is found inside the project and offered.
    first = banner.rows[0]
    assert first.suggest_button is not None
    assert first.suggest_button.text() == "Pakai lama/scene-1.png"
    assert [r.relink_button.text() for r in banner.rows] == ["Sambungkan ulang…"] * 3
    assert [r.regenerate_button.text() for r in banner.rows] == ["Buat ulang"] * 3
    shot(w, "i1-sambungkan-ulang")

    click(qtbot, first.suggest_button)
    assert file_sha256(root / "images/scene-1.png") == w.session.project.scenes[0].image.sha256
    assert (root / "lama/scene-1.png").exists()  # copied, never moved: nothing is lost
    assert content(w.session.project) == before
    assert banner.rows[0].text.text().startswith("Suara adegan 2")

    # A different file is refused with a sentence; nothing changes.
    wrong = stick / "lain.wav"
    write_voice(wrong, 1.0, seed=99)
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: wrong)
    click(qtbot, banner.rows[0].relink_button)
    assert w.last_error.message.startswith("lain.wav bukan berkas yang dipakai proyek ini (isinya berbeda).")
    assert not (root / "voice/scene-2.wav").exists()
    assert content(w.session.project) == before
    w.last_error.accept()

    # The original file from the stick: copied in under the expected name.
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: stick / "scene-2.wav")
    click(qtbot, banner.rows[0].relink_button)
    assert file_sha256(root / "voice/scene-2.wav") == file_sha256(stick / "scene-2.wav")
    assert content(w.session.project) == before
    assert storage.load_project(root).scenes[1].voice.path == "voice/scene-2.wav"

    # "Buat ulang": the lost picture is made again by the step (placeholder engine).
    assert [r.text.text() for r in banner.rows] == ["Gambar adegan 3 tidak ditemukan: images/scene-3.png"]
    with qtbot.waitSignal(w.session.jobEnded, timeout=60_000) as ended:
        click(qtbot, banner.rows[0].regenerate_button)
    assert ended.args == ["images", "ok"]
    assert w.current_key() == "images"
    image = w.session.project.scenes[2].image
    assert image is not None and (root / image.path).stat().st_size > 0
    assert w.session.check_assets() == []
    assert not banner.isVisible()


def test_empty_and_edited_files(window, qtbot, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    w = window
    root = tmp_path / "gandrung"
    project = make_project(root, scenes=2)
    keep = tmp_path / "scene-1.wav"
    shutil.copy(root / "voice/scene-1.wav", keep)
    (root / "voice/scene-1.wav").write_bytes(b"")  # a failed copy from a USB stick
    make_picture(root / "images/scene-2.png", (324, 576), seed=42)  # retouched outside the app

    assert w.open_project(root)
    rows = w.asset_banner.rows
    assert [r.text.text() for r in rows] == ["Suara adegan 1 kosong (0 bita): voice/scene-1.wav",
                                             "Gambar adegan 2 berubah di luar aplikasi: images/scene-2.png"]
    assert rows[0].accept_button is None and rows[1].accept_button.text() == "Pakai apa adanya"

    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: keep)
    click(qtbot, rows[0].relink_button)
    assert file_sha256(root / "voice/scene-1.wav") == project.scenes[0].voice.sha256

    click(qtbot, w.asset_banner.rows[0].accept_button)
    new_sha = file_sha256(root / "images/scene-2.png")
    assert w.session.project.scenes[1].image.sha256 == new_sha
    assert storage.load_project(root).scenes[1].image.sha256 == new_sha
    assert not w.asset_banner.isVisible()


def test_make_everything_lost_again(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    w = window
    root = tmp_path / "gamelan"
    project = make_project(root, scenes=2)
    project.music.source, project.music.path = "generated", "music/bed-lama.wav"
    storage.save_project(root, project)
    shutil.rmtree(root / "voice")
    (root / "images/scene-2.png").unlink()

    assert w.open_project(root)
    banner = w.asset_banner
    assert banner.heading.text().startswith("4 berkas proyek hilang atau berubah.")
    assert len(banner.rows) == 3 and banner.more.text() == "… dan 1 berkas lainnya."
    w.update_indicators()
    assert [w.step_list.state(k) for k in ("images", "voice", "music")] == ["stale"] * 3
    with qtbot.waitSignal(w.session.jobEnded, timeout=60_000) as ended:
        click(qtbot, banner.regenerate_all_button)
    # One job at a time: the pictures are made now, the other steps wait for their button.
    assert ended.args == ["images", "ok"]
    p = w.session.project
    assert (root / p.scenes[1].image.path).stat().st_size > 0
    assert [s.voice for s in p.scenes] == [None, None]
    assert p.music.source == "generated" and not p.music.path
    assert w.session.check_assets() == [] and not banner.isVisible()
    assert storage.load_project(root).scenes[0].voice is None

    w.go("music")
    with qtbot.waitSignal(w.session.jobEnded, timeout=60_000) as ended:
        w.pages["music"].main_action()
    assert ended.args == ["music", "ok"]
    assert (root / w.session.project.music.path).stat().st_size > 0


# ---------------------------------------------------------------- 2. refused at open


def test_damaged_project_json_offers_the_backup(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    root = tmp_path / "batik"
    project = make_project(root, scenes=1)
    project.brief.region = "Kabupaten Banyuwangi"
    storage.save_project(root, project)  # the first save is now project.json.bak
    good = (root / "project.json").read_bytes()
    damaged = good[: len(good) // 2]  # a save cut off by a power failure
    (root / "project.json").write_bytes(damaged)
    with pytest.raises(Exception) as refused:
        storage.read_project(root)

    assert not w.open_project(root)
    dialog = w.last_error
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Proyek tidak bisa dibuka"
    assert dialog.message.startswith(refused.value.text("id"))
    assert "Ada cadangan dari penyimpanan sebelumnya" in dialog.message
    assert [b.text() for b in dialog.action_buttons] == ["Pulihkan dari cadangan"]
    assert not w.session.is_open
    assert (root / "project.json").read_bytes() == damaged  # nothing touched until asked
    shot_with_dialog(shot, w, dialog, "i2-pulihkan-cadangan")

    click(qtbot, dialog.action_buttons[0])
    assert w.session.is_open and w.session.root == root
    assert w.session.project.brief.title == "Sasando dari Rote"
    assert (root / "project.json.damaged").read_bytes() == damaged
    assert storage.load_project(root).brief.title == "Sasando dari Rote"


@pytest.mark.parametrize("case", ["newer", "outside", "symlink", "no-backup"])
def test_refused_project_says_why_and_changes_nothing(window, tmp_path, case) -> None:  # noqa: ANN001
    w = window
    root = tmp_path / "proyek"
    make_project(root, scenes=1)
    data = json.loads((root / "project.json").read_text(encoding="utf-8"))
    if case == "newer":
        data["schema_version"] = 999
    elif case == "outside":
        data["scenes"][0]["image"]["path"] = "../../etc/passwd"
    elif case == "symlink":
        secret = tmp_path / "rahasia.png"
        make_picture(secret, (50, 50), seed=5)
        (root / "images/scene-1.png").unlink()
        (root / "images/scene-1.png").symlink_to(secret)
    text = json.dumps(data) if case != "no-backup" else '{"format": "studio.project", "schema'
    (root / "project.json").write_text(text, encoding="utf-8")
    (root / "project.json.bak").unlink(missing_ok=True)
    before = (root / "project.json").read_bytes()
    with pytest.raises(Exception) as refused:
        storage.read_project(root)

    assert not w.open_project(root)
    dialog = w.last_error
    assert dialog.message == refused.value.text("id")
    assert dialog.action_buttons == []  # no backup to offer
    expected = {"newer": "lebih baru", "outside": "di luar foldernya", "symlink": "tautan",
                "no-backup": "project.json"}[case]
    assert expected in dialog.message
    assert not w.session.is_open
    assert (root / "project.json").read_bytes() == before


# ---------------------------------------------------------------- 3. read-only folder


@pytest.fixture
def read_only_mount(tmp_path):  # noqa: ANN001, ANN201
    """A real tmpfs that ``make_ro()`` remounts read-only (unmounted afterwards)."""
    mnt = tmp_path / "usb"
    mnt.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): no real read-only folder to test ({mounted.stderr.strip()})")

    def make_ro() -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)

    yield mnt, make_ro
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_read_only_folder_keeps_edits_and_saves_a_copy(window, qtbot, tmp_path, monkeypatch, read_only_mount,
                                                       shot) -> None:  # noqa: ANN001
    w = window
    mnt, make_ro = read_only_mount
    root = mnt / "sasando"
    make_project(root, scenes=2)
    make_ro()
    before = (root / "project.json").read_bytes()

    assert w.open_project(root)
    assert w.session.read_only
    assert w.save_banner.isVisible()
    assert w.save_banner.text.text().startswith("Folder proyek ini tidak bisa ditulisi (hanya-baca)")
    w.go("brief")
    brief = w.pages["brief"]
    qtbot.keyClicks(brief.region_edit, "Kabupaten Rote Ndao")
    assert w.session.project.brief.region == "Kabupaten Rote Ndao"
    w.go("script")
    qtbot.keyClicks(w.pages["script"].cards[0].narration, " Nadanya riang.")
    w.session.flush_human_edits()  # the AI log cannot be written here: the record waits

    assert not w.session.save()
    dialog = w.last_error
    assert dialog.windowTitle() == "Proyek belum tersimpan"
    assert "folder hanya-baca" in dialog.message and dialog.message.startswith("Tidak bisa menulis")
    dialog.accept()
    # The edit stays in memory; the folder is untouched.
    assert w.session.dirty and w.session.project.brief.region == "Kabupaten Rote Ndao"
    assert (root / "project.json").read_bytes() == before
    assert not (root / storage.AUTOSAVE_FILE).exists()
    shot(w, "i3-hanya-baca")

    # Closing now asks first; "Batal" keeps the window and the edits.
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "choose_action", lambda _p, _t, text, buttons: asked.append(text) or 2)
    w.close()
    assert asked and asked[0].startswith("Proyek ini tidak bisa disimpan di foldernya.")
    assert w.isVisible() and w.session.is_open and w.session.project.brief.region == "Kabupaten Rote Ndao"

    dest = tmp_path / "dokumen"
    dest.mkdir()
    (dest / "catatan.txt").write_text("folder yang sudah berisi", encoding="utf-8")
    monkeypatch.setattr(dialogs, "choose_folder", lambda *a, **k: dest)
    click(qtbot, w.save_banner.buttons()[0])
    copy = dest / "sasando"  # a non-empty folder gets a subfolder named after the project
    assert w.session.root == copy and not w.session.dirty and not w.session.read_only
    assert not w.save_banner.isVisible()
    saved = storage.load_project(copy)
    assert saved.brief.region == "Kabupaten Rote Ndao"
    assert "Nadanya riang." in saved.scenes[0].narration
    edits = [r for r in ailog.read(copy) if (r.step, r.action, r.actor) == ("script", "edit", "human")]
    assert [r.scene_id for r in edits] == [saved.scenes[0].id]
    for scene in saved.scenes:
        assert file_sha256(copy / scene.image.path) == scene.image.sha256
        assert file_sha256(copy / scene.voice.path) == scene.voice.sha256
    assert (root / "project.json").read_bytes() == before


def test_save_copy_to_a_full_disk_leaves_nothing_half_copied(window, qtbot, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    w = window
    root = tmp_path / "sasando"
    make_project(root, scenes=2)
    small = tmp_path / "flashdisk"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(small)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): no real full disk to test ({mounted.stderr.strip()})")
    try:
        assert w.open_project(root)
        monkeypatch.setattr(dialogs, "choose_folder", lambda *a, **k: small)
        assert not w.save_copy_dialog()
        dialog = w.last_error
        assert dialog.windowTitle() == "Salinan tidak bisa disimpan"
        assert dialog.message.startswith(f"Disk penuh saat menulis ke {small}")
        assert list(small.iterdir()) == []
        assert w.session.root == root
    finally:
        subprocess.run(["umount", "-l", str(small)], check=False)
