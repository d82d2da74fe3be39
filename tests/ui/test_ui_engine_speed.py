"""Issue 17's "done means" in the window: a trainer chooses "Naskah lokal cepat" in Settings and sees
which runtime and CPU features it uses and the expected time of one script before pressing the
button; the Naskah page shows the same estimate beside its button, rough until a real local
generation has been measured, then measured."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from ui_helpers import click, new_project_with_scenes, wait_job

from studio.core import speed_stats
from studio.engines import registry
from studio.engines.support import cpu
from studio.pipeline import script_eta
from studio.pipeline.script import typical_word_budget
from studio.ui import engine_facts, i18n

BENCH_INT4_BYTES = 837_148_672
"""The size of the 1.5B int4 ONNX Runtime GenAI weights llm_bench converted on this machine."""


def ort_layout(folder: Path) -> Path:
    """A folder laid out like a converted ONNX Runtime GenAI model with the 1.5B int4 weights' size
    (sparse: Settings reads only names and sizes; the engine's preflight still says it is not whole)."""
    folder.mkdir(parents=True)
    (folder / "genai_config.json").write_text("{}", encoding="utf-8")
    with open(folder / "model.onnx.data", "wb") as f:
        f.truncate(BENCH_INT4_BYTES)
    return folder


def open_settings(w):
    w.actions_by_name["settings"].trigger()
    QApplication.processEvents()
    return w.settings_dialog


@pytest.fixture(autouse=True)
def no_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in cpu.CAP_VARS:
        monkeypatch.delenv(var, raising=False)


def test_settings_names_the_fast_engine_its_runtime_the_cpu_and_the_expected_time(window, qtbot, tmp_path,
                                                                                  monkeypatch, shot) -> None:
    w = window
    settings = w.session.settings.model_copy(deep=True)
    settings.models.llm_fast = str(ort_layout(tmp_path / "qwen2.5-1.5b-instruct-int4-ort"))
    w.session.set_settings(settings)
    dialog = open_settings(w)
    combo = dialog.engine_combos["script"]
    # Chosen by its plain name, as a trainer sees it.
    index = combo.findText("Naskah lokal cepat")
    assert index >= 0 and combo.itemData(index) == "script.fast_local"
    combo.setCurrentIndex(index)
    found = cpu.detect()
    facts = dialog.facts_label.text()
    assert facts.startswith("Naskah: ONNX Runtime GenAI, bobot int4, 2 inti prosesor · CPU: ")
    assert "CPU: " + ", ".join(found.usable) in facts
    if found.bf16_fast:
        assert "Prosesor ini mendukung perhitungan bf16 cepat" in facts
    eta = dialog.eta_label.text()
    assert dialog.eta_label.isVisible() and eta.startswith("Perkiraan kasar: ±") and "untuk naskah" in eta
    assert "ukuran model dan prosesor" in eta  # says it is rough until the first run
    engine = registry.create("script.fast_local", dialog.current())
    words, video = typical_word_budget()
    expected = script_eta.estimate(engine, words, found)
    assert eta.startswith(engine_facts.eta_text(expected, video)[0])
    assert engine.model_dir.name == "qwen2.5-1.5b-instruct-int4-ort"
    shot(dialog, "17-pengaturan-naskah-lokal-cepat")

    # A cap set for the bench (the ordinary laptop CPU): said so, and the features above it are not counted.
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    dialog._recheck()
    capped = dialog.facts_label.text()
    if "AVX-512" in found.flags:
        assert "CPU: AVX2\n" in capped and "dibatasi sampai AVX2 oleh ONEDNN_MAX_CPU_ISA" in capped
        assert "tidak dipakai: AVX-512" in capped
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA")

    # A server engine runs elsewhere: no estimate, no runtime line.
    combo.setCurrentIndex(combo.findData("script.openai"))
    assert not dialog.eta_label.isVisible() and not dialog.facts_label.text().startswith("Naskah:")
    click(qtbot, dialog.cancel_button)

    # In English, through the translation files.
    i18n.install("en")
    combo_en = open_settings(w).engine_combos["script"]
    assert combo_en.findText("Fast local script") >= 0
    combo_en.setCurrentIndex(combo_en.findData("script.fast_local"))
    en = w.settings_dialog
    assert en.facts_label.text().startswith("Script: ONNX Runtime GenAI, int4 weights, 2 processor cores")
    assert en.eta_label.text().startswith("Rough estimate: about ")
    shot(en, "17-settings-fast-local-script-en")
    click(qtbot, en.cancel_button)


def test_the_naskah_page_shows_the_estimate_rough_then_measured_after_a_real_run(window, qtbot, tmp_path,
                                                                                 shot) -> None:
    from tiny_chat import build_tiny_chat

    w = window
    folder = build_tiny_chat(tmp_path / "tiny-steered-ui", steer=(
        '{"scenes": [', '{"narration": "Tumpeng disusun dari nasi kuning.", "image_prompt": "a tumpeng"},',
        '{"narration": "Lauk mengelilingi kerucut nasi.", "image_prompt": "side dishes"},',
        '{"narration": "Mari lestarikan tumpeng.", "image_prompt": "a family meal"}', "]}"))
    settings = w.session.settings.model_copy(deep=True)
    settings.engines.script = "script.local"
    settings.models.llm_local = str(folder)
    w.session.set_settings(settings)
    new_project_with_scenes(qtbot, w, tmp_path / "tumpeng", 0)
    page = w.pages["script"]
    page.refresh()
    before = speed_stats.runs_for("script.local", folder.name, 1)
    assert not before
    assert page.eta_label.isVisible() and page.eta_label.text().startswith("Perkiraan kasar: ±")
    assert "ukuran model dan prosesor" in page.eta_label.toolTip()
    shot(w, "17-naskah-perkiraan-kasar")
    click(qtbot, page.generate_button)
    assert wait_job(qtbot, w) == "ok"
    QApplication.processEvents()
    runs = speed_stats.runs_for("script.local", folder.name, 1)
    assert len(runs) == 1 and runs[0].runtime == "transformers"
    text = page.eta_label.text()
    assert text.startswith("Perkiraan: ±") and "kasar" not in text
    assert page.eta_label.toolTip() == "Diukur dari 1 naskah terakhir dengan model ini di komputer ini."
    shot(w, "17-naskah-perkiraan-terukur")


def test_the_estimate_text_for_a_known_rate() -> None:
    from studio.core.speed_stats import ScriptRun

    # 10 s to the first text, then 30 characters a second for 2,700 characters: 100 s in all.
    runs = [ScriptRun(engine="script.fast_local", model="m", threads=2, first_text_s=10.0, write_s=90.0,
                      chars=2700, word_budget=150)]
    est = script_eta.measured(runs, 150)
    assert engine_facts.eta_text(est, 75) == ("Perkiraan: ±1 menit 40 dtk untuk naskah 75 dtk",
                                              "Diukur dari 1 naskah terakhir dengan model ini di komputer ini.")
    assert [engine_facts.duration_words(s) for s in (0.2, 45, 59.6, 61, 120, 212)] == [
        "±1 dtk", "±45 dtk", "±1 menit", "±1 menit", "±2 menit", "±3 menit 30 dtk"]
    i18n.install("en")
    assert engine_facts.eta_text(est, 75)[0] == "Estimate: about 1 min 40 s for a 75 s script"
    rough = script_eta.Estimate(seconds=125, runs=0, first_text_s=17.0, chars_per_s=24.0, chars=2600)
    assert engine_facts.eta_text(rough, 75)[0] == "Rough estimate: about 2 min 5 s for a 75 s script"
