"""The local transformers chat engine on a tiny random Qwen2 chat model built and saved by the test,
loaded from its folder through the engine's own loader (no hub, no download): chat-template
prompting, streamed tokens as progress, cancel mid-generation, the repair/retry path to a clear
failure (random weights) and to a repaired result (decoding steered by the saved generation config)."""

from __future__ import annotations

import json

import pytest
from llm_server import FACT
from llm_server import script_request as request
from tiny_chat import NO_SYSTEM, build_tiny_chat

from studio.core.errors import EngineFailed, EngineUnavailable
from studio.core.jobs import Cancelled, JobContext, Progress
from studio.core.settings import Settings
from studio.engines import registry
from studio.engines.base import DraftScene
from studio.engines.llm.local import LocalChatScriptEngine, chat_inputs

# A fenced answer with a trailing comma: what small models really write. It must be repaired.
STEER = ('```json\n{"scenes": [',
         '{"narration": "Weton adalah gabungan hari pasaran dan hari biasa.", "image_prompt": "a Javanese '
         'calendar on a wooden table", "on_screen_text": "Apa itu weton?", "needs_review": []},',
         '{"narration": "Sebagian keluarga memakai weton untuk memilih hari baik.", "image_prompt": '
         '"a family seen from behind", "on_screen_text": "Hari baik", "needs_review": []},',
         '{"narration": "Mari kenali dan hormati warisan ini.", "image_prompt": "rice fields at sunrise", '
         '"on_screen_text": "Mari lestarikan"},',
         ']}\n```')


@pytest.fixture(scope="module")
def garbage(tmp_path_factory):
    return build_tiny_chat(tmp_path_factory.mktemp("llm") / "tiny-random-chat")


@pytest.fixture(scope="module")
def steered(tmp_path_factory):
    return build_tiny_chat(tmp_path_factory.mktemp("llm") / "tiny-steered-chat", steer=STEER)


def test_steered_answer_is_repaired_fact_inserted_and_streamed(steered):
    engine = LocalChatScriptEngine(steered, temperature=0.7, seed=5)
    seen: list[Progress] = []
    result = engine.write(request(), JobContext("script", seen.append))
    assert [s.on_screen_text for s in result.scenes] == ["Apa itu weton?", "Hari baik", "Mari lestarikan"]
    assert result.raw.startswith("```json") and result.raw.endswith(",]}\n```")
    with pytest.raises(ValueError):  # as answered it is not JSON: it was repaired, not rejected
        json.loads(result.raw.removeprefix("```json\n").removesuffix("\n```"))
    assert FACT in " ".join(s.narration for s in result.scenes)  # the key fact was put back
    prov = result.provenance
    assert prov.engine == "script.local" and prov.is_ai and prov.model == "tiny-steered-chat"
    assert prov.licence == "apache-2.0" and prov.seed == 5 and len(prov.model_revision) == 12
    assert prov.params["streamed"] is True and prov.params["attempts"] == 1 and prov.params["tokens"] == 6
    assert "disisipkan" in prov.note
    assert engine.partial_text == result.raw
    streamed = [p.message for p in seen if p.message.startswith("Model menulis naskah")]
    assert streamed and streamed[-1].endswith(", 6 token")


def test_random_model_answers_garbage_twice_then_fails_clearly(garbage):
    engine = LocalChatScriptEngine(garbage, temperature=0.0, max_new_tokens=24)
    answers: list[str] = []
    seen: list[Progress] = []

    def report(p: Progress) -> None:
        seen.append(p)
        if p.message.startswith("Jawaban model belum"):
            answers.append("retry")

    with pytest.raises(EngineFailed) as info:
        engine.write(request(), JobContext("script", report))
    assert "tiny-random-chat did not give a usable script twice" in str(info.value)
    assert "dua kali" in info.value.text("id")
    assert answers == ["retry"]  # exactly one corrective retry, then the clear failure
    assert engine.last_tokens == 24
    tokens = [int(p.message.rsplit(", ", 1)[1].split()[0]) for p in seen if "token" in p.message]
    assert max(tokens) == 24


def test_cancel_stops_generation_at_the_next_token(garbage):
    engine = LocalChatScriptEngine(garbage, temperature=0.7, max_new_tokens=2000)
    ctx = JobContext("script")

    def report(p: Progress) -> None:
        if "token" in p.message:
            ctx.cancel()

    ctx = JobContext("script", report)
    with pytest.raises(Cancelled):
        engine.write(request(), ctx)
    assert 0 < engine.last_tokens < 2000


def test_the_prompt_goes_through_the_models_chat_template(steered, tmp_path):
    engine = LocalChatScriptEngine(steered)
    tokenizer, _model = engine.load()
    messages = [{"role": "system", "content": "Jawab dengan JSON."}, {"role": "user", "content": "Tulis naskah."}]
    text = tokenizer.decode(chat_inputs(tokenizer, messages)["input_ids"][0])
    assert text == ("<|im_start|>system\nJawab dengan JSON.<|im_end|>\n<|im_start|>user\nTulis naskah.<|im_end|>\n"
                    "<|im_start|>assistant\n")
    # A template that refuses a system message gets it in front of the user's.
    strict = build_tiny_chat(tmp_path / "no-system", template=NO_SYSTEM)
    tok2, _ = LocalChatScriptEngine(strict).load()
    text = tok2.decode(chat_inputs(tok2, messages)["input_ids"][0])
    assert text.startswith("<|im_start|>user\nJawab dengan JSON.\n\nTulis naskah.<|im_end|>")


def test_rewrite_one_scene_with_the_local_model(steered):
    drafts = [DraftScene(f"Adegan nomor {i}.", "p") for i in range(5)]
    result = LocalChatScriptEngine(steered).rewrite_scene(request(key_facts=(), target_seconds=6.0), drafts, 2,
                                                          JobContext("script"), variant=2)
    assert len(result.scenes) == 1
    assert result.scenes[0].narration == "Weton adalah gabungan hari pasaran dan hari biasa."


def test_preflight_is_cheap_and_says_how_to_get_a_model(tmp_path, garbage):
    assert "studio models download qwen2.5-1.5b-instruct" in LocalChatScriptEngine("").preflight()[0]
    assert "does not exist" in LocalChatScriptEngine(tmp_path / "nope").preflight()[0]
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "config.json").write_text("{}")
    problems = LocalChatScriptEngine(tmp_path / "half").preflight()
    assert any("tokenizer" in p for p in problems) and any("weights" in p for p in problems)
    base = build_tiny_chat(tmp_path / "base-model", template=None)
    problems = LocalChatScriptEngine(base).preflight()
    assert len(problems) == 1 and "no chat template" in problems[0] and "templat obrolan" in problems[0].text("id")
    assert LocalChatScriptEngine(garbage).preflight() == []


def test_a_broken_folder_is_reported_not_crashed(tmp_path, garbage):
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in garbage.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    (broken / "model.safetensors").write_bytes(b"not weights")
    with pytest.raises(EngineUnavailable) as info:
        LocalChatScriptEngine(broken).write(request(), JobContext("script"))
    assert "cannot be loaded" in str(info.value)


def test_registry_and_settings_and_the_hub_cache_layout(tmp_path, steered):
    # The model as other tools keep it: models--org--name/snapshots/<commit>/, refs/main naming it.
    root = tmp_path / "models--studio--tiny-chat"
    snap = root / "snapshots" / "0123abc"
    snap.mkdir(parents=True)
    for f in steered.iterdir():
        (snap / f.name).write_bytes(f.read_bytes())
    (root / "refs").mkdir()
    (root / "refs" / "main").write_text("0123abc")
    settings = Settings()
    settings.models.llm_local = str(root)
    settings.torch_threads = 1
    engine = registry.create("script.local", settings)
    assert isinstance(engine, LocalChatScriptEngine) and engine.model_dir == snap
    assert engine.model_label == "studio/tiny-chat"
    assert engine.info.is_ai and not engine.info.online
    registry.require_ready(engine)


def test_unload_frees_the_model(steered):
    import gc
    import weakref

    engine = LocalChatScriptEngine(steered)
    _tok, model = engine.load()
    ref = weakref.ref(model)
    del model, _tok
    engine.unload()
    gc.collect()
    assert not engine.loaded and ref() is None
