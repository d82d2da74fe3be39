"""The fast local script engine on a tiny random Qwen2 that the test converts with engines.llm.convert.

Skipped with a reason when the 'fast' extra (OpenVINO GenAI, optimum-intel, NNCF) is not
installed. The model's weights are random, so what it writes is gibberish: the point is
that decoding constrained to the script pattern still gives JSON that parses into scenes.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path

import pytest

from studio.core.jobs import Cancelled, JobContext
from studio.engines.base import ScriptRequest
from studio.engines.llm.convert import convert_to_openvino, is_converted
from tests.tiny_chat import build_tiny_chat

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("openvino_genai", "optimum.intel", "nncf")),
                       reason="the 'fast' extra (openvino-genai, optimum-intel, nncf) is not installed"),
]

REQUEST = ScriptRequest(title="Weton", region="Jawa Tengah", theme="tradisi", target_seconds=20, min_seconds=10,
                        max_seconds=30, min_scenes=3, max_scenes=4)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fast")
    hf = build_tiny_chat(root / "hf")
    seen: list[float] = []
    # The tiny model's layers are 32 wide: int4 groups of 16 instead of the default 128.
    out = convert_to_openvino(hf, root / "ov", JobContext("convert", lambda p: seen.append(p.done)), group_size=16)
    assert seen[-1] == 1 and len(seen) >= 3
    return out


def test_conversion_makes_a_whole_openvino_folder(converted: Path) -> None:
    assert is_converted(converted)
    assert not converted.with_name(converted.name + ".partial").exists()
    assert (converted / "README.md").is_file()  # the model card survives for the licence


def test_cancel_during_conversion_kills_the_child_and_removes_partial_output(tmp_path: Path) -> None:
    hf = build_tiny_chat(tmp_path / "hf")
    ctx = JobContext("convert")
    # Cancel as soon as the converter reports its first stage: the child is running by then.
    ctx._report = lambda p: ctx.cancel() if p.done > 0 or "Mengonversi" in p.message else None  # type: ignore[method-assign]
    with pytest.raises(Cancelled):
        convert_to_openvino(hf, tmp_path / "ov", ctx, group_size=16)
    assert not (tmp_path / "ov").exists()
    assert not (tmp_path / "ov.partial").exists()


def test_load_generate_stream_parse_on_the_converted_model(converted: Path) -> None:
    from studio.engines.llm.fast_local import FastLocalScriptEngine

    engine = FastLocalScriptEngine(converted, threads=2, max_new_tokens=6000)
    assert engine.preflight() == []
    messages: list[str] = []
    result = engine.write(REQUEST, JobContext("script", lambda p: messages.append(p.message)))
    assert 3 <= len(result.scenes) <= 15  # write() accepts 3–15 scenes (ChatScriptEngine), the pattern too
    assert all(s.narration for s in result.scenes)
    # The raw answer is the compact JSON the pattern allows, whole, and it is what was streamed.
    data = json.loads(result.raw)
    assert set(data["scenes"][0]) == {"narration", "image_prompt", "on_screen_text", "needs_review"}
    assert engine.partial_text == result.raw
    assert any("token" in m for m in messages)
    assert engine.retries == 0 and engine.answers == 1
    params = result.provenance.params
    assert params["runtime"] == "openvino-genai" and params["constrained_json"] is True
    assert params["attempts"] == 1 and params["tokens"] > 0


def test_unconstrained_random_model_goes_through_the_repair_path_to_a_clear_failure(converted: Path) -> None:
    from studio.core.errors import EngineFailed
    from studio.engines.llm.fast_local import FastLocalScriptEngine

    engine = FastLocalScriptEngine(converted, max_new_tokens=64, constrained=False)
    with pytest.raises(EngineFailed) as err:
        engine.write(REQUEST, JobContext("script"))
    assert "twice" in str(err.value)
    assert engine.answers == 1


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
