"""On-machine conversion through the model manager: ``engines.models.conversion.convert`` and
``studio models convert ID`` on a tiny random Qwen2 laid out as a downloaded Hugging Face model.

The ONNX Runtime GenAI model builder (the 'fast' extra) does the real conversion; the tests
skip with a reason where it is not installed. The missing-base-model and layout checks need
no runtime.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.cli import main
from studio.core.errors import EngineUnavailable, UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.settings import Settings, load_settings
from studio.engines.models import conversion
from studio.engines.models import manager as mm
from studio.engines.models.catalog import MANIFEST, catalog, get_spec
from studio.engines.models.folders import folder_problems
from tests.tiny_chat import build_tiny_chat

ORT = "qwen2.5-0.5b-instruct-int4-onnx"
needs_builder = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("onnxruntime_genai", "onnx_ir", "onnx")),
    reason="ONNX Runtime GenAI and its model builder (the 'fast' extra) are not installed")


@pytest.fixture(autouse=True)
def isolated(isolated_models):
    """Every test here runs against its own empty model folders (conftest's isolated_models)."""
    return isolated_models


def hub_snapshot(home: Path, repo: str) -> Path:
    """The tiny model where a Hugging Face download of ``repo`` would be (the standard cache layout)."""
    root = home / "user" / ".cache" / "huggingface" / "hub" / ("models--" + repo.replace("/", "--"))
    snap = build_tiny_chat(root / "snapshots" / "0123abc", heads=2)
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text("0123abc", encoding="utf-8")
    return snap


def test_every_fast_model_names_a_base_it_can_be_made_from_and_the_winner_is_recommended() -> None:
    fast = [s for s in catalog().values() if s.engine == "script.fast_local"]
    assert {s.layout for s in fast} == {"onnx-genai-chat", "openvino-chat"}
    for spec in fast:
        assert conversion.can_convert(spec), spec.id
        assert conversion.base_spec(spec).layout == "chat"
        assert spec.repo or "converted on this computer" in spec.source
    recommended = [s for s in fast if s.recommended]
    assert [s.id for s in recommended] == ["qwen2.5-1.5b-instruct-int4-onnx"]
    with pytest.raises(UsageError) as err:
        conversion.base_spec(get_spec("sd-turbo"))
    assert "cannot be converted on this computer" in str(err.value) and ORT in str(err.value)


def test_missing_base_model_is_a_sentence_that_says_how_to_get_it() -> None:
    with pytest.raises(EngineUnavailable) as err:
        conversion.convert(get_spec(ORT), JobContext("convert"))
    text = str(err.value)
    assert text.startswith("Qwen2.5 0.5B Instruct int4 (ONNX Runtime GenAI) is made from Qwen2.5 0.5B Instruct")
    assert "which is not on this computer" in text and "studio models download qwen2.5-0.5b-instruct" in text
    assert text.endswith(".")
    assert "belum ada di komputer ini" in err.value.text("id")
    assert not mm.app_folder(get_spec(ORT)).exists()
    assert main(["models", "convert", ORT]) == 2


def test_a_folder_that_is_not_a_chat_model_is_refused_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(EngineUnavailable) as err:
        conversion.convert(get_spec(ORT), JobContext("convert"), source=tmp_path / "empty")
    assert "config.json is missing" in str(err.value)


def test_block_size_fits_the_model_widths(tmp_path: Path) -> None:
    def model(hidden: int, inner: int, heads: int) -> Path:
        folder = tmp_path / f"m{hidden}-{inner}"
        folder.mkdir(exist_ok=True)
        (folder / "config.json").write_text(json.dumps(
            {"hidden_size": hidden, "intermediate_size": inner, "num_attention_heads": heads}), encoding="utf-8")
        return folder

    from studio.engines.llm.convert_ort import fitting_block

    assert fitting_block(model(1536, 8960, 12)) == 256  # Qwen2.5-1.5B, the block the bench chose
    assert fitting_block(model(2048, 11008, 16)) == 256  # Qwen2.5-3B
    assert fitting_block(model(896, 4864, 14)) == 128  # Qwen2.5-0.5B: 896 = 3.5 × 256
    assert fitting_block(model(32, 64, 2)) == 16  # the tests' tiny model
    assert fitting_block(model(1536, 8960, 12), 128) == 128


def test_onnx_genai_folder_checks(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    assert "genai_config.json is missing" in str(folder_problems("onnx-genai-chat", folder)[0])
    (folder / "genai_config.json").write_text(json.dumps({"model": {"decoder": {"filename": "q.onnx"}}}))
    problems = [str(p) for p in folder_problems("onnx-genai-chat", folder)]
    assert any("q.onnx is missing" in p for p in problems) and any("tokenizer.json is missing" in p for p in problems)
    (folder / "q.onnx").write_bytes(b"graph")
    (folder / "tokenizer.json").write_text("{}")
    assert "the weights (q.onnx.data) is missing" in str(folder_problems("onnx-genai-chat", folder)[0])
    (folder / "q.onnx.data").write_bytes(b"weights")
    assert folder_problems("onnx-genai-chat", folder) == []
    (folder / "genai_config.json").write_text("{}")
    assert "does not name the model's graph" in str(folder_problems("onnx-genai-chat", folder)[0])


@needs_builder
def test_convert_finds_the_downloaded_base_converts_writes_the_manifest_and_adopts(isolated: Path) -> None:
    snap = hub_snapshot(isolated, "Qwen/Qwen2.5-0.5B-Instruct")
    spec = get_spec(ORT)
    assert conversion.find_base(spec) == snap
    settings = Settings()
    seen: list[tuple[float | None, str]] = []
    folder = conversion.convert(spec, JobContext("convert", lambda p: seen.append((p.fraction, p.message))),
                                settings=settings)
    assert folder == mm.app_folder(spec) and settings.models.llm_fast == str(folder)
    assert seen[-1][0] == 1 and len(seen) >= 3  # the converter's stages, the checksums, done
    assert any("ONNX int4" in m for _, m in seen) and any("checksum" in m for _, m in seen)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["id"] == ORT and manifest["repo"] == "Qwen/Qwen2.5-0.5B-Instruct"
    assert "converted on this computer from qwen2.5-0.5b-instruct" in manifest["source"]
    assert "int4 blocks of 16" in manifest["source"]  # the tiny model's widths
    assert set(manifest["files"]) >= {"genai_config.json", "model.onnx", "model.onnx.data", "tokenizer.json"}
    assert mm.verify_folder(spec, folder).ok
    status = next(st for st in mm.statuses(settings) if st.spec.id == ORT)
    assert status.present and status.best is not None and status.best.where == "app"
    from studio.engines.llm.fast_local import FastLocalScriptEngine

    engine = FastLocalScriptEngine.from_settings(settings)
    assert engine.model_dir == folder and engine.preflight() == [] and engine.backend == "onnxruntime-genai"
    assert engine.model_label == "Qwen/Qwen2.5-0.5B-Instruct"  # the AI log names the model, not the folder


@needs_builder
def test_cancel_removes_the_partial_conversion(isolated: Path) -> None:
    hub_snapshot(isolated, "Qwen/Qwen2.5-0.5B-Instruct")
    ctx = JobContext("convert")
    ctx._report = lambda p: ctx.cancel() if "Mengonversi" in p.message else None  # type: ignore[method-assign]
    settings = Settings()
    with pytest.raises(Cancelled):
        conversion.convert(get_spec(ORT), ctx, settings=settings)
    out = mm.app_folder(get_spec(ORT))
    assert not out.exists() and not out.with_name(out.name + ".partial").exists()
    assert settings.models.llm_fast == ""


@needs_builder
def test_cli_convert_from_a_folder(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hf = build_tiny_chat(isolated / "usb" / "qwen", heads=2)
    assert main(["models", "convert", "qwen2.5-3b-instruct-int4-onnx", "--from", str(hf)]) == 0
    out = capsys.readouterr().out
    folder = mm.app_folder(get_spec("qwen2.5-3b-instruct-int4-onnx"))
    assert f"Ready: {folder}" in out and "ONNX Runtime GenAI's converter" in out
    assert load_settings(apply_env=False).models.llm_fast == str(folder)
    assert main(["models", "verify", "qwen2.5-3b-instruct-int4-onnx"]) == 0
    assert main(["models", "list"]) == 0
    assert "studio models download qwen2.5-1.5b-instruct, then studio models convert " \
           "qwen2.5-1.5b-instruct-int4-onnx" in capsys.readouterr().out


@needs_builder
@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT (Ctrl-C) to a child process")
def test_cli_ctrl_c_exits_130_and_leaves_no_folder(isolated: Path) -> None:
    hf = build_tiny_chat(isolated / "hf", heads=2)
    out = mm.app_folder(get_spec(ORT))
    partial = out.with_name(out.name + ".partial")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), *sys.path])}
    proc = subprocess.Popen([sys.executable, "-m", "studio", "models", "convert", ORT, "--from", str(hf)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not partial.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert partial.exists(), proc.communicate()
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, (stdout, stderr)
    assert "The partial conversion was removed" in stderr
    assert not out.exists() and not partial.exists()
    assert load_settings(apply_env=False).models.llm_fast == ""
