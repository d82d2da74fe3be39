"""Model AI's "Konversi di komputer ini", clicked like a user: a tiny random Qwen2 laid out as a downloaded
Hugging Face model is converted by the ONNX Runtime GenAI model builder as a job (progress, then the folder
adopted into the settings), and a cancelled conversion leaves nothing behind."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from ui_helpers import click

from studio.core.settings import Settings
from studio.engines.models import manager as mm
from studio.engines.models.catalog import get_spec
from tests.tiny_chat import build_tiny_chat

ORT = "qwen2.5-0.5b-instruct-int4-onnx"
pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("onnxruntime_genai", "onnx_ir", "onnx")),
    reason="ONNX Runtime GenAI and its model builder (the 'fast' extra) are not installed")


@pytest.fixture
def downloaded(tmp_path, monkeypatch):
    """Own app model folder; the tiny model where a download of Qwen/Qwen2.5-0.5B-Instruct would be."""
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path / "app-models"))
    for var in ("HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    root = tmp_path / "hf-home" / "hub" / "models--Qwen--Qwen2.5-0.5B-Instruct"
    build_tiny_chat(root / "snapshots" / "abc", heads=2)
    (root / "refs").mkdir()
    (root / "refs" / "main").write_text("abc", encoding="utf-8")
    return tmp_path


def open_dialog(qtbot, changes: list[Settings]):
    from studio.ui.models_dialog import ModelsDialog

    dialog = ModelsDialog(None, Settings(), on_settings=changes.append)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_convert_button_only_for_models_made_here_and_it_converts_and_adopts(qtbot, downloaded: Path,
                                                                           shot) -> None:  # noqa: ANN001
    changes: list[Settings] = []
    dialog = open_dialog(qtbot, changes)
    dialog.select("sd-turbo")
    assert dialog.convert_button.isHidden()
    dialog.select(ORT)
    assert not dialog.convert_button.isHidden() and dialog.convert_button.isEnabled()
    assert dialog.convert_button.text() == "Konversi di komputer ini"
    assert "Qwen2.5 0.5B Instruct" in dialog.convert_button.toolTip()
    shot(dialog, "17-model-konversi-di-komputer-ini")
    click(qtbot, dialog.convert_button)
    assert dialog.busy and not dialog.convert_button.isEnabled() and not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=300_000)
    assert dialog.last_outcome == "ok", dialog.message.text()
    folder = mm.app_folder(get_spec(ORT))
    assert dialog.message.text().startswith("✓ ") and str(folder) in dialog.message.text()
    assert changes and changes[-1].models.llm_fast == str(folder)
    status = next(st for st in dialog.statuses if st.spec.id == ORT)
    assert status.present and dialog.verify_button.property("role") == "primary"
    dialog.close()


def test_cancel_during_conversion_removes_what_was_started(qtbot, downloaded: Path) -> None:
    changes: list[Settings] = []
    dialog = open_dialog(qtbot, changes)
    dialog.select(ORT)
    out = mm.app_folder(get_spec(ORT))
    partial = out.with_name(out.name + ".partial")
    click(qtbot, dialog.convert_button)
    qtbot.waitUntil(lambda: partial.exists() or not dialog.busy, timeout=120_000)
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=120_000)
    assert dialog.last_outcome == "cancelled", dialog.message.text()
    assert dialog.message.text() == "Konversi dibatalkan; sisa konversi sudah dihapus."
    assert not out.exists() and not partial.exists() and not changes
    dialog.close()
