"""The measured speed of local script writing (core.speed_stats, pipeline.script_eta): the stats
file's round trip and what a corrupt one does, the estimate for a known rate, the rough estimate
before any run, and a real local generation recording its own speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.core import paths, speed_stats
from studio.core.jobs import JobContext
from studio.core.project import Brief, Project
from studio.core.speed_stats import ScriptRun
from studio.core.storage import create_project
from studio.engines.support import cpu
from studio.pipeline import script_eta
from studio.pipeline.script import typical_word_budget, write_script

RUN = ScriptRun(engine="script.fast_local", model="qwen2.5-1.5b-instruct-int4-ort", threads=2,
                first_text_s=12.0, write_s=80.0, chars=2400, tokens=900, word_budget=140,
                runtime="onnxruntime-genai")


def test_stats_round_trip_keeps_the_newest_runs_of_each_setup(tmp_path: Path) -> None:
    path = tmp_path / "speed.json"
    assert speed_stats.load(path) == []
    speed_stats.record(RUN, path)
    other = ScriptRun(**{**RUN.__dict__, "threads": 4, "at": ""})
    speed_stats.record(other, path)
    back = speed_stats.load(path)
    assert [(r.threads, r.chars, r.first_text_s, r.runtime) for r in back] == [(2, 2400, 12.0, "onnxruntime-genai"),
                                                                               (4, 2400, 12.0, "onnxruntime-genai")]
    assert all(r.at for r in back)  # stamped when recorded
    assert back[0].chars_per_s == 30.0 and back[0].tokens_per_s == 900 / 80
    for i in range(speed_stats.KEEP_PER_SETUP + 2):
        speed_stats.record(ScriptRun(**{**RUN.__dict__, "chars": 1000 + i, "at": ""}), path)
    mine = speed_stats.runs_for(RUN.engine, RUN.model, 2, path)
    assert [r.chars for r in mine] == [1000 + i for i in range(2, speed_stats.KEEP_PER_SETUP + 2)]
    assert len(speed_stats.runs_for(RUN.engine, RUN.model, 4, path)) == 1
    assert not list(tmp_path.glob("*.tmp"))  # written atomically
    assert set(json.loads(path.read_text(encoding="utf-8"))) == {"version", "script"}
    with pytest.raises(ValueError):
        speed_stats.record(ScriptRun(**{**RUN.__dict__, "write_s": 0.0}), path)


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe\x00garbage", b"[]", b'{"script": 7}',
                                     b'{"script": {"engine": "x"}}'])
def test_a_corrupt_stats_file_means_no_runs_and_is_replaced_on_the_next_run(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "speed.json"
    path.write_bytes(content)
    assert speed_stats.load(path) == []
    speed_stats.record(RUN, path)
    assert [r.chars for r in speed_stats.load(path)] == [2400]


def test_bad_records_are_skipped_and_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "speed.json"
    good = {k: v for k, v in RUN.__dict__.items()}
    bad = [{"engine": "script.local"}, {**good, "write_s": "fast"}, {**good, "chars": -5},
           {**good, "first_text_s": float("nan")}, "a string", {**good, "write_s": 0}]
    path.write_text(json.dumps({"version": 1, "script": [*bad, good]}), encoding="utf-8")
    assert speed_stats.load(path) == [RUN]


def test_the_estimate_for_a_known_rate() -> None:
    runs = [ScriptRun(**{**RUN.__dict__, "first_text_s": first, "write_s": write, "chars": 2400})
            for first, write in ((10.0, 80.0), (12.0, 60.0), (30.0, 120.0))]
    est = script_eta.measured(runs, 140)
    # medians: 12 s to the first text, 30 characters a second, 2400 / 140 characters per word asked
    assert est is not None and not est.rough and est.runs == 3
    assert est.first_text_s == 12.0 and est.chars_per_s == 30.0 and est.chars == 2400
    assert est.seconds == pytest.approx(12.0 + 2400 / 30.0)
    assert script_eta.measured(runs, 70).seconds == pytest.approx(12.0 + 1200 / 30.0)
    assert script_eta.measured([], 140) is None


def fast_engine(folder: Path, weights: int, threads: int = 2):
    """The real fast engine over a folder laid out like a converted ONNX Runtime GenAI model, its
    weight file the size of the 1.5B int4 one (sparse: the rough estimate reads only the size)."""
    from studio.engines.llm.fast_local import FastLocalScriptEngine

    folder.mkdir(parents=True)
    (folder / "genai_config.json").write_text("{}", encoding="utf-8")
    with open(folder / "model.onnx.data", "wb") as f:
        f.truncate(weights)
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    return FastLocalScriptEngine(folder, threads=threads)


def test_the_rough_estimate_reproduces_the_bench_and_follows_the_cpu(tmp_path: Path) -> None:
    epyc = cpu.parse_cpuinfo((Path(__file__).parent.parent / "data" / "cpuinfo" / "amd-epyc-avx512-bf16.txt")
                             .read_text(encoding="utf-8"))
    laptop = cpu.parse_cpuinfo((Path(__file__).parent.parent / "data" / "cpuinfo" / "intel-i5-8250u-laptop.txt")
                               .read_text(encoding="utf-8"))
    engine = fast_engine(tmp_path / "qwen-1.5b-int4-ort", 837_148_672)  # the bench's converted folder's size
    assert script_eta.weight_bytes(engine.model_dir) == 837_148_672  # the tokenizer and config do not count
    est = script_eta.rough(engine, 130, epyc)
    assert est is not None and est.rough and est.runs == 0
    # The bench measured 9.5 tokens/s for this model on this CPU with 2 threads.
    assert est.chars_per_s / script_eta.CHARS_PER_TOKEN == pytest.approx(9.5, rel=0.03)
    assert est.chars == script_eta.expected_chars(130)
    slower = script_eta.rough(engine, 130, laptop)
    assert slower.seconds > est.seconds * 1.4
    bigger = script_eta.rough(fast_engine(tmp_path / "qwen-3b-int4-ort", 2 * 837_148_672), 130, epyc)
    assert bigger.seconds > est.seconds * 1.8
    # Not local, or no model: nothing to estimate.
    from studio.engines.llm.fast_local import FastLocalScriptEngine
    from studio.engines.llm.template import TemplateScriptEngine

    assert script_eta.estimate(FastLocalScriptEngine(""), 130, epyc) is None
    assert script_eta.estimate(TemplateScriptEngine(), 130, epyc) is None


def test_a_real_local_generation_records_its_speed_and_the_estimate_becomes_measured(tmp_path: Path) -> None:
    from tiny_chat import build_tiny_chat

    from studio.engines.llm.local import LocalChatScriptEngine

    project = Project(brief=Brief(title="Weton: Hitungan Hari Orang Jawa", region="Klaten", theme="weton"))
    root = tmp_path / "weton"
    create_project(root, project)
    folder = build_tiny_chat(tmp_path / "tiny-steered", steer=(
        '{"scenes": [', '{"narration": "Satu kalimat pembuka tentang weton.", "image_prompt": "a calendar"},',
        '{"narration": "Kalimat kedua tentang hari pasaran.", "image_prompt": "a market"},',
        '{"narration": "Kalimat penutup yang mengajak.", "image_prompt": "rice fields"}', "]}"))
    engine = LocalChatScriptEngine(folder)
    stats = paths.speed_stats_path()
    before = speed_stats.runs_for("script.local", folder.name, 1)
    words, _video = typical_word_budget(project, 140)
    assert script_eta.estimate(engine, words, cpu.detect()).rough == (not before)
    outcome = write_script(project, root, engine, JobContext("script"), words_per_minute=140)
    runs = speed_stats.runs_for("script.local", folder.name, 1)
    assert len(runs) == min(len(before) + 1, speed_stats.KEEP_PER_SETUP) and stats.is_file()
    run = runs[-1]
    raw = json.loads(outcome.path.read_text(encoding="utf-8"))
    assert run.runtime == "transformers" and run.threads == 1 and run.tokens > 0
    assert run.chars == len(raw["raw"])  # the answer as the model wrote it
    assert run.word_budget == words and run.first_text_s > 0 and run.write_s > 0
    est = script_eta.estimate(engine, words, cpu.detect())
    assert not est.rough and est.runs == len(runs)
    text = stats.read_text(encoding="utf-8")
    assert "weton" not in text.lower() and "kalimat" not in text.lower()  # speeds only, never the script
