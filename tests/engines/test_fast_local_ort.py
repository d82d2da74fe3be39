"""The fast local script engine's ONNX Runtime GenAI backend on a tiny random Qwen2 converted by engines.llm.convert_ort.

Skipped with a reason when ONNX Runtime GenAI (the 'fast' extra) is not installed. The
model's weights are random, so what it writes is gibberish: the point is that decoding
held to the script pattern by the runtime's guidance still gives JSON that parses into
scenes, through the real load → chat template → generate → stream → parse path.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path

import pytest

from studio.core.jobs import Cancelled, JobContext
from studio.engines.base import ScriptRequest
from studio.engines.llm.convert_ort import convert_to_onnx, is_converted_ort
from tests.tiny_chat import build_tiny_chat

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("onnxruntime_genai", "onnx_ir", "onnx")),
                       reason="ONNX Runtime GenAI and its model builder (the 'fast' extra) are not installed"),
]

REQUEST = ScriptRequest(title="Weton", region="Jawa Tengah", theme="tradisi", target_seconds=20, min_seconds=10,
                        max_seconds=30, min_scenes=3, max_scenes=4)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fast-ort")
    hf = build_tiny_chat(root / "hf", heads=2)  # heads 16 wide: ORT's attention kernel needs that
    seen: list[tuple[float, str]] = []
    # The tiny model's layers are 32 wide: int4 blocks of 16 instead of the default 32.
    out = convert_to_onnx(hf, root / "onnx", JobContext("convert", lambda p: seen.append((p.done, p.message))),
                          block_size=16)
    assert seen[-1][0] == 1
    assert len(seen) >= 3  # stages read from the builder's output (the tiny model's layers flash by)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    return out


def test_conversion_makes_a_whole_onnx_folder_with_the_chosen_options(converted: Path) -> None:
    assert is_converted_ort(converted)
    assert not converted.with_name(converted.name + ".partial").exists()
    assert not converted.with_name(converted.name + ".cache").exists()
    assert (converted / "README.md").is_file()  # the model card survives for the licence
    import onnx

    graph = onnx.load(str(converted / "model.onnx"), load_external_data=False).graph
    nbits = [n for n in graph.node if n.op_type == "MatMulNBits"]
    assert nbits
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in nbits[0].attribute}
    assert attrs["bits"] == 4 and attrs["block_size"] == 16 and attrs["accuracy_level"] == 4


def test_a_folder_without_its_graph_is_not_whole(converted: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(converted, copy)
    assert is_converted_ort(copy)
    (copy / "model.onnx").unlink()
    assert not is_converted_ort(copy)
    from studio.engines.llm.fast_local import FastLocalScriptEngine

    problems = FastLocalScriptEngine(copy).preflight()
    assert problems and "not a whole" in problems[0]


def test_cancel_during_conversion_kills_the_child_and_removes_partial_output(tmp_path: Path) -> None:
    hf = build_tiny_chat(tmp_path / "hf", heads=2)
    ctx = JobContext("convert")
    ctx._report = lambda p: ctx.cancel() if p.done > 0 or "Mengonversi" in p.message else None  # type: ignore[method-assign]
    with pytest.raises(Cancelled):
        convert_to_onnx(hf, tmp_path / "onnx", ctx, block_size=16)
    assert not (tmp_path / "onnx").exists()
    assert not (tmp_path / "onnx.partial").exists()
    assert not (tmp_path / "onnx.cache").exists()


def test_load_generate_stream_parse_on_the_converted_model(converted: Path) -> None:
    from studio.engines.llm.fast_local import FastLocalScriptEngine

    engine = FastLocalScriptEngine(converted, threads=2, max_new_tokens=6000)
    assert engine.preflight() == [] and engine.backend == "onnxruntime-genai"
    messages: list[str] = []
    result = engine.write(REQUEST, JobContext("script", lambda p: messages.append(p.message)))
    assert 3 <= len(result.scenes) <= 15
    assert all(s.narration for s in result.scenes)
    data = json.loads(result.raw)  # whole, compact JSON in the pattern's shape
    assert set(data["scenes"][0]) == {"narration", "image_prompt", "on_screen_text", "needs_review"}
    assert engine.partial_text == result.raw  # what streamed is the answer (no end-of-turn token)
    assert any("token" in m for m in messages)
    assert engine.retries == 0 and engine.answers == 1
    params = result.provenance.params
    assert params["runtime"].startswith("onnxruntime-genai ") and params["constrained_json"] is True
    assert params["attempts"] == 1 and params["tokens"] > 0 and params["threads"] == 2
    assert result.provenance.model_revision  # from the folder's config files


def test_same_seed_same_answer(converted: Path) -> None:
    from studio.engines.llm.fast_local import FastLocalScriptEngine

    a = FastLocalScriptEngine(converted, max_new_tokens=6000, seed=7).write(REQUEST, JobContext("script"))
    b = FastLocalScriptEngine(converted, max_new_tokens=6000, seed=7).write(REQUEST, JobContext("script"))
    assert a.raw == b.raw


def test_unconstrained_random_model_goes_through_the_repair_path_to_a_clear_failure(converted: Path) -> None:
    from studio.core.errors import EngineFailed
    from studio.engines.llm.fast_local import FastLocalScriptEngine

    engine = FastLocalScriptEngine(converted, max_new_tokens=64, constrained=False)
    with pytest.raises(EngineFailed) as err:
        engine.write(REQUEST, JobContext("script"))
    assert "twice" in str(err.value)


def test_cancel_during_generation(converted: Path) -> None:
    from studio.engines.llm.fast_local import FastLocalScriptEngine

    engine = FastLocalScriptEngine(converted, max_new_tokens=6000)
    engine.load()
    ctx = JobContext("script")
    started = threading.Event()

    def report(p: object) -> None:
        if "token" in getattr(p, "message", ""):
            started.set()
            ctx.cancel()

    ctx._report = report  # type: ignore[method-assign]
    with pytest.raises(Cancelled):
        engine.write(REQUEST, ctx)
    assert started.is_set()
    assert 0 < engine.last_tokens < 6000
