"""Pengaturan and the model manager, clicked like a user: every engine's preflight verdict, model
fields saved to disk, and "Model AI" downloading from a real local hub server (progress, cancel
with a resumable part), adopting a USB folder (referenced or copied) and checking a damaged one."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtWidgets import QApplication
from ui_helpers import click

from studio.core.settings import load_settings
from studio.engines import registry
from studio.ui import dialogs
from studio.ui.settings_dialog import preflight_problems, preflight_text

BIG = 3_000_000


@pytest.fixture
def models_home(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """Own app model folder and empty Hugging Face caches (nothing on this machine leaks in)."""
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path / "app-models"))
    for var in ("HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    return tmp_path


def taesd_files() -> dict[str, bytes]:
    seed = hashlib.sha256(b"taesd").digest()
    weights = (seed * (BIG // len(seed) + 1))[:BIG]
    return {"config.json": b'{"_class_name": "AutoencoderTiny"}', "README.md": b"---\nlicense: mit\n---\n",
            "diffusion_pytorch_model.safetensors": weights}


def open_settings(w):  # noqa: ANN001, ANN201
    w.actions_by_name["settings"].trigger()
    QApplication.processEvents()
    return w.settings_dialog


# ------------------------------------------------------------------ Pengaturan


def test_every_engine_shows_its_preflight_and_fields_persist(window, qtbot, tmp_path, monkeypatch,  # noqa: ANN001
                                                             models_home, shot) -> None:
    w = window
    dialog = open_settings(w)
    settings = dialog.current()
    # Each engine of each step: the line under its combo is the engine's own preflight verdict.
    for kind, combo in dialog.engine_combos.items():
        keys = [combo.itemData(i) for i in range(combo.count())]
        assert keys == registry.keys(kind)
        for key in keys:
            combo.setCurrentIndex(combo.findData(key))
            settings = dialog.current()
            problems = preflight_problems(key, settings)
            shown = dialog.preflight_message(kind)
            more = f" (+{len(problems) - 1} masalah lain)" if len(problems) > 1 else ""
            assert shown == ("✗ " + problems[0] + more if problems else "✓ Siap dipakai"), key
            assert dialog.engine_status[kind].toolTip() == "\n".join(problems)
    for key in ("script.openai", "script.local", "image.diffusers", "voice.vits", "voice.piper",
                "transcribe.openai_whisper"):
        assert not preflight_text(key, settings)[0], f"{key} should need a model or server here"
    assert "qwen2.5-1.5b-instruct" in preflight_text("script.local", settings)[1]
    assert "mms-tts-ind" in preflight_text("voice.vits", settings)[1]

    # A folder field (local LLM) and a file field (Piper) filled through "Pilih…": the verdict
    # follows the field at once and names what is wrong with the chosen folder.
    llm_folder = tmp_path / "usb" / "qwen"
    llm_folder.mkdir(parents=True)
    piper = tmp_path / "usb" / "id_ID-news_tts-medium.onnx"
    piper.write_bytes(b"not a real voice")
    monkeypatch.setattr(dialogs, "choose_folder", lambda *a, **k: llm_folder)
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: piper)
    dialog.tabs.setCurrentIndex(1)
    script = dialog.engine_combos["script"]
    script.setCurrentIndex(script.findData("script.local"))
    before = dialog.preflight_message("script")
    click(qtbot, dialog.browse_buttons["llm_local"])
    assert dialog.model_edits["llm_local"].text() == str(llm_folder)
    after = dialog.preflight_message("script")
    assert after.startswith("✗") and after != before and "qwen" in after
    assert "masalah lain" in after and "tokenizer" in dialog.engine_status["script"].toolTip()
    voice = dialog.engine_combos["voice"]
    voice.setCurrentIndex(voice.findData("voice.piper"))
    click(qtbot, dialog.browse_buttons["piper_voice"])
    assert dialog.model_edits["piper_voice"].text() == str(piper)
    assert "onnx" in dialog.preflight_message("voice")
    # Compute type and streaming.
    dialog.compute_combo.setCurrentIndex(dialog.compute_combo.findData("float32"))
    dialog.tabs.setCurrentIndex(2)
    click(qtbot, dialog.stream_check)
    assert not dialog.stream_check.isChecked()
    for i, name in enumerate(("mesin", "model", "llm", "tampilan")):
        dialog.tabs.setCurrentIndex(i)
        shot(dialog, f"11-pengaturan-{name}")
    click(qtbot, dialog.save_button)

    live = w.session.settings
    assert live.engines.script == "script.local" and live.engines.voice == "voice.piper"
    assert live.models.llm_local == str(llm_folder) and live.models.piper_voice == str(piper)
    assert live.models.whisper_compute_type == "float32" and live.llm.stream is False
    disk = load_settings()
    assert disk.models.llm_local == str(llm_folder) and disk.models.piper_voice == str(piper)
    assert disk.models.whisper_compute_type == "float32" and disk.llm.stream is False
    assert disk.engines.script == "script.local"

    # Opened again, the dialog shows what was saved; Cancel keeps it unchanged.
    again = open_settings(w)
    assert again.compute_combo.currentData() == "float32" and not again.stream_check.isChecked()
    assert again.model_edits["piper_voice"].text() == str(piper)
    again.compute_combo.setCurrentIndex(again.compute_combo.findData("int8"))
    click(qtbot, again.cancel_button)
    assert load_settings().models.whisper_compute_type == "float32"


# ------------------------------------------------------------------ Model AI


def open_models(qtbot, w):  # noqa: ANN001, ANN201
    settings = open_settings(w)
    settings.tabs.setCurrentIndex(1)
    click(qtbot, settings.manage_button)
    dialog = settings.models_dialog
    qtbot.waitExposed(dialog)
    return settings, dialog


def run_and_wait(qtbot, dialog, widget) -> str:  # noqa: ANN001
    click(qtbot, widget)
    assert dialog.busy
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    QApplication.processEvents()
    return dialog.last_outcome


def cells(dialog, model_id: str) -> list[str]:  # noqa: ANN001
    row = dialog.row_of(model_id)
    return [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]


def test_download_with_progress_cancel_keeps_a_resumable_part(window, qtbot, models_home, shot) -> None:  # noqa: ANN001
    from hub_server import HubServer

    from studio.engines.models import manager as mm
    from studio.engines.models.catalog import catalog, get_spec

    w = window
    settings_dialog, dialog = open_models(qtbot, w)
    # The catalogue: every known model with what it is for, its size, licence and status.
    assert dialog.table.rowCount() == len(catalog())
    for st in dialog.statuses:
        name, purpose, size, licence, status = cells(dialog, st.spec.id)
        assert name.startswith(st.spec.name) and purpose and st.spec.licence.startswith(licence)
        # The whole licence note in the UI language (Indonesian when the catalogue has it).
        assert dialog.table.item(dialog.row_of(st.spec.id), 3).toolTip() == (st.spec.licence_id or st.spec.licence)
        assert size.endswith("B") and status
    name, purpose, size, licence, status = cells(dialog, "taesd")
    assert purpose == "Gambar" and licence == "MIT" and "MB" in size and status == "Belum ada"
    assert cells(dialog, "qwen2.5-1.5b-instruct")[1] == "Naskah"
    assert cells(dialog, "sd-turbo")[3] == "Stability AI Community License"
    shot(dialog, "11e-model-ai")

    spec = get_spec("taesd")
    name = "diffusion_pytorch_model.safetensors"
    files = taesd_files()
    part = mm.app_folder(spec) / (name + ".part")
    with HubServer({"madebyollin/taesd": files}, delay=0.04) as hub:
        dialog.hub_edit.setText(hub.url)
        dialog.select("taesd")
        assert dialog.download_button.text() == "Unduh"
        seen: list[int] = []
        dialog.progress.valueChanged.connect(seen.append)
        # Cancel in the middle: the part stays on disk and the dialog says it can be resumed.
        click(qtbot, dialog.download_button)
        assert dialog.busy and dialog.cancel_button.isVisible() and not dialog.close_button.isEnabled()
        qtbot.waitUntil(lambda: (dialog.fraction() or 0) > 0.2, timeout=30_000)
        shot(dialog, "11f-model-ai-unduh")
        click(qtbot, dialog.cancel_button)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
        assert dialog.last_outcome == "cancelled"
        assert "Bagian yang sudah terunduh disimpan" in dialog.message.text()
        have = part.stat().st_size
        assert 0 < have < BIG and not (part.parent / name).exists()
        status = cells(dialog, "taesd")[4]
        assert status.startswith("Belum lengkap") and "terhenti" in status
        # Download again: it continues from the part (a Range request) and ends present.
        assert len(seen) >= 2 and seen == sorted(seen) and 0 < seen[-1] < 1000  # it moved, then stopped
        seen.clear()
        hub.delay = 0.0
        assert run_and_wait(qtbot, dialog, dialog.download_button) == "ok", dialog.message.text()
        assert hub.file_requests(name)[-1].range == f"bytes={have}-"
    assert seen[-1] == 1000
    assert (mm.app_folder(spec) / name).read_bytes() == files[name] and not part.exists()
    assert cells(dialog, "taesd")[4] == "Ada — folder aplikasi"
    assert dialog.message.text().startswith("✓") and "siap" in dialog.message.text()
    assert dialog.download_button.text() == "Unduh lagi"
    # The hub address typed here is a setting: Save in Pengaturan keeps it.
    click(qtbot, dialog.close_button)
    click(qtbot, settings_dialog.save_button)
    assert load_settings().models.hub_url == hub.url


def test_use_a_usb_folder_referenced_then_copied_and_a_damaged_copy_is_reported(window, qtbot, tmp_path,  # noqa: ANN001
                                                                                 monkeypatch, models_home) -> None:
    from studio.engines.models import manager as mm
    from studio.engines.models.catalog import get_spec, MANIFEST

    usb = tmp_path / "usb" / "taesd"
    usb.mkdir(parents=True)
    for name, data in taesd_files().items():
        (usb / name).write_bytes(data)
    monkeypatch.setattr(dialogs, "choose_folder", lambda *a, **k: usb)
    w = window
    settings_dialog, dialog = open_models(qtbot, w)
    dialog.select("taesd")
    assert not dialog.verify_button.isEnabled()  # nothing on this computer to check yet
    # Referenced where it is: the Settings field names the USB folder.
    assert run_and_wait(qtbot, dialog, dialog.folder_button) == "ok", dialog.message.text()
    assert "dipakai dari" in dialog.message.text() and str(usb) in dialog.message.text()
    assert settings_dialog.model_edits["diffusers_vae"].text() == str(usb)
    assert cells(dialog, "taesd")[4] == "Ada — folder pilihan Anda"
    assert not mm.app_folder(get_spec("taesd")).exists()
    # Copied into the app's folder (with a manifest of checksums): the field follows the copy.
    click(qtbot, dialog.copy_check)
    assert run_and_wait(qtbot, dialog, dialog.folder_button) == "ok", dialog.message.text()
    app = mm.app_folder(get_spec("taesd"))
    assert "disalin" in dialog.message.text()
    assert settings_dialog.model_edits["diffusers_vae"].text() == str(app)
    assert (app / MANIFEST).is_file()
    # "Periksa" on the intact copy, then on a copy with one flipped byte.
    assert run_and_wait(qtbot, dialog, dialog.verify_button) == "ok"
    assert dialog.message.text().startswith("✓ Utuh")
    weights = app / "diffusion_pytorch_model.safetensors"
    data = bytearray(weights.read_bytes())
    data[1000] ^= 0xFF
    weights.write_bytes(bytes(data))
    assert run_and_wait(qtbot, dialog, dialog.verify_button) == "ok"
    text = dialog.message.text()
    assert text.startswith("✗ Rusak") and "diffusion_pytorch_model.safetensors rusak" in text
    click(qtbot, dialog.close_button)
    click(qtbot, settings_dialog.save_button)
    assert w.session.settings.models.diffusers_vae == str(app) == load_settings().models.diffusers_vae
